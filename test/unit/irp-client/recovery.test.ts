import { describe, expect, it } from 'vitest';
import type { IrnDetails } from '../../../src/irp/client/apis.js';
import type { ApiOutcome } from '../../../src/irp/client/outcome.js';
import {
  duplicateRefFromInfo,
  recoverDuplicate,
  type RecoveryDeps,
} from '../../../src/irp/client/recovery.js';
import { createSignedVerifier } from '../../../src/irp/client/signed.js';
import { computeIrn } from '../../../src/irp/irn.js';
import { testSigner } from './fixtures.js';

const signer = testSigner();
const verifier = createSignedVerifier(signer.certPem);
const IRN = 'b'.repeat(64);

const submitted = {
  SellerDtls: { Gstin: '02AABCI2026B1ZL' },
  DocDtls: { Typ: 'INV', No: 'INV-1', Dt: '01/07/2025' },
  BuyerDtls: { Gstin: '29AABCB2026E1Z6' },
  ValDtls: { TotInvVal: 1180 },
};
const dupInfo = [
  { InfCd: 'DUPIRN', Desc: { AckNo: 112500000000007, AckDt: '2025-07-01 10:15:00', Irn: IRN } },
];
const dupErrors = [{ code: '2150', message: 'Duplicate IRN' }];

async function registered(
  over: { buyer?: string; total?: number; status?: string; irn?: string } = {},
): Promise<IrnDetails> {
  const invoice = {
    AckNo: 112500000000007,
    AckDt: '2025-07-01 10:15:21',
    Irn: over.irn ?? IRN,
    ...submitted,
    BuyerDtls: { Gstin: over.buyer ?? '29AABCB2026E1Z6' },
    ValDtls: { TotInvVal: over.total ?? 1180 },
  };
  const qr = { BuyerGstin: over.buyer ?? '29AABCB2026E1Z6', TotInvVal: over.total ?? 1180 };
  return {
    AckNo: 112500000000007,
    AckDt: '2025-07-01 10:15:00',
    Irn: over.irn ?? IRN,
    SignedInvoice: await signer.sign(invoice),
    SignedQRCode: await signer.sign(qr),
    Status: over.status ?? 'ACT',
  };
}

const success = (data: IrnDetails): ApiOutcome<IrnDetails> => ({
  kind: 'success',
  data,
  recovered: false,
  info: [],
});
const rejected = (code: string): ApiOutcome<IrnDetails> => ({
  kind: 'rejected',
  errors: [{ code, message: code }],
  info: [],
});

function deps(
  byIrn: ApiOutcome<IrnDetails>[] | ApiOutcome<IrnDetails>,
  byDoc?: ApiOutcome<IrnDetails>,
): RecoveryDeps & { irnCalls: string[]; docCalls: number; clock: number } {
  const queue = Array.isArray(byIrn) ? [...byIrn] : undefined;
  const d = {
    irnCalls: [] as string[],
    docCalls: 0,
    verifier,
    // A fake clock: settling waits are counted, not slept.
    clock: 0,
    now: () => d.clock,
    sleep: async (ms: number) => {
      d.clock += ms;
    },
    getByIrn: async (irn: string) => {
      d.irnCalls.push(irn);
      return queue ? (queue.length > 1 ? queue.shift()! : queue[0]!) : (byIrn as ApiOutcome<IrnDetails>);
    },
    getByDocDetails: async () => {
      d.docCalls += 1;
      return byDoc ?? rejected('2154');
    },
  };
  return d;
}

describe('duplicateRefFromInfo', () => {
  it('reads DUPIRN Desc as an object, as JSON text, or as a one-element list', () => {
    expect(duplicateRefFromInfo(dupInfo)).toEqual({
      Irn: IRN,
      AckNo: 112500000000007,
      AckDt: '2025-07-01 10:15:00',
    });
    expect(duplicateRefFromInfo([{ InfCd: 'dupirn', Desc: JSON.stringify({ Irn: IRN }) }])).toEqual({
      Irn: IRN,
    });
    expect(duplicateRefFromInfo([{ InfCd: 'DUPIRN', Desc: [{ irn: IRN, ackno: '1' }] }])).toEqual({
      Irn: IRN,
      AckNo: '1',
    });
    expect(duplicateRefFromInfo([{ InfCd: 'EWBPPD', Desc: 'x' }])).toBeUndefined();
    expect(duplicateRefFromInfo([{ InfCd: 'DUPIRN', Desc: 'not json' }])).toBeUndefined();
  });
});

