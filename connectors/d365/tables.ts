/** Dynamics 365 code tables: unit symbols → UQC, GST tax components, enums → IRP codes. */
import type { TaxHead } from '../shared/invoice.js';

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
