/**
 * Tally-side site tables: unit symbols → UQC (used when the unit master carries no UQC), natures of
 * transaction → supply type, GST duty heads, voucher type parents, extra state spellings; plus names →
 * codes. The values here are the defaults; a source config's `tables` section overrides them.
 */
import { exactKey, oneOf, stateValue, uqcValue, type TableSpec } from '../shared/site-tables.js';

/**
 * Unit symbols as Tally users create them (compared case-insensitively, dots ignored), for units whose
 * master record carries no UQC (GSTREPUOM, which the mapping prefers when the voucher brings it).
 */
export const TALLY_UNIT_TO_UQC: Readonly<Record<string, string>> = {
  nos: 'NOS',
  no: 'NOS',
  pcs: 'PCS',
  kgs: 'KGS',
  kg: 'KGS',
  gms: 'GMS',
  gm: 'GMS',
  ltr: 'LTR',
  ltrs: 'LTR',
  ml: 'MLT',
  mtr: 'MTR',
  mtrs: 'MTR',
  sqm: 'SQM',
  sqmtr: 'SQM',
  cbm: 'CBM',
  box: 'BOX',
  bag: 'BAG',
  bags: 'BAG',
  btl: 'BTL',
  ctn: 'CTN',
  pkt: 'PAC',
  drum: 'DRM',
  qtl: 'QTL',
  mt: 'MTS',
  tonne: 'TON',
  th: 'THD',
  prs: 'PRS',
  pair: 'PRS',
  doz: 'DOZ',
  roll: 'ROL',
  set: 'SET',
  hrs: 'OTH', // hours of service
  ct: 'OTH', // carat
};

export const TALLY_NATURE_TO_SUPPLY: Readonly<
  Record<string, 'B2B' | 'SEZWP' | 'SEZWOP' | 'EXPWP' | 'EXPWOP' | 'DEXP'>
> = {
  'Sales Taxable': 'B2B',
  'Interstate Sales Taxable': 'B2B',
  'Sales to SEZ - Taxable': 'SEZWP',
  'Sales to SEZ - LUT/Bond': 'SEZWOP',
  'Exports Taxable': 'EXPWP',
  'Exports - LUT/Bond': 'EXPWOP',
  'Deemed Exports Taxable': 'DEXP',
};

export const TALLY_PARENT_TO_DOC_TYPE: Readonly<Record<string, 'INV' | 'CRN' | 'DBN'>> = {
  Sales: 'INV',
  'Credit Note': 'CRN',
  'Debit Note': 'DBN',
};

export const TALLY_CANCEL_REASON: Readonly<Record<string, string>> = {
  Duplicate: '1',
  'Data Entry Mistake': '2',
  'Order Cancelled': '3',
  Others: '4',
};

export const TALLY_TRANSPORT_MODE: Readonly<Record<string, string>> = {
  Road: '1',
  Rail: '2',
  Air: '3',
  Ship: '4',
};
export const TALLY_VEHICLE_TYPE: Readonly<Record<string, string>> = {
  Regular: 'R',
  'Over Dimensional Cargo': 'O',
};

/** The GST duty heads of Tally's duty ledgers (TAXTYPE / GSTDUTYHEAD). */
export const TALLY_DUTY_HEADS: Readonly<Record<string, 'cgst' | 'sgst' | 'igst' | 'cess'>> = {
  'Central Tax': 'cgst',
  'State Tax': 'sgst',
  'UT Tax': 'sgst',
  'Integrated Tax': 'igst',
  Cess: 'cess',
};

const unitKey = (k: string) => k.trim().toLowerCase().replace(/\./g, '');

/** The Tally site tables and what each may hold (the `tables` section of a `tally` source config). */
export const TALLY_TABLES = {
  units: {
    doc: 'unit symbol (any case, dots ignored) → UQC, for units whose master has no GSTREPUOM',
    values: uqcValue,
    key: unitKey,
    defaults: TALLY_UNIT_TO_UQC,
  } satisfies TableSpec<string>,
  natures: {
    doc: 'GSTNATUREOFTRANSACTION → IRP supply type',
    values: oneOf(['B2B', 'SEZWP', 'SEZWOP', 'EXPWP', 'EXPWOP', 'DEXP'] as const),
    key: exactKey,
    defaults: TALLY_NATURE_TO_SUPPLY,
  } satisfies TableSpec<'B2B' | 'SEZWP' | 'SEZWOP' | 'EXPWP' | 'EXPWOP' | 'DEXP'>,
  dutyHeads: {
    doc: 'duty ledger TAXTYPE → cgst, sgst, igst or cess',
    values: oneOf(['cgst', 'sgst', 'igst', 'cess'] as const),
    key: exactKey,
    defaults: TALLY_DUTY_HEADS,
  } satisfies TableSpec<'cgst' | 'sgst' | 'igst' | 'cess'>,
  voucherTypes: {
    doc: 'VOUCHERTYPEPARENT → IRP document type',
    values: oneOf(['INV', 'CRN', 'DBN'] as const),
    key: exactKey,
    defaults: TALLY_PARENT_TO_DOC_TYPE,
  } satisfies TableSpec<'INV' | 'CRN' | 'DBN'>,
  states: {
    doc: 'state names beyond the ones understood anyway → GST state code',
    values: stateValue,
    key: (k: string) => k.trim().toLowerCase(),
    defaults: {},
  } satisfies TableSpec<string>,
};