describe('recoverDuplicate', () => {
  it('adopts the registration when buyer GSTIN and total match: success, recovered', async () => {
    const reg = await registered();
    const d = deps(success(reg));
    const out = await recoverDuplicate(submitted, dupInfo, dupErrors, d);
    expect(out).toEqual({ kind: 'success', data: reg, recovered: true, info: dupInfo });
    expect(d.irnCalls).toEqual([IRN]);
  });

  it('compares GSTINs case-insensitively and totals to the paisa', async () => {
    const out = await recoverDuplicate(
      { ...submitted, BuyerDtls: { Gstin: '29aabcb2026e1z6' }, ValDtls: { TotInvVal: 1180.001 } },
      dupInfo,
      dupErrors,
      deps(success(await registered())),
    );
    expect(out.kind).toBe('success');
  });

  it('a different buyer or total is a conflict naming the fields', async () => {
    const buyer = await recoverDuplicate(
      submitted,
      dupInfo,
      dupErrors,
      deps(success(await registered({ buyer: '27AAPFU0939F1ZV' }))),
    );
    expect(buyer).toMatchObject({
      kind: 'conflict',
      reason: 'buyer-gstin-mismatch',
      duplicate: { Irn: IRN },
      mismatches: [{ field: 'BuyerDtls.Gstin', submitted: '29AABCB2026E1Z6', registered: '27AAPFU0939F1ZV' }],
    });
    const total = await recoverDuplicate(
      submitted,
      dupInfo,
      dupErrors,
      deps(success(await registered({ total: 1181 }))),
    );
    expect(total).toMatchObject({
      kind: 'conflict',
      reason: 'total-mismatch',
      mismatches: [{ field: 'ValDtls.TotInvVal', registered: 1181 }],
    });
  });

  it('a cancelled registration, another IRN, or an unverifiable signature is a conflict', async () => {
    expect(
      await recoverDuplicate(
        submitted,
        dupInfo,
        dupErrors,
        deps(success(await registered({ status: 'CNL' }))),
      ),
    ).toMatchObject({
      kind: 'conflict',
      reason: 'cancelled',
    });
    expect(
      await recoverDuplicate(
        submitted,
        dupInfo,
        dupErrors,
        deps(success(await registered({ irn: 'c'.repeat(64) }))),
      ),
    ).toMatchObject({
      kind: 'conflict',
      reason: 'irn-mismatch',
    });
    const forged = {
      ...(await registered()),
      SignedInvoice: await testSigner('x').sign({}),
      SignedQRCode: 'garbage',
    };
    expect(await recoverDuplicate(submitted, dupInfo, dupErrors, deps(success(forged)))).toMatchObject({
      kind: 'conflict',
      reason: 'unverifiable',
    });
  });

  it('re-reads a registration that is not yet visible (2148), then adopts it', async () => {
    const d = deps([rejected('2148'), rejected('2148'), success(await registered())]);
    const out = await recoverDuplicate(submitted, dupInfo, dupErrors, d);
    expect(out).toMatchObject({ kind: 'success', recovered: true });
    expect(d.irnCalls).toHaveLength(3);
  });

  it('an IRN older than the retrieval window is published as the IRP confirmed it: recovered, partial', async () => {
    const d = deps(rejected('2283'));
    const out = await recoverDuplicate(submitted, dupInfo, dupErrors, d);
    expect(out).toEqual({
      kind: 'recovered-partial',
      data: { Irn: IRN, AckNo: 112500000000007, AckDt: '2025-07-01 10:15:00' },
      recovered: true,
      missing: ['SignedInvoice', 'SignedQRCode'],
      unverified: ['BuyerDtls.Gstin', 'ValDtls.TotInvVal', 'Status'],
      reason: expect.stringContaining('2283'),
      errors: [
        { code: '2150', message: 'Duplicate IRN' },
        { code: '2283', message: '2283' },
      ],
      info: dupInfo,
    });
    expect(d.irnCalls).toHaveLength(1);
  });

  it('without DUPIRN and past the window: the IRN is computed from the document (it is deterministic)', async () => {
    const d = deps(rejected('x'), rejected('2283'));
    const out = await recoverDuplicate(submitted, [], dupErrors, d);
    expect(out).toMatchObject({
      kind: 'recovered-partial',
      data: {
        Irn: computeIrn({
          gstin: '02AABCI2026B1ZL',
          docType: 'INV',
          docNo: 'INV-1',
          docDate: '01/07/2025',
          asOf: new Date(),
        }),
      },
      missing: ['AckNo', 'AckDt', 'SignedInvoice', 'SignedQRCode'],
    });
  });

  it('settles with a deadline, not a count: a registration readable 20 s after DUPIRN is adopted', async () => {
    const reg = await registered();
    const d = deps(rejected('2148'));
    d.getByIrn = async (irn: string) => {
      d.irnCalls.push(irn);
      return d.clock < 20_000 ? rejected('2148') : success(reg);
    };
    const out = await recoverDuplicate(submitted, dupInfo, dupErrors, d);
    expect(out).toMatchObject({ kind: 'success', recovered: true });
    // 100 ms doubling to 2 s between reads: about twenty reads in 20 s, not hundreds.
    expect(d.irnCalls.length).toBeGreaterThan(10);
    expect(d.irnCalls.length).toBeLessThan(25);
  });

  it('a registration still unreadable at the settle deadline (30 s) is published partial, never a conflict', async () => {
    const d = deps(rejected('2148'));
    const out = await recoverDuplicate(submitted, dupInfo, dupErrors, d);
    expect(out).toMatchObject({ kind: 'recovered-partial', data: { Irn: IRN } });
    expect(d.clock).toBe(30_000);
  });

  it('adopts a registration signed with an earlier certificate when the set holds both (NIC rotates)', async () => {
    const previous = testSigner('NIC signer 2021');
    const current = testSigner('NIC signer 2023');
    const old = {
      ...(await registered()),
      SignedInvoice: await previous.sign({ ...submitted, Irn: IRN }),
      SignedQRCode: await previous.sign({ BuyerGstin: '29AABCB2026E1Z6', TotInvVal: 1180 }),
    };
    const onlyCurrent = { ...deps(success(old)), verifier: createSignedVerifier(current.certPem) };
    expect(await recoverDuplicate(submitted, dupInfo, dupErrors, onlyCurrent)).toMatchObject({
      kind: 'conflict',
      reason: 'unverifiable',
      message: expect.stringContaining('none of the configured signing certificates'),
    });
    for (const verifier of [
      createSignedVerifier(`${current.certPem}\n${previous.certPem}`),
      createSignedVerifier([current.certPem, previous.certPem]),
    ]) {
      const both = { ...deps(success(old)), verifier };
      expect(await recoverDuplicate(submitted, dupInfo, dupErrors, both)).toMatchObject({
        kind: 'success',
        recovered: true,
      });
    }
  });

  it('without DUPIRN info, falls back to Get IRN by document details', async () => {
    const d = deps(rejected('x'), success(await registered()));
    const out = await recoverDuplicate(submitted, [], dupErrors, d);
    expect(out).toMatchObject({ kind: 'success', recovered: true });
    expect(d.docCalls).toBe(1);
    expect(d.irnCalls).toHaveLength(0);
  });

  it('passes fetch failures that may heal through unchanged', async () => {
    const transient: ApiOutcome<IrnDetails> = {
      kind: 'transient-exhausted',
      attempts: 3,
      lastError: { reason: 'timeout', message: 't' },
    };
    expect(await recoverDuplicate(submitted, dupInfo, dupErrors, deps(transient))).toBe(transient);
    const open: ApiOutcome<IrnDetails> = { kind: 'circuit-open' };
    expect(await recoverDuplicate(submitted, dupInfo, dupErrors, deps(open))).toBe(open);
  });
});
