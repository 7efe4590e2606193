/**
 * IRP masters (states, UQC units, currencies, ports, state PIN prefixes, GST rate slabs), generated from
 * data/irp/masters. Look-ups are sets and maps built once at load.
 */
import {
  CURRENCY_CODES,
  GST_RATE_PERCENTS,
  PORT_CODES,
  STATE_PIN_PREFIX_ROWS,
  STATE_ROWS,
  UQC_ROWS,
} from '../data/masters.generated.js';

/** GST state code used for exports and foreign recipients (`Pos`/`Stcd` 96). */
export const OTHER_COUNTRY_STATE_CODE = '96';

const stateNames: ReadonlyMap<string, string> = new Map(STATE_ROWS.map((s) => [s.code, s.name]));
const uqcCodes: ReadonlySet<string> = new Set(UQC_ROWS.map((u) => u.code));
const currencies: ReadonlySet<string> = new Set(CURRENCY_CODES);
const ports: ReadonlySet<string> = new Set(PORT_CODES);
const rates: readonly number[] = GST_RATE_PERCENTS;

/** Two-digit state codes accept one-digit spellings ("7" for "07"), as the schema pattern allows. */
export function canonicalStateCode(code: string): string {
  return /^[0-9]$/.test(code) ? `0${code}` : code;
}

export function stateName(code: string): string | undefined {
  return stateNames.get(canonicalStateCode(code));
}

export function isStateCode(code: string): boolean {
  return stateNames.has(canonicalStateCode(code));
}

export function allStates(): readonly { code: string; name: string }[] {
  return STATE_ROWS;
}

export function isUqc(unit: string): boolean {
  return uqcCodes.has(unit.toUpperCase());
}

export function allUqc(): readonly { code: string; description: string }[] {
  return UQC_ROWS;
}

export function isCurrency(code: string): boolean {
  return currencies.has(code.toUpperCase());
}

export function isPort(code: string): boolean {
  return ports.has(code.toUpperCase());
}

/** GST rate slabs compared in hundredths, so 0.25 and 7.5 match whatever float spelling arrives. */
export function isGstRate(rate: number): boolean {
  const hundredths = Math.round(rate * 100);
  return Math.abs(rate * 100 - hundredths) < 1e-6 && rates.some((r) => Math.round(r * 100) === hundredths);
}

export function gstRates(): readonly number[] {
  return rates;
}

/**
 * Whether a PIN belongs to a state by its 3-digit prefix. States the master has no prefix rows for
 * (Telangana 36 and Ladakh 38 share ranges with Andhra Pradesh and J&K; 96/97 are not Indian states)
 * return `undefined`: unknown, so callers do not reject (lenient, as the record cannot confirm a rule).
 */
export function pinBelongsToState(pin: number, stateCode: string): boolean | undefined {
  const rows = STATE_PIN_PREFIX_ROWS.filter((r) => r.stateCode === canonicalStateCode(stateCode));
  if (rows.length === 0) return undefined;
  const prefix = Math.floor(pin / 1000);
  return rows.some((r) => prefix >= r.from && prefix <= r.to);
}

/** The state PIN prefix ranges, for generators that must produce PINs matching a state. */
export function statePinPrefixes(stateCode: string): readonly { from: number; to: number }[] {
  return STATE_PIN_PREFIX_ROWS.filter((r) => r.stateCode === canonicalStateCode(stateCode));
}
