/**
 * IRP dates and times. The IRP speaks India Standard Time (UTC+05:30, no daylight saving): document
 * dates are `dd/MM/yyyy`, acknowledgement and expiry stamps `yyyy-MM-dd HH:mm:ss`. Every function here
 * converts between those texts and absolute instants explicitly, so nothing depends on the host time zone.
 */

const IST_OFFSET_MS = (5 * 60 + 30) * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The calendar fields of an instant as seen in IST. */
export function istParts(instant: Date): {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
} {
  const shifted = new Date(instant.getTime() + IST_OFFSET_MS);
  return {
    year: shifted.getUTCFullYear(),
    month: shifted.getUTCMonth() + 1,
    day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(),
    minute: shifted.getUTCMinutes(),
    second: shifted.getUTCSeconds(),
  };
}

function istInstant(year: number, month: number, day: number, h = 0, m = 0, s = 0): Date | undefined {
  const utc = Date.UTC(year, month - 1, day, h, m, s);
  const check = new Date(utc);
  // Date.UTC rolls 31/02 over into March: a real calendar date reads back unchanged.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    return undefined;
  }
  return new Date(utc - IST_OFFSET_MS);
}

/** `dd/MM/yyyy` → the instant of IST midnight that day; undefined for malformed text or impossible dates. */
export function parseIrpDate(text: string): Date | undefined {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text);
  if (!m) return undefined;
  return istInstant(Number(m[3]), Number(m[2]), Number(m[1]));
}

/** An instant → its IST calendar date as `dd/MM/yyyy`. */
export function formatIrpDate(instant: Date): string {
  const p = istParts(instant);
  return `${pad(p.day)}/${pad(p.month)}/${pad(p.year, 4)}`;
}

/** An instant → `yyyy-MM-dd HH:mm:ss` in IST (AckDt, TokenExpiry, EwbDt). */
export function formatIrpDateTime(instant: Date): string {
  const p = istParts(instant);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

/**
 * `yyyy-MM-dd HH:mm:00` in IST: the instant truncated to its minute. Every response time NIC's samples
 * show — AckDt, CancelDate, EwbDt, EwbValidTill, TokenExpiry, Cancel EWB's cancelDate — has `:00`
 * seconds (RECORD.md §2; only the AckDt inside SignedInvoice keeps its seconds).
 */
export function formatIrpDateTimeToMinute(instant: Date): string {
  const ms = instant.getTime();
  return formatIrpDateTime(new Date(ms - (((ms % 60_000) + 60_000) % 60_000)));
}

/** `yyyy-MM-dd HH:mm:ss` (IST) → instant; also accepts a `T` separator and a missing seconds field. */
export function parseIrpDateTime(text: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(text.trim());
  if (!m) return undefined;
  const [h, mi, s] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  if (h > 23 || mi > 59 || s > 59) return undefined;
  return istInstant(Number(m[1]), Number(m[2]), Number(m[3]), h, mi, s);
}

/** Whole IST calendar days from `from` to `to` (positive when `to` is later), ignoring the time of day. */
export function istDaysBetween(from: Date, to: Date): number {
  const day = (d: Date) => Math.floor((d.getTime() + IST_OFFSET_MS) / DAY_MS);
  return day(to) - day(from);
}

/** `yyyy-MM-dd` (IST calendar date, as in `--as-of`) → IST midnight. */
export function parseIsoDate(text: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  return istInstant(Number(m[1]), Number(m[2]), Number(m[3]));
}

/**
 * Indian financial year (1 April – 31 March) of a `dd/MM/yyyy` date, as the IRN hashes it: `YYYY-YY`
 * (03/01/2020 → `2019-20`). Undefined for an invalid date.
 */
export function financialYear(docDate: string): string | undefined {
  const instant = parseIrpDate(docDate);
  if (!instant) return undefined;
  const { year, month } = istParts(instant);
  const start = month >= 4 ? year : year - 1;
  return `${start}-${pad((start + 1) % 100)}`;
}
