/**
 * Document identity and date formats shared by every connector: the Kafka key of a document, the IRP's
 * document-number rule, and conversions from the ERPs' date spellings to `dd/MM/yyyy`.
 */
import { financialYear } from '../../src/irp/dates.js';
import type { DocType } from '../types.js';
import type { Issues } from './issues.js';

/**
 * `${sellerGstin}/${docType}/${DOCNO}/${fy}` — the IRN's own identity (README §5), so generate, cancel
 * and e-way bill events of one document land on one partition in order. The number is upper-cased as the
 * IRP does from June 2025, so `abc` and `ABC` share a key.
 */
export function docKey(gstin: string, docType: DocType, docNo: string, docDate: string): string {
  return `${gstin.toUpperCase()}/${docType}/${docNo.toUpperCase()}/${financialYear(docDate) ?? 'unknown-fy'}`;
}

const DOC_NO = /^[a-zA-Z1-9][a-zA-Z0-9/-]{0,15}$/;

/** The IRP's document-number rule, checked here so the ERP field path can be named. */
export function docNumber(
  issues: Issues,
  value: string | null | undefined,
  path: string,
): string | undefined {
  const v = issues.text(value, path);
  if (v === undefined) return undefined;
  if (!DOC_NO.test(v))
    return issues.add(
      'MAP_INVALID_DOC_NO',
      path,
      `${JSON.stringify(v)}: 1–16 of A-Z a-z 0-9 / -, not starting with 0, / or -`,
    );
  return v;
}

const pad = (n: number) => String(n).padStart(2, '0');

function calendar(y: number, m: number, d: number): string | undefined {
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return undefined;
  return `${pad(d)}/${pad(m)}/${y}`;
}

export type DateReader<V> = (issues: Issues, value: V | null | undefined, path: string) => string | undefined;

/** Every ERP date field is read the same way: absent and malformed are different mistakes to fix. */
function dateReader<V extends string | number>(
  format: string,
  parse: (value: V) => string | undefined,
): DateReader<V> {
  return (issues, value, path) => {
    if (value === null || value === undefined || value === '')
      return issues.add('MAP_MISSING_FIELD', path, `${path} is required`);
    return (
      parse(value) ?? issues.add('MAP_INVALID_DATE', path, `${JSON.stringify(value)} is not a ${format} date`)
    );
  };
}

/** Text dates whose first three groups are year, month and day. */
const ymd =
  (pattern: RegExp) =>
  (value: string): string | undefined => {
    const m = pattern.exec(value.trim());
    return m ? calendar(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
  };

/** SAP DATS and Tally dates: `yyyyMMdd`. */
export const dateFromCompact: DateReader<string> = dateReader('yyyyMMdd', ymd(/^(\d{4})(\d{2})(\d{2})$/));

/**
 * ISO dates and OData date-times (`2025-02-14`, `2025-02-14T00:00:00Z`): the calendar date part is the
 * document date. ERPs publish date-only fields as midnight UTC, so shifting to IST would be wrong.
 */
export const dateFromIso: DateReader<string> = dateReader(
  'yyyy-MM-dd',
  ymd(/^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$/),
);

/** Avro `int` with logicalType date: days since 1970-01-01. */
export const dateFromEpochDays: DateReader<number> = dateReader('epoch-day', (value) => {
  if (!Number.isInteger(value)) return undefined;
  const t = new Date(value * 86_400_000);
  return calendar(t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate());
});

/** `dd/MM/yyyy` → ISO, for generators rendering ERP records from scenarios. */
export function irpToIso(date: string): string {
  const [d, m, y] = date.split('/');
  return `${y}-${m}-${d}`;
}
