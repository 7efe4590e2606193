/**
 * SAP-side site tables: sales units (T006 internal keys) → UQC, T005S regions of country IN → GST state
 * codes, the pricing condition types the mapping understands, and SD document categories. The values
 * here are the defaults; a source config's `tables` section overrides them per SAP system (another
 * customising: other condition types, regions renumbered to GST codes, Z units).
 */
import { exactKey, oneOf, stateValue, uqcValue, type TableSpec } from '../shared/site-tables.js';

/** T006 internal unit keys (as stored in VRKME, not the ISO or language-dependent external keys). */
export const SAP_UNIT_TO_UQC: Readonly<Record<string, string>> = {
  ST: 'PCS', // Stück
  PC: 'PCS',
  EA: 'NOS',
  KG: 'KGS',
  G: 'GMS',
  TO: 'TON',
  MT: 'MTS',
  L: 'LTR',
  ML: 'MLT',
  M: 'MTR',
  CM: 'CMS',
  KM: 'KME',
  M2: 'SQM',
  M3: 'CBM',
  KAR: 'CTN',
  PAK: 'PAC',
  BAG: 'BAG',
  FL: 'BTL', // Flasche
  DZ: 'DOZ',
  PAA: 'PRS', // Paar
  ROL: 'ROL',
  SET: 'SET',
  BOX: 'BOX',
  DR: 'DRM',
  QT: 'QTL',
  TS: 'THD', // thousand
  H: 'OTH', // hours: services have no UQC of their own
  AU: 'OTH', // activity unit
  LE: 'NOS', // performance unit, one per service rendered
  CT: 'OTH', // carat: customer-defined, no UQC
};

/**
 * T005S region keys for India as SAP delivers them: numbered alphabetically by the old state names,
 * not by GST state code (SAP 13 is Maharashtra, GST 13 is Nagaland). Systems that renumbered their
 * regions to GST codes replace this table.
 */
export const SAP_REGION_TO_STATE: Readonly<Record<string, string>> = {
  '01': '37', // Andhra Pradesh
  '02': '12', // Arunachal Pradesh
  '03': '18', // Assam
  '04': '10', // Bihar
  '05': '30', // Goa
  '06': '24', // Gujarat
  '07': '06', // Haryana
  '08': '02', // Himachal Pradesh
  '09': '01', // Jammu and Kashmir
  '10': '29', // Karnataka
  '11': '32', // Kerala
  '12': '23', // Madhya Pradesh
  '13': '27', // Maharashtra
  '14': '14', // Manipur
  '15': '17', // Meghalaya
  '16': '15', // Mizoram
  '17': '13', // Nagaland
  '18': '21', // Orissa
  '19': '03', // Punjab
  '20': '08', // Rajasthan
  '21': '11', // Sikkim
  '22': '33', // Tamil Nadu
  '23': '16', // Tripura
  '24': '09', // Uttar Pradesh
  '25': '19', // West Bengal
  '26': '35', // Andaman and Nicobar Islands
  '27': '04', // Chandigarh
  '28': '26', // Dadra and Nagar Haveli (merged UT since 2020)
  '29': '26', // Daman and Diu (merged UT since 2020)
  '30': '07', // Delhi
  '31': '31', // Lakshadweep
  '32': '34', // Pondicherry
  '33': '22', // Chhattisgarh
  '34': '20', // Jharkhand
  '35': '05', // Uttaranchal
  '36': '36', // Telangana
  '37': '38', // Ladakh
};

export const CONDITION_ROLES_LIST = [
  'price',
  'discount',
  'charge',
  'roundOff',
  'cgst',
  'sgst',
  'igst',
  'cess',
  'cessNonAdvl',
  'tcs',
] as const;
export type ConditionRole = (typeof CONDITION_ROLES_LIST)[number];

/**
 * Condition types by role. JOCG/JOSG/JOIG/JOUG are SAP's India output-tax conditions; compensation cess,
 * freight and header conditions are customer-defined in SAP's GST configuration guides, the Z keys are
 * this project's defaults. Where a `discount` or `charge` condition stands in the pricing procedure
 * (its step `STUNR` before or after the item's GST conditions) decides whether it is inside the taxable
 * value: a pre-tax freight is part of `AssAmt`, a post-tax one is `OthChrg`. Statistical conditions
 * (`KSTAT` = X: VPRS cost, SKTO cash discount …) never count; any other condition with a value that
 * is not in this table refuses the document (`MAP_UNMAPPED_AMOUNT`), so no money is dropped.
 */
export const CONDITION_ROLES: Readonly<Record<string, ConditionRole>> = {
  PR00: 'price',
  PPR0: 'price',
  PB00: 'price', // gross price, manual
  K004: 'discount',
  K005: 'discount',
  K007: 'discount',
  RA00: 'discount',
  RA01: 'discount',
  RB00: 'discount',
  R100: 'discount', // 100 % discount: free goods
  HA00: 'discount', // header discount %, distributed to the items
  HB00: 'discount', // header discount, absolute, distributed
  ZHDS: 'discount',
  JOCG: 'cgst',
  JOSG: 'sgst',
  JOUG: 'sgst', // UTGST: the IRP carries it in SgstAmt
  JOIG: 'igst',
  ZCMP: 'cess', // compensation cess, ad valorem
  ZCMQ: 'cessNonAdvl', // compensation cess, per quantity
  JTC1: 'tcs', // TCS s.206C(1H): outside the taxable value → item OthChrg
  HD00: 'charge', // freight (header, distributed)
  KF00: 'charge', // freight (item)
  ZFRT: 'charge', // freight
  ZPKG: 'charge', // packing and forwarding
  DIFF: 'roundOff', // rounding to the T001R unit (₹1), wherever it is posted
};

export const VBTYP_TO_DOC_TYPE: Readonly<Record<string, 'INV' | 'CRN' | 'DBN'>> = {
  M: 'INV',
  O: 'CRN',
  P: 'DBN',
};

/** The SAP site tables and what each may hold (the `tables` section of a `sap` source config). */
export const SAP_TABLES = {
  units: {
    doc: 'sales unit (VBRP.VRKME, T006 internal key) → UQC',
    values: uqcValue,
    key: exactKey,
    defaults: SAP_UNIT_TO_UQC,
  } satisfies TableSpec<string>,
  regions: {
    doc: 'region of country IN (T005S, REGION) → GST state code',
    values: stateValue,
    key: exactKey,
    defaults: SAP_REGION_TO_STATE,
  } satisfies TableSpec<string>,
  conditions: {
    doc: 'condition type (PRCD_ELEMENTS.KSCHL) → role',
    values: oneOf(CONDITION_ROLES_LIST),
    key: exactKey,
    defaults: CONDITION_ROLES,
  } satisfies TableSpec<ConditionRole>,
  documentCategories: {
    doc: 'SD document category (VBRK.VBTYP) → IRP document type',
    values: oneOf(['INV', 'CRN', 'DBN'] as const),
    key: exactKey,
    defaults: VBTYP_TO_DOC_TYPE,
  } satisfies TableSpec<'INV' | 'CRN' | 'DBN'>,
};
