/** ERPNext code tables: UOM names → UQC, GST categories, cancel reasons, transport enums. */

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
