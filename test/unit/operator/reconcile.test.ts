/**
 * Reconciliation logic: the ERP's list (CSV and NDJSON, with what ERPs name their columns), the status
 * of each document from outputs built with the pipeline's own builders (NIC's signed sample as the IRP's
 * answer), the IRP check's verdicts, the sample, and the CSV a spreadsheet opens safely.
 */
import { describe, expect, it } from 'vitest';
import type { MappedEvent } from '../../../connectors/types.js';
import { Ledger } from '../../../src/operator/ledger.js';
import {
  erpDate,
  irpSample,
  judge,
  makeReport,
  parseCsv,
  parseErpList,
  reconcile,
  toCsv,
  type Row,
} from '../../../src/operator/reconcile.js';
import { failure } from '../../../src/pipeline/failures.js';
import { errorRecord, resultRecord, type OutputContext } from '../../../src/pipeline/outputs.js';
import type { SourceMessage } from '../../../src/pipeline/ports.js';
import { invoiceSample, readSample } from '../../support/irp-samples.js';

// NIC's Get-e-invoice answer for invoice 9sQ5E2 of 02/10/2023 by 02AMBPG7773M002 (india-compliance's test data).
const NIC = readSample<{ result: Record<string, unknown> }>(
  'b2b-inter-state.response.gsp-wrapped.json',
).result;
const invoice = invoiceSample('b2b-inter-state.request.json');
const TOTAL = invoice.ValDtls.TotInvVal as number;
const KEY = '02AMBPG7773M002/INV/9SQ5E2/2023-24';

const ctx = (at: string): OutputContext => ({
  sourceId: 's',
  connector: 'sap',
  topics: { results: 'r', errors: 'e', deadLetter: 'd' },
  now: () => new Date(at),
});
const msg: SourceMessage = {
  topic: 'in',
  partition: 0,
  offset: '1',
  key: null,
  value: Buffer.from('x'),
  headers: {},
};
const value = (r: { value: Buffer | string }) => JSON.parse(String(r.value)) as Record<string, unknown>;

function ledgerWith(...steps: ((l: Ledger) => void)[]): Ledger {
  const l = new Ledger();
  for (const s of steps) s(l);
  return l;
}
const registered =
  (key = KEY, at = '2023-10-03T10:00:00Z') =>
  (l: Ledger) =>
    l.addResult(
      value(
        resultRecord(ctx(at), msg, { kind: 'generate', docKey: key, invoice } as MappedEvent, NIC, false),
      ),
    );
const rejected =
  (key: string, code: string, family: 'rejected' | 'conflict' = 'rejected') =>
  (l: Ledger) =>
    l.addError(
      value(
        errorRecord(
          ctx('2023-10-03T11:00:00Z'),
          msg,
          failure(family, 'submit', [{ code, message: `IRP ${code}` }]),
          key,
          invoice,
          'generate',
        ),
      ),
    );

