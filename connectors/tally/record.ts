/** The Tally Prime voucher event as avsc decodes `avro/tally/voucher.avsc` (all Tally values are text). */

export interface InventoryEntry {
  STOCKITEMNAME: string;
  HSNCODE: string | null;
  GSTTYPEOFSUPPLY: string;
  GSTRATE: string;
  CESSRATE: string | null;
  CESSRATEPERUNIT: string | null;
  RATE: string;
  BILLEDQTY: string;
  DISCOUNT: string;
  AMOUNT: string;
  BATCHNAME: string | null;
}

export interface LedgerEntry {
  LEDGERNAME: string;
  ISPARTYLEDGER: string;
  TAXTYPE: string;
  LEDGERTYPE: string;
  AMOUNT: string;
  APPROPRIATEFOR: string;
  GSTAPPROPRIATETO: string;
  EXCISEALLOCTYPE: string;
  HSNCODE: string | null;
  GSTRATE: string | null;
  GSTTYPEOFSUPPLY: string | null;
}

export interface Voucher {
  VOUCHERTYPENAME: string;
  VOUCHERTYPEPARENT: string;
  VOUCHERNUMBER: string;
  DATE: string;
  PARTYLEDGERNAME: string;
  PARTYNAME: string;
  PARTYGSTIN: string | null;
  BASICBUYERADDRESS: string[];
  STATENAME: string;
  COUNTRYOFRESIDENCE: string;
  PARTYPINCODE: string | null;
  PLACEOFSUPPLY: string;
  GSTREGISTRATIONTYPE: string;
  GSTNATUREOFTRANSACTION: string;
  ISREVERSECHARGEAPPLICABLE: string;
  CONSIGNEE: {
    NAME: string;
    GSTIN: string | null;
    ADDRESS: string[];
    STATENAME: string;
    PINCODE: string;
    COUNTRYNAME: string;
  } | null;
  ORIGINALINVOICENO: string | null;
  ORIGINALINVOICEDATE: string | null;
  PORTCODE: string | null;
  SHIPPINGBILLNO: string | null;
  SHIPPINGBILLDATE: string | null;
  FOREIGNCURRENCY: string | null;
  IRN: string | null;
  ALLINVENTORYENTRIES: InventoryEntry[];
  LEDGERENTRIES: LedgerEntry[];
  UNITS: { NAME: string; GSTREPUOM: string | null }[];
}

export interface TallyVoucherEvent {
  REQUEST: 'GENERATE_IRN' | 'CANCEL_IRN' | 'GENERATE_EWB';
  EVENTID: string;
  COMPANY: {
    NAME: string;
    GSTIN: string | null;
    ADDRESS: string[];
    STATENAME: string;
    PINCODE: string;
    PHONE: string | null;
    EMAIL: string | null;
  };
  VOUCHER: Voucher;
  CANCEL: { REASON: string; REMARKS: string } | null;
  EWAYBILL: {
    TRANSPORTERID: string | null;
    TRANSPORTERNAME: string | null;
    MODE: string;
    DISTANCE: string;
    DOCNO: string | null;
    DOCDATE: string | null;
    VEHICLENUMBER: string | null;
    VEHICLETYPE: string | null;
  } | null;
}
