/** Tally-side code tables: unit symbols → UQC, natures of transaction → supply type, names → codes. */

/**
 * Unit symbols as Tally users create them (compared case-insensitively, dots ignored). Tally lets a
 * unit carry its own UQC; sites that filled it in can add their symbols here one-to-one.
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
