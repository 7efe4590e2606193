/**
 * Dynamics 365 site tables: unit symbols → UQC, GST tax components → IRP heads, GST customer types →
 * supply categories, extra state spellings; plus enums → IRP codes. The values here are the defaults; a
 * source config's `tables` section overrides them.
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

/** Unit symbols (UnitOfMeasure.Symbol), compared in lower case as sites mix `L` and `l`. */
export const D365_UNIT_TO_UQC: Readonly<Record<string, string>> = {
  ea: 'NOS',
  pcs: 'PCS',
  kg: 'KGS',
  g: 'GMS',
  t: 'TON',
  mt: 'MTS',
  l: 'LTR',
  ml: 'MLT',
  m: 'MTR',
  cm: 'CMS',
  km: 'KME',
  m2: 'SQM',
  m3: 'CBM',
  box: 'BOX',
  ctn: 'CTN',
  pack: 'PAC',
  bag: 'BAG',
  btl: 'BTL',
  dz: 'DOZ',
  pr: 'PRS',
  roll: 'ROL',
  set: 'SET',
  drum: 'DRM',
  qtl: 'QTL',
  th: 'THD',
  h: 'OTH', // hours
  ct: 'OTH', // carat
};

/** Tax components of the India GST configuration (Tax Engine / GTE). */
export const D365_TAX_COMPONENTS: Readonly<Record<string, TaxHead>> = {
  CGST: 'cgst',
  SGST: 'sgst',
  UTGST: 'sgst',
  IGST: 'igst',
  Cess: 'cess',
  CessQty: 'cessNonAdvl',
  TCS: 'tcs',
};

/**
 * GST customer types → what they are at the IRP. F&O spells the regular one `Regular`, Business Central
 * `Registered`; `Unregistered` and `Exempted` customers are not e-invoiced (B2C, exempt) and are refused.
 * SEZ and export become WP/WOP by `WithoutPaymentOfTax`.
 */
export const D365_CUSTOMER_TYPES: Readonly<Record<string, 'B2B' | 'SEZ' | 'EXP' | 'DEXP'>> = {
  Regular: 'B2B',
  Registered: 'B2B',
  'SEZ Unit': 'SEZ',
  'SEZ Development': 'SEZ',
  Export: 'EXP',
  'Deemed export': 'DEXP',
};

export const D365_CANCEL_REASON: Readonly<Record<string, string>> = {
  Duplicate: '1',
  DataEntryMistake: '2',
  OrderCancelled: '3',
  Others: '4',
};

export const D365_TRANSPORT_MODE: Readonly<Record<string, string>> = {
  Road: '1',
  Rail: '2',
  Air: '3',
  Ship: '4',
};
export const D365_VEHICLE_TYPE: Readonly<Record<string, string>> = {
  Regular: 'R',
  OverDimensionalCargo: 'O',
};

/** The D365 site tables and what each may hold (the `tables` section of a `d365` source config). */
export const D365_TABLES = {
  units: {
    doc: 'SalesUnitSymbol (any case) → UQC',
    values: uqcValue,
    key: caseInsensitiveKey,
    defaults: D365_UNIT_TO_UQC,
  } satisfies TableSpec<string>,
  taxComponents: {
    doc: 'TaxComponent of a tax transaction → IRP head',
    values: oneOf(['cgst', 'sgst', 'igst', 'cess', 'cessNonAdvl', 'tcs'] as const),
    key: exactKey,
    defaults: D365_TAX_COMPONENTS,
  } satisfies TableSpec<TaxHead>,
  customerTypes: {
    doc: 'GSTCustomerType (any case) → B2B, SEZ, EXP or DEXP',
    values: oneOf(['B2B', 'SEZ', 'EXP', 'DEXP'] as const),
    key: caseInsensitiveKey,
    defaults: D365_CUSTOMER_TYPES,
  } satisfies TableSpec<'B2B' | 'SEZ' | 'EXP' | 'DEXP'>,
  states: {
    doc: 'address state ids beyond the two-letter codes and state names understood anyway → GST state code',
    values: stateValue,
    key: caseInsensitiveKey,
    defaults: {},
  } satisfies TableSpec<string>,
};
