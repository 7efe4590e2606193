/**
 * Party fields (supplier, recipient, dispatch-from, ship-to) as the IRP wants them, from values each
 * connector has already translated (state codes) out of its ERP's spelling.
 */
import { hasGstinShape } from '../../src/irp/gstin.js';
import type { BuyerDtls, DispDtls, SellerDtls, ShipDtls } from '../../src/irp/schema/invoice.js';
import { canonicalStateCode, isStateCode } from '../../src/irp/masters/index.js';
import type { Issues } from './issues.js';
import { given } from './issues.js';

/** A required GSTIN; missing and malformed are different codes because they have different fixes. */
export function gstin(
  issues: Issues,
  value: string | null | undefined,
  path: string,
  role: string,
): string | undefined {
  const v = given(value)?.toUpperCase();
  if (!v) return issues.add('MAP_MISSING_GSTIN', path, `${role} GSTIN is missing at ${path}`);
  if (!hasGstinShape(v))
    return issues.add(
      'MAP_INVALID_GSTIN',
      path,
      `${role} GSTIN ${JSON.stringify(v)} is not 2 digits + 13 of 0-9A-Z`,
    );
  return v;
}

/** A translated GST state code, checked against the IRP state master. */
export function stateCode(
  issues: Issues,
  code: string | undefined,
  path: string,
  erpValue: unknown,
): string | undefined {
  if (code !== undefined && isStateCode(code)) return canonicalStateCode(code);
  return issues.add('MAP_UNKNOWN_STATE', path, `no GST state code for ${JSON.stringify(erpValue)}`);
}

export function pin(
  issues: Issues,
  value: string | number | null | undefined,
  path: string,
): number | undefined {
  const text = String(value ?? '').replace(/\s/g, '');
  if (/^[1-9][0-9]{5}$/.test(text)) return Number(text);
  if (text === '') return issues.add('MAP_MISSING_FIELD', path, `${path} is required`);
  return issues.add('MAP_MISSING_FIELD', path, `${path} ${JSON.stringify(value)} is not a 6-digit PIN`);
}

/**
 * Free text for the IRP: `"` and `\` removed (the schema forbids the first, NIC's prose the second),
 * whitespace collapsed, cut to `max`; undefined when shorter than `min`, since every such field that
 * may be short is optional in the schema.
 */
