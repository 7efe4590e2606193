/**
 * Oracle-side site tables: UOM codes → UQC, tax names → IRP heads, transaction classes, extra state
 * spellings, and the SAC of taxable charge lines; plus lookup codes → IRP codes. The values here are
 * the defaults; a source config's `tables` section overrides them.
 */
import type { TaxHead } from '../shared/invoice.js';
import {
  caseInsensitiveKey,
  exactKey,
  oneOf,
  stateValue,
  uqcValue,
  type TableSpec,
} from '../shared/site-tables.js';

/** Units of measure as Oracle inventory UOM codes (case-insensitive; sites define their own). */
export const ORACLE_UOM_TO_UQC: Readonly<Record<string, string>> = {
  EA: 'NOS',
  PCS: 'PCS',
  NOS: 'NOS',
  KG: 'KGS',
  G: 'GMS',
  GM: 'GMS',
  TON: 'TON',
  MT: 'MTS',
  L: 'LTR',
  LTR: 'LTR',
  ML: 'MLT',
  M: 'MTR',
  CM: 'CMS',
  KM: 'KME',
  M2: 'SQM',
  M3: 'CBM',
  CTN: 'CTN',
  PK: 'PAC',
  BAG: 'BAG',
  BTL: 'BTL',
  DZ: 'DOZ',
  PR: 'PRS',
  ROL: 'ROL',
  SET: 'SET',
  BOX: 'BOX',
  DRM: 'DRM',
  QTL: 'QTL',
  THD: 'THD',
  HR: 'OTH', // hours of service
  CT: 'OTH', // carat
};

/** Taxes of the IN GST and IN TCS regimes as configured in Oracle Tax for India. */
export const ORACLE_TAX_HEADS: Readonly<Record<string, TaxHead>> = {
  CGST: 'cgst',
  SGST: 'sgst',
  UTGST: 'sgst', // the IRP has one field for SGST and UTGST
  IGST: 'igst',
  'COMPENSATION CESS': 'cess',
  'COMPENSATION CESS SPECIFIC': 'cessNonAdvl',
  TCS: 'tcs',
};

export const ORACLE_CLASS_TO_DOC_TYPE: Readonly<Record<string, 'INV' | 'CRN' | 'DBN'>> = {
  INV: 'INV',
  CM: 'CRN',
  DM: 'DBN',
};

/**
 * A FREIGHT or CHARGES line that carries GST is a taxable supply of its own and becomes an IRP item; its
 * HSN/SAC is the line's ProductFiscalClassification, else this table's entry for its memo line (then
 * its line type). 996511: road transport of goods; 998549: other packaging services.
 */
export const ORACLE_CHARGE_SAC: Readonly<Record<string, string>> = {
  FREIGHT: '996511',
  'FREIGHT OUTWARD': '996511',
  'PACKING AND FORWARDING': '998549',
};

export const ORACLE_CANCEL_REASON: Readonly<Record<string, string>> = {
  DUPLICATE: '1',
  DATA_ENTRY_MISTAKE: '2',
  ORDER_CANCELLED: '3',
  OTHERS: '4',
};

export const ORACLE_TRANSPORT_MODE: Readonly<Record<string, string>> = {
  ROAD: '1',
  RAIL: '2',
  AIR: '3',
  SHIP: '4',
};
export const ORACLE_VEHICLE_TYPE: Readonly<Record<string, string>> = { REGULAR: 'R', ODC: 'O' };

const TAX_HEADS = ['cgst', 'sgst', 'igst', 'cess', 'cessNonAdvl', 'tcs'] as const;

/** The Oracle site tables and what each may hold (the `tables` section of an `oracle` source config). */
export const ORACLE_TABLES = {
  units: {
    doc: 'UnitOfMeasure (inventory UOM code, any case) → UQC',
    values: uqcValue,
    key: caseInsensitiveKey,
    defaults: ORACLE_UOM_TO_UQC,
  } satisfies TableSpec<string>,
  taxes: {
    doc: 'tax line Tax (E-Business Tax tax name, any case) → IRP head',
    values: oneOf(TAX_HEADS),
    key: caseInsensitiveKey,
    defaults: ORACLE_TAX_HEADS,
  } satisfies TableSpec<TaxHead>,
  transactionClasses: {
    doc: 'TransactionClass → IRP document type',
    values: oneOf(['INV', 'CRN', 'DBN'] as const),
    key: exactKey,
    defaults: ORACLE_CLASS_TO_DOC_TYPE,
  } satisfies TableSpec<'INV' | 'CRN' | 'DBN'>,
  states: {
    doc: 'address State spellings beyond the two-letter codes and state names understood anyway → GST state code',
    values: stateValue,
    key: caseInsensitiveKey,
    defaults: {},
  } satisfies TableSpec<string>,
  chargeSac: {
    doc: 'MemoLineName or LineType of a taxable FREIGHT/CHARGES line without a fiscal classification → SAC',
    values: { what: 'a 4–8 digit HSN/SAC', is: (v: string): v is string => /^[0-9]{4,8}$/.test(v) },
    key: caseInsensitiveKey,
    defaults: ORACLE_CHARGE_SAC,
  } satisfies TableSpec<string>,
};
