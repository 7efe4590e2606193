/**
 * ERPNext site tables: UOM names → UQC, GST categories → supply categories, extra state spellings; plus
 * cancel reasons and transport enums. The values here are the defaults; a source config's `tables`
 * section overrides them.
 */
import {
  caseInsensitiveKey,
  exactKey,
  oneOf,
  stateValue,
  uqcValue,
  type TableSpec,
} from '../shared/site-tables.js';

/** UOM names as ERPNext ships them (the UOM doctype's records), compared case-insensitively. */
export const ERPNEXT_UOM_TO_UQC: Readonly<Record<string, string>> = {
  nos: 'NOS',
  unit: 'UNT',
  piece: 'PCS',
  kg: 'KGS',
  gram: 'GMS',
  litre: 'LTR',
  millilitre: 'MLT',
  meter: 'MTR',
  centimeter: 'CMS',
  kilometer: 'KME',
  'square meter': 'SQM',
  'cubic meter': 'CBM',
  box: 'BOX',
  carton: 'CTN',
  pair: 'PRS',
  set: 'SET',
  dozen: 'DOZ',
  tonne: 'TON',
  'metric ton': 'MTS',
  quintal: 'QTL',
  bag: 'BAG',
  bottle: 'BTL',
  drum: 'DRM',
  pack: 'PAC',
  roll: 'ROL',
  thousand: 'THD',
  hour: 'OTH', // hours of service
  carat: 'OTH',
};

export const ERPNEXT_CANCEL_REASON: Readonly<Record<string, string>> = {
  Duplicate: '1',
  'Data Entry Mistake': '2',
  'Order Cancelled': '3',
  Others: '4',
};

export const ERPNEXT_TRANSPORT_MODE: Readonly<Record<string, string>> = {
  Road: '1',
  Rail: '2',
  Air: '3',
  Ship: '4',
};
export const ERPNEXT_VEHICLE_TYPE: Readonly<Record<string, string>> = {
  Regular: 'R',
  'Over Dimensional Cargo (ODC)': 'O',
};

/**
 * india-compliance's GST categories → what they are at the IRP. Tax Collector and Input Service
 * Distributor registrations are registered recipients (B2B); Unregistered is not e-invoiced.
 */
export const ERPNEXT_GST_CATEGORIES: Readonly<Record<string, 'B2B' | 'SEZ' | 'EXP' | 'DEXP'>> = {
  'Registered Regular': 'B2B',
  'Registered Composition': 'B2B',
  'UIN Holders': 'B2B',
  'Tax Deductor': 'B2B',
  'Tax Collector': 'B2B',
  'Input Service Distributor': 'B2B',
  SEZ: 'SEZ',
  Overseas: 'EXP',
  'Deemed Export': 'DEXP',
};

/** The ERPNext site tables and what each may hold (the `tables` section of an `erpnext` source config). */
export const ERPNEXT_TABLES = {
  units: {
    doc: 'UOM name (any case) → UQC; a UOM in no table is OTH, as india-compliance sends it',
    values: uqcValue,
    key: caseInsensitiveKey,
    defaults: ERPNEXT_UOM_TO_UQC,
  } satisfies TableSpec<string>,
  categories: {
    doc: 'gst_category → B2B, SEZ, EXP or DEXP',
    values: oneOf(['B2B', 'SEZ', 'EXP', 'DEXP'] as const),
    key: exactKey,
    defaults: ERPNEXT_GST_CATEGORIES,
  } satisfies TableSpec<'B2B' | 'SEZ' | 'EXP' | 'DEXP'>,
  states: {
    doc: 'state names beyond the ones understood anyway (addresses without gst_state_number) → GST state code',
    values: stateValue,
    key: caseInsensitiveKey,
    defaults: {},
  } satisfies TableSpec<string>,
};