describe('the ERP list', () => {
  it('reads CSV as spreadsheets write it: BOM, CRLF, quoted commas and quotes, blank lines', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x, y","say ""hi"""\r\n\r\nlast,\n')).toEqual([
      { line: 1, cells: ['a', 'b'] },
      { line: 2, cells: ['x, y', 'say "hi"'] },
      { line: 4, cells: ['last', ''] },
    ]);
  });

  it('takes the column names ERPs use, in any order, and keys documents as the outputs do', () => {
    const csv =
      'Invoice Number,Company GSTIN,Document Type,Invoice Date,Grand Total\n9sQ5E2,02ambpg7773m002,inv,2023-10-02,"1,00"\n';
    expect(() => parseErpList(csv, 'csv')).toThrow('line 2: total 1,00 is not a number');
    const docs = parseErpList(csv.replace('"1,00"', '1180.00'), 'csv');
    expect(docs).toEqual([
      {
        line: 2,
        seller: '02AMBPG7773M002',
        type: 'INV',
        number: '9sQ5E2',
        date: '02/10/2023',
        total: '1180.00',
        docKey: KEY,
      },
    ]);
    const nd = parseErpList(
      '{"gstin":"02AMBPG7773M002","doc_type":"INV","doc_no":"9sQ5E2","doc_date":"02-10-2023","total_value":1180}\n\n',
      'ndjson',
    );
    expect(nd[0]).toMatchObject({ docKey: KEY, total: '1180', line: 1 });
  });

  it('names the line of every row that is not a document', () => {
    const head = 'seller,type,number,date,total\n';
    expect(() => parseErpList(`${head}02AMBPG7773M002,INV,A1,31/02/2025,1`, 'csv')).toThrow(
      'line 2: date 31/02/2025: expected dd/MM/yyyy or yyyy-MM-dd',
    );
    expect(() => parseErpList(`${head}02AMBPG7773M002,BILL,A1,01/02/2025,1`, 'csv')).toThrow(
      'line 2: type BILL: expected INV, CRN or DBN',
    );
    expect(() => parseErpList(`${head}GSTIN,INV,A1,01/02/2025,1`, 'csv')).toThrow(
      'line 2: seller GSTIN is not a GSTIN',
    );
    expect(() => parseErpList(`${head}02AMBPG7773M002,INV,,01/02/2025,1`, 'csv')).toThrow(
      'line 2: number is empty',
    );
    expect(() =>
      parseErpList(`${head}02AMBPG7773M002,INV,a1,01/02/2025,1\n02AMBPG7773M002,INV,A1,03/02/2025,2`, 'csv'),
    ).toThrow('line 3: the same document as line 2');
    expect(() => parseErpList('gstin,no\n', 'csv')).toThrow(
      'line 1: the header has no type, date, total column',
    );
    expect(() => parseErpList('{"seller": ', 'ndjson')).toThrow('line 1: not JSON');
    expect(() => parseErpList('', 'csv')).toThrow('the list is empty');
    expect(erpDate('29/02/2024')).toBe('29/02/2024');
    expect(erpDate('29/02/2023')).toBeUndefined();
  });
});

describe('statuses', () => {
  const erp = (line: string) => parseErpList(`seller,type,number,date,total\n${line}`, 'csv');

  it('registered, with the amount and the date the IRP signed compared to the ERP’s (₹1 tolerated)', () => {
    const l = ledgerWith(registered());
    const [row] = reconcile(l, erp(`02AMBPG7773M002,INV,9sQ5E2,02/10/2023,${(TOTAL + 0.99).toFixed(2)}`));
    expect(row).toMatchObject({
      status: 'registered',
      Irn: NIC.Irn,
      AckNo: String(NIC.AckNo),
      irpTotal: TOTAL,
    });
    const [off] = reconcile(l, erp(`02AMBPG7773M002,INV,9sQ5E2,02/10/2023,${(TOTAL + 1.01).toFixed(2)}`));
    expect(off).toMatchObject({ status: 'amount-mismatch', detail: expect.stringContaining('(+1.01)') });
    const [strict] = reconcile(l, erp(`02AMBPG7773M002,INV,9sQ5E2,02/10/2023,${(TOTAL + 0.5).toFixed(2)}`), {
      tolerancePaise: 0,
    });
    expect(strict!.status).toBe('amount-mismatch');
    const [date] = reconcile(l, erp(`02AMBPG7773M002,INV,9sQ5E2,03/10/2023,${TOTAL}`));
    expect(date).toMatchObject({
      status: 'date-mismatch',
      detail: 'ERP date 03/10/2023 ≠ IRP DocDt 02/10/2023',
    });
  });

  it('missing, orphan, rejected, conflict and cancelled; a later cancel refusal is a note, not a status', () => {
    const l = ledgerWith(
      registered(),
      rejected('02AMBPG7773M002/INV/R1/2023-24', '2172'),
      rejected('02AMBPG7773M002/INV/C1/2023-24', '2150', 'conflict'),
      registered('02AMBPG7773M002/INV/X1/2023-24'),
      (x) =>
        x.addResult(
          value(
            resultRecord(
              ctx('2023-10-03T12:00:00Z'),
              msg,
              { kind: 'cancel', docKey: '02AMBPG7773M002/INV/X1/2023-24' } as MappedEvent,
              { Irn: 'x', CancelDate: '2023-10-03 17:30:00' },
              false,
            ),
          ),
        ),
      (x) =>
        x.addError(
          value(
            errorRecord(
              ctx('2023-10-04T12:00:00Z'),
              msg,
              failure('rejected', 'submit', [{ code: '2270', message: 'past 24 h' }]),
              KEY,
              {},
              'cancel',
            ),
          ),
        ),
    );
    const rows = reconcile(
      l,
      erp(
        [
          `02AMBPG7773M002,INV,R1,02/10/2023,10`,
          `02AMBPG7773M002,INV,C1,02/10/2023,10`,
          `02AMBPG7773M002,INV,X1,02/10/2023,${TOTAL}`,
          `02AMBPG7773M002,INV,M1,02/10/2023,10`,
        ].join('\n'),
      ),
    );
    expect(rows.map((r) => [r.status, r.docKey.split('/')[2]])).toEqual([
      ['missing', 'M1'],
      ['orphan', '9SQ5E2'],
      ['conflict', 'C1'],
      ['rejected', 'R1'],
      ['cancelled', 'X1'],
    ]);
    expect(rows.find((r) => r.status === 'orphan')!.detail).toContain('cancel rejected: 2270 past 24 h');
    expect(rows.find((r) => r.status === 'rejected')!.codes).toEqual(['2172']);
    expect(rows.find((r) => r.status === 'cancelled')!.detail).toContain('cancelled 2023-10-03 17:30:00');
    // Without a list there are no missing or orphan documents, only what the outputs say.
    expect(
      reconcile(l, undefined)
        .map((r) => r.status)
        .sort(),
    ).toEqual(['cancelled', 'conflict', 'registered', 'rejected']);
    // A date range keeps documents dated within it (both ends included).
    expect(reconcile(l, undefined, { since: '03/10/2023' })).toEqual([]);
    expect(reconcile(l, undefined, { since: '02/10/2023', until: '02/10/2023' })).toHaveLength(4);
  });

  it('a document registered after a rejection is registered; a recovered one says so', () => {
    const l = ledgerWith(rejected(KEY, '3028'), (x) =>
      x.addResult(
        value(
          resultRecord(
            ctx('2023-10-05T00:00:00Z'),
            msg,
            { kind: 'generate', docKey: KEY, invoice } as MappedEvent,
            NIC,
            true,
          ),
        ),
      ),
    );
    const [row] = reconcile(l, undefined);
    expect(row).toMatchObject({
      status: 'registered',
      codes: [],
      detail: 'registered before these outputs (recovered from the IRP)',
    });
  });
});

describe('at the IRP', () => {
  const row = (over: Partial<Row> = {}): Row => ({
    status: 'registered',
    docKey: KEY,
    Irn: 'a'.repeat(64),
    codes: [],
    detail: '',
    ...over,
  });

  it('judges each answer; past the retrieval window is not checkable, never a mismatch', () => {
    expect(judge(row(), { kind: 'registered', irn: 'A'.repeat(64), status: 'ACT' }).check).toBe('agrees');
    expect(judge(row(), { kind: 'registered', irn: 'b'.repeat(64) }).check).toBe('irn-differs');
    expect(judge(row(), { kind: 'registered', irn: 'a'.repeat(64), status: 'CNL' }).check).toBe(
      'status-differs',
    );
    expect(
      judge(row({ status: 'cancelled' }), { kind: 'registered', irn: 'a'.repeat(64), status: 'CNL' }).check,
    ).toBe('agrees');
    expect(
      judge(row({ status: 'missing', Irn: undefined }), { kind: 'registered', irn: 'c'.repeat(64) }).check,
    ).toBe('irp-registered');
    expect(judge(row(), { kind: 'absent' }).check).toBe('irp-absent');
    expect(judge(row({ status: 'rejected', Irn: undefined }), { kind: 'absent' }).check).toBe('agrees');
    expect(
      judge(row(), {
        kind: 'not-checkable',
        message: '2283 IRN details cannot be provided as it is generated more than 3 days prior',
      }),
    ).toEqual({
      check: 'not-checkable',
      detail:
        'not checkable at the IRP: 2283 IRN details cannot be provided as it is generated more than 3 days prior',
    });
    expect(judge(row(), { kind: 'failed', message: 'no IRP credentials' }).check).toBe('unchecked');
  });

  it('samples documents with what a look-up needs, reproducibly by seed', () => {
    const rows = Array.from({ length: 20 }, (_, i) =>
      row({
        docKey: `k${i}`,
        seller: '02AMBPG7773M002',
        type: 'INV',
        number: `N${i}`,
        date: `${String(i + 1).padStart(2, '0')}/10/2023`,
      }),
    );
    rows.push(row({ docKey: 'no-date' }));
    const a = irpSample(rows, { sample: 5, seed: 42 });
    expect(a).toHaveLength(5);
    expect(irpSample(rows, { sample: 5, seed: 42 })).toEqual(a);
    expect(irpSample(rows, { seed: 1 })).toHaveLength(20);
    expect(
      irpSample(rows, { since: '10/10/2023', until: '12/10/2023', seed: 1 })
        .map((r) => r.number)
        .sort(),
    ).toEqual(['N10', 'N11', 'N9']);
  });
});

describe('CSV output', () => {
  it('quotes what needs quoting, and never lets a cell become a spreadsheet formula', () => {
    const rows: Row[] = [
      {
        status: 'rejected',
        docKey: 'k',
        number: '=HYPERLINK("x")',
        codes: ['2172', '3028'],
        detail: 'a, "b"',
        erpTotal: '-10.00',
      },
    ];
    const csv = toCsv(makeReport('s', rows, { ledger: new Ledger(), unattributed: [], read: {} }));
    const line = csv.split('\n')[1]!;
    expect(line).toBe('rejected,k,,,"\'=HYPERLINK(""x"")",,-10.00,,,,,,,2172 3028,"a, ""b""",,,');
  });
});
