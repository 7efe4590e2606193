/**
 * The SAP billing-document event as avsc decodes `avro/sap/billing-document.avsc`: decimals are Buffers
 * (big-endian unscaled, scale fixed by the schema), nullable fields are `null`.
 */
export type SapDecimal = Buffer;

export const SCALE = { amount: 2, quantity: 3, rate: 3, exchangeRate: 5 } as const;

export interface BillingHeader {
  VBELN: string;
  FKART: string;
  VBTYP: string;
  FKDAT: string;
  WAERK: string;
  KURRF: SapDecimal | null;
  BUKRS: string;
  BUPLA: string;
  XBLNR: string;
  KUNAG: string;
  KUNRG: string;
  NETWR: SapDecimal;
  MWSBK: SapDecimal;
  ZTERM: string;
  SFAKN: string | null;
  ZZSUPTYP: string;
  ZZRCM: string;
  ZZECMGSTIN: string | null;
  ZZIGSTONINTRA: string;
}

export interface Address {
  NAME1: string;
  STREET: string;
  STR_SUPPL1: string | null;
  CITY1: string;
  POST_CODE1: string;
  REGION: string;
  TEL_NUMBER: string | null;
  SMTP_ADDR: string | null;
}

export interface BusinessPlace extends Address {
  BUPLA: string;
  GSTIN: string;
}

export interface Partner extends Address {
  PARVW: string;
  KUNNR: string;
  NAME2: string | null;
  LAND1: string;
  STCD3: string | null;
}

export interface BillingItem {
  POSNR: string;
  MATNR: string;
  ARKTX: string;
  FKIMG: SapDecimal;
  VRKME: string;
  NETWR: SapDecimal;
  MWSBP: SapDecimal;
  WERKS: string;
  STEUC: string;
  PSTYV: string;
  EAN11: string | null;
  CHARG: string | null;
  HERKL: string | null;
  AUBEL: string | null;
}

export interface PricingElement {
  KPOSN: string;
  STUNR: number;
  KSCHL: string;
  KRECH: string;
  KBETR: SapDecimal;
  KPEIN: number;
  KMEIN: string;
  KAWRT: SapDecimal;
  KWERT: SapDecimal;
  KINAK: string;
  KSTAT: string;
  KOAID: string;
}

export interface BillingDocumentEvent {
  EVENT: 'CREATED' | 'CANCELED' | 'EWB_REQUESTED';
  EVENT_ID: string;
  EVENT_TS: number;
  VBRK: BillingHeader;
  SELLER: BusinessPlace;
  PARTNERS: Partner[];
  VBRP: BillingItem[];
  PRCD_ELEMENTS: PricingElement[];
  PRECEDING: { VBELN: string; XBLNR: string; FKDAT: string }[];
  EXPORT: {
    LAND1: string;
    PORT_CODE: string;
    SHIPBILL_NO: string | null;
    SHIPBILL_DATE: string | null;
    FOREIGN_CURRENCY: string;
  } | null;
  IRN: { IRN: string; ACK_NO: string; ACK_DATE: string } | null;
  CANCEL: { REASON: string; REMARK: string } | null;
  EWB: {
    TRANSPORTER_GSTIN: string | null;
    TRANSPORTER_NAME: string | null;
    TRANS_MODE: string;
    DISTANCE: number;
    TRANS_DOC_NO: string | null;
    TRANS_DOC_DATE: string | null;
    VEHICLE_NO: string | null;
    VEHICLE_TYPE: string | null;
  } | null;
}
