/** Oracle-side code tables: UOM codes → UQC, tax names → IRP heads, lookup codes → IRP codes. */
import type { TaxHead } from '../shared/invoice.js';

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
