/**
 * GSTIN shape and check character (README §10). The IRP enforces only the schema shape
 * `^[0-9]{2}[0-9A-Z]{13}$`; NIC's own sandbox GSTINs fail the check character and are accepted, so the
 * check character is advice (a validator warning), never a rejection.
 */

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** The shape the IRP schema enforces for supplier, recipient, ship-to and e-commerce GSTINs. */
export const GSTIN_SCHEMA_PATTERN = /^[0-9]{2}[0-9A-Z]{13}$/;

/**
 * The structured forms GSTN issues (regular/composition, UIN, TDS, TCS, NRI/OIDAR), after
 * india-compliance's constants. Used only for advice: a GSTIN outside them is suspicious, not rejected.
 */
const STRUCTURED_FORMS: readonly RegExp[] = [
  /^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$/, // regular, composition, SEZ, ISD
  /^[0-9]{4}[A-Z]{3}[0-9]{5}[UO]N[A-Z0-9]$/, // UIN holders
  /^[0-9]{2}[A-Z]{4}[0-9]{5}[A-Z][0-9]D[0-9A-Z]$/, // tax deductors (TDS)
  /^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][0-9A-Z]C[0-9A-Z]$/, // e-commerce operators (TCS)
  /^9[0-9]{3}[A-Z]{3}[0-9]{5}OS[0-9A-Z]$/, // non-resident OIDAR
];

export function hasGstinShape(gstin: string): boolean {
  return GSTIN_SCHEMA_PATTERN.test(gstin);
}

export function hasStructuredGstinForm(gstin: string): boolean {
  return STRUCTURED_FORMS.some((re) => re.test(gstin));
}

/** The state code a GSTIN carries in its first two characters. */
export function gstinStateCode(gstin: string): string {
  return gstin.slice(0, 2);
}

/** The check character for the first 14 characters (mod-36 Luhn variant); undefined for bad characters. */
export function gstinCheckCharacter(first14: string): string | undefined {
  if (first14.length !== 14) return undefined;
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    const value = ALPHABET.indexOf(first14[i]!.toUpperCase());
    if (value < 0) return undefined;
    const product = value * (i % 2 === 0 ? 1 : 2);
    sum += Math.floor(product / 36) + (product % 36);
  }
  return ALPHABET[(36 - (sum % 36)) % 36];
}

export function hasValidGstinCheckCharacter(gstin: string): boolean {
  return gstin.length === 15 && gstinCheckCharacter(gstin.slice(0, 14)) === gstin[14]!.toUpperCase();
}
