/** The irp-bridge canonical invoice event as avsc decodes `avro/canonical/invoice-event.avsc`. */

export interface Party {
  gstin: string | null;
  legalName: string;
  tradeName: string | null;
  address1: string;
  address2: string | null;
  city: string;
  pin: number | null;
  stateCode: string;
  country: string;
  phone: string | null;
  email: string | null;
}

export interface Line {
  lineNo: number;
  description: string;
  isService: boolean;
  hsn: string;
  barcode: string | null;
  quantity: string | null;
  freeQuantity: string | null;
  unit: string | null;
  unitPrice: string;
  grossAmount: string;
  discount: string;
  preTaxValue: string | null;
  taxableValue: string;
  gstRate: string;
  igst: string;
  cgst: string;
  sgst: string;
  cessRate: string;
  cess: string;
  cessNonAdvol: string;
  stateCessRate: string | null;
  stateCess: string;
  stateCessNonAdvol: string;
  otherCharges: string;
  orderLineRef: string | null;
  originCountry: string | null;
  serialNumber: string | null;
  batch: { name: string; expiryDate: number | null; warrantyDate: number | null } | null;
  attributes: { name: string; value: string }[];
}

export type SupplyTypeSymbol = 'B2B' | 'SEZWP' | 'SEZWOP' | 'EXPWP' | 'EXPWOP' | 'DEXP';

export interface InvoiceEvent {
  eventId: string;
  eventType: 'GENERATE' | 'CANCEL' | 'EWAYBILL';
  sourceSystem: string;
  document: {
    type: 'INV' | 'CRN' | 'DBN';
    number: string;
    date: number;
    supplyType: SupplyTypeSymbol;
    reverseCharge: boolean;
    igstOnIntra: boolean;
    ecommerceGstin: string | null;
    placeOfSupply: string;
    currency: string;
    remarks: string | null;
    preceding: { number: string; date: number; otherReference: string | null }[];
    irn: string | null;
  };
  seller: Party;
  buyer: Party;
  dispatchFrom: Party | null;
  shipTo: Party | null;
  lines: Line[];
  totals: {
    otherCharges: string;
    discount: string;
    roundOff: string;
    totalInvoiceValue: string;
    totalInvoiceValueForeign: string | null;
  };
  payment: {
    payeeName: string | null;
    accountNumber: string | null;
    mode: string | null;
    ifsc: string | null;
    terms: string | null;
    creditDays: number | null;
    paidAmount: string | null;
    dueAmount: string | null;
  } | null;
  export: {
    shippingBillNumber: string | null;
    shippingBillDate: number | null;
    portCode: string | null;
    refundClaim: boolean;
    foreignCurrency: string | null;
    countryCode: string;
    exportDuty: string | null;
  } | null;
  transport: {
    transporterId: string | null;
    transporterName: string | null;
    mode: 'ROAD' | 'RAIL' | 'AIR' | 'SHIP' | null;
    distanceKm: number;
    docNumber: string | null;
    docDate: number | null;
    vehicleNumber: string | null;
    vehicleType: 'REGULAR' | 'ODC' | null;
  } | null;
  cancel: {
    reason: 'DUPLICATE' | 'DATA_ENTRY_MISTAKE' | 'ORDER_CANCELLED' | 'OTHERS';
    remark: string;
  } | null;
}