export function text(value: string | null | undefined, min: number, max: number): string | undefined {
  const raw = value ?? '';
  // Most ERP text is already clean: then the two replacements and the trim would return it unchanged.
  const clean = NEEDS_CLEANING.test(raw) ? raw.replace(/["\\]/g, '').replace(/\s+/g, ' ').trim() : raw;
  const v = clean.length > max ? clean.slice(0, max).trim() : clean;
  return v.length >= min ? v : undefined;
}

/** What {@link text} removes or rewrites: a quote or backslash, whitespace other than one inner space. */
const NEEDS_CLEANING = /["\\]|[^\S ]| {2}|^ | $/;

/** Digits only, kept when 6–12 long (the schema's phone rule); ERPs store `+91 80 1234 5678`. */
export function phone(value: string | null | undefined): string | undefined {
  let digits = (value ?? '').replace(/\D/g, '');
  // +91 and a 10-digit number: keep the national number, which is how NIC's samples spell phones.
  if (digits.length === 12 && digits.startsWith('91')) digits = digits.slice(2);
  return digits.length >= 6 && digits.length <= 12 ? digits : undefined;
}

export function email(value: string | null | undefined): string | undefined {
  const v = value?.trim();
  return v && v.length >= 6 && v.length <= 100 && /^[a-zA-Z0-9+_.-]+@[a-zA-Z0-9.-]+$/.test(v) ? v : undefined;
}

/** Omit undefined properties: the IRP payload never carries nulls or undefined. */
export function compact<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) {
    const v = (o as Record<string, unknown>)[k];
    if (v !== undefined) out[k] = v;
  }
  return out as T;
}

/** A party as a connector found it, with the ERP paths of its fields for error messages. */
export interface PartyInput {
  gstin?: string | null;
  name?: string | null;
  addr1?: string | null;
  addr2?: string | null;
  city?: string | null;
  pin?: string | number | null;
  /** The GST state code the connector translated, or undefined when it could not. */
  state: string | undefined;
  /** The ERP's own state value, quoted in the error. */
  stateRaw: unknown;
  phone?: string | null;
  email?: string | null;
  paths: { gstin: string; name: string; city: string; pin: string; state: string };
}

interface Resolved {
  name: string;
  addr1: string;
  addr2?: string;
  loc: string;
}

function basics(issues: Issues, p: PartyInput, role: string, locMax: number): Resolved | undefined {
  const name =
    text(p.name, 3, 100) ??
    issues.add('MAP_MISSING_FIELD', p.paths.name, `${role} name (3+ characters) is required`);
  const loc =
    text(p.city, 3, locMax) ??
    issues.add('MAP_MISSING_FIELD', p.paths.city, `${role} city (3+ characters) is required`);
  return name && loc
    ? { name, addr1: text(p.addr1, 1, 100) ?? name, addr2: text(p.addr2, 3, 100), loc }
    : undefined;
}

export function sellerDtls(issues: Issues, p: PartyInput): SellerDtls | undefined {
  const g = gstin(issues, p.gstin, p.paths.gstin, 'supplier');
  const st = stateCode(issues, p.state, p.paths.state, p.stateRaw);
  const pc = pin(issues, p.pin, p.paths.pin);
  const b = basics(issues, p, 'supplier', 50);
  if (!g || !st || !pc || !b) return undefined;
  return compact({
    Gstin: g,
    LglNm: b.name,
    Addr1: b.addr1,
    Addr2: b.addr2,
    Loc: b.loc,
    Pin: pc,
    Stcd: st,
    Ph: phone(p.phone),
    Em: email(p.email),
  });
}

/**
 * The recipient. Exports get the IRP's fixed foreign-recipient values (URP, 96, 999999) whatever the
 * ERP holds; otherwise the place of supply defaults to the recipient's state.
 */
export function buyerDtls(
  issues: Issues,
  p: PartyInput,
  opts: { exported: boolean; pos?: string },
): BuyerDtls | undefined {
  const b = basics(issues, p, 'recipient', 100);
  const party = (Gstin: string, Pos: string, Pin: number, Stcd: string): BuyerDtls =>
    compact({
      Gstin,
      LglNm: b!.name,
      Pos,
      Addr1: b!.addr1,
      Addr2: b!.addr2,
      Loc: b!.loc,
      Pin,
      Stcd,
      Ph: phone(p.phone),
      Em: email(p.email),
    });
  if (opts.exported) return b ? party('URP', '96', 999999, '96') : undefined;
  const g = gstin(issues, p.gstin, p.paths.gstin, 'recipient');
  const st = stateCode(issues, p.state, p.paths.state, p.stateRaw);
  const pc = pin(issues, p.pin, p.paths.pin);
  return g && st && pc && b ? party(g, opts.pos ?? st, pc, st) : undefined;
}

/**
 * The ship-to party. A consignee abroad (an export shipped to the foreign buyer's address) has no
 * Indian state or PIN: it gets the IRP's foreign values, state 96 and PIN 999999, as Odoo's l10n_in_edi
 * sends them; exporters who ship through a port give the port's address instead (india-compliance).
 */
export function shipDtls(
  issues: Issues,
  p: PartyInput,
  opts: { foreign?: boolean } = {},
): ShipDtls | undefined {
  if (opts.foreign) {
    const b = basics(issues, p, 'ship-to', 100);
    return b
      ? compact({ LglNm: b.name, Addr1: b.addr1, Addr2: b.addr2, Loc: b.loc, Pin: 999999, Stcd: '96' })
      : undefined;
  }
  const g = given(p.gstin) ? gstin(issues, p.gstin, p.paths.gstin, 'ship-to') : undefined;
  const st = stateCode(issues, p.state, p.paths.state, p.stateRaw);
  const pc = pin(issues, p.pin, p.paths.pin);
  const b = basics(issues, p, 'ship-to', 100);
  if (!st || !pc || !b) return undefined;
  return compact({ Gstin: g, LglNm: b.name, Addr1: b.addr1, Addr2: b.addr2, Loc: b.loc, Pin: pc, Stcd: st });
}

export function dispDtls(issues: Issues, p: PartyInput): DispDtls | undefined {
  const st = stateCode(issues, p.state, p.paths.state, p.stateRaw);
  const pc = pin(issues, p.pin, p.paths.pin);
  const b = basics(issues, p, 'dispatch-from', 100);
  if (!st || !pc || !b) return undefined;
  return compact({ Nm: b.name, Addr1: b.addr1, Addr2: b.addr2, Loc: b.loc, Pin: pc, Stcd: st });
}
