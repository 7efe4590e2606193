/**
 * The e-invoice request schema v1.1 (data/irp/schema/einvoice-v1.1.normalized.schema.json) as io-ts
 * codecs, one per block, with the schema's own constraints. Types come from `t.TypeOf`; property names
 * are the schema's canonical spellings (NIC's sample spells some differently — see normalize.ts).
 */
import * as t from 'io-ts';
import { block, irpEnum, irpNumber, irpString, nonEmptyArray } from './constraints.js';

// The schema's text pattern only forbids `"`; NIC's prose also forbids `\` (a warning in the validator).
const TEXT = /^([^"])*$/;
const DATE = /^[0-3][0-9]\/[0-1][0-9]\/[2][0][1-2][0-9]$/;
const GSTIN = /^([0-9]{2}[0-9A-Z]{13})$/;
const GSTIN_OR_URP = /^(([0-9]{2}[0-9A-Z]{13})|URP)$/;
const STATE = /^(?!0+$)([0-9]{1,2})$/;

const text = (min: number, max: number) => irpString(`Text(${min}..${max})`, { min, max, pattern: TEXT });
const date = irpString('Date(dd/MM/yyyy)', { min: 10, max: 10, pattern: DATE });
const amount = irpNumber('Amount', { min: 0, max: 999999999999.99 });
const total = irpNumber('Total', { min: 0, max: 99999999999999.98 });
const rate = irpNumber('Rate', { min: 0, max: 999.999 });
const pin = irpNumber('Pin', { min: 100000, max: 999999 });
const stateCode = irpString('StateCode', { min: 1, max: 2, pattern: STATE });
const yesNo = irpEnum('YesNo', ['Y', 'N'] as const);
const phone = irpString('Phone', { min: 6, max: 12, pattern: /^([0-9]{6,12})$/ });
const email = irpString('Email', { min: 6, max: 100, pattern: /^[a-zA-Z0-9+_.-]+@[a-zA-Z0-9.-]+$/ });

export const SupplyTypeCodec = irpEnum(
  'SupTyp',
  ['B2B', 'SEZWP', 'SEZWOP', 'EXPWP', 'EXPWOP', 'DEXP'] as const,
  { caseInsensitive: true },
);
// Case-insensitive as NIC's `(?i)` patterns: "inv" binds as "INV" (RECORD.md §1).
export const DocTypeCodec = irpEnum('DocTyp', ['INV', 'CRN', 'DBN'] as const, { caseInsensitive: true });

export const TranDtlsCodec = block(
  'TranDtls',
  { TaxSch: irpEnum('TaxSch', ['GST'] as const), SupTyp: SupplyTypeCodec },
  {
    RegRev: yesNo,
    EcmGstin: irpString('EcmGstin', { min: 15, max: 15, pattern: GSTIN }),
    IgstOnIntra: yesNo,
  },
);

export const DocDtlsCodec = block(
  'DocDtls',
  {
    Typ: DocTypeCodec,
    No: irpString('DocNo', { min: 1, max: 16, pattern: /^([a-zA-Z1-9]{1}[a-zA-Z0-9/-]{0,15})$/ }),
    Dt: date,
  },
  {},
);

export const SellerDtlsCodec = block(
  'SellerDtls',
  {
    Gstin: irpString('Gstin', { min: 15, max: 15, pattern: GSTIN }),
    LglNm: text(3, 100),
    Addr1: text(1, 100),
    Loc: text(3, 50),
    Pin: pin,
    Stcd: stateCode,
  },
  { TrdNm: text(3, 100), Addr2: text(3, 100), Ph: phone, Em: email },
);

export const BuyerDtlsCodec = block(
  'BuyerDtls',
  {
    Gstin: irpString('GstinOrUrp', { min: 3, max: 15, pattern: GSTIN_OR_URP }),
    LglNm: text(3, 100),
    Pos: stateCode,
    Addr1: text(1, 100),
    Loc: text(3, 100),
    Stcd: stateCode,
  },
  { TrdNm: text(3, 100), Addr2: text(3, 100), Pin: pin, Ph: phone, Em: email },
);

export const DispDtlsCodec = block(
  'DispDtls',
  { Nm: text(3, 100), Addr1: text(1, 100), Loc: text(3, 100), Pin: pin, Stcd: stateCode },
  { Addr2: text(3, 100) },
);

export const ShipDtlsCodec = block(
  'ShipDtls',
  { LglNm: text(3, 100), Addr1: text(1, 100), Loc: text(3, 100), Pin: pin, Stcd: stateCode },
  {
    Gstin: irpString('GstinOrUrp', { min: 3, max: 15, pattern: GSTIN_OR_URP }),
    TrdNm: text(3, 100),
    Addr2: text(3, 100),
  },
);

export const BchDtlsCodec = block('BchDtls', { Nm: text(3, 20) }, { ExpDt: date, WrDt: date });

export const AttribDtlsCodec = block('AttribDtls', {}, { Nm: text(1, 100), Val: text(1, 100) });

export const ItemCodec = block(
  'Item',
  {
    SlNo: irpString('SlNo', { min: 1, max: 6, pattern: /^([0-9]{1,6})$/ }),
    IsServc: yesNo,
    HsnCd: irpString('HsnCd', { min: 4, max: 8, pattern: /^(?!0+$)([0-9]{4}|[0-9]{6}|[0-9]{8})$/ }),
    UnitPrice: irpNumber('UnitPrice', { min: 0, max: 999999999999.999 }),
    TotAmt: amount,
    AssAmt: amount,
    GstRt: rate,
    TotItemVal: amount,
  },
  {
    PrdDesc: text(3, 300),
    Barcde: text(3, 30),
    Qty: irpNumber('Qty', { min: 0, max: 9999999999.999 }),
    FreeQty: irpNumber('Qty', { min: 0, max: 9999999999.999 }),
    Unit: irpString('Unit', { min: 3, max: 8, pattern: /^([A-Z|a-z]{3,8})$/ }),
    Discount: amount,
    PreTaxVal: amount,
    IgstAmt: amount,
    CgstAmt: amount,
    SgstAmt: amount,
    CesRt: rate,
    CesAmt: amount,
    CesNonAdvlAmt: amount,
    StateCesRt: rate,
    StateCesAmt: amount,
    StateCesNonAdvlAmt: amount,
    OthChrg: amount,
    OrdLineRef: text(1, 50),
    OrgCntry: irpString('Country', { min: 2, max: 2, pattern: /^([A-Z|a-z]{2})$/ }),
    PrdSlNo: text(1, 20),
    BchDtls: BchDtlsCodec,
    AttribDtls: t.array(AttribDtlsCodec),
  },
);

export const ValDtlsCodec = block(
  'ValDtls',
  { AssVal: total, TotInvVal: total },
  {
    CgstVal: total,
    SgstVal: total,
    IgstVal: total,
    CesVal: total,
    StCesVal: total,
    Discount: total,
    OthChrg: total,
    RndOffAmt: irpNumber('RndOffAmt', { min: -99.99, max: 99.99 }),
    TotInvValFc: total,
  },
);

export const PayDtlsCodec = block(
  'PayDtls',
  {},
  {
    Nm: text(1, 100),
    AccDet: text(1, 18),
    Mode: text(1, 18),
    FinInsBr: text(1, 11),
    PayTerm: text(1, 100),
    PayInstr: text(1, 100),
    CrTrn: text(1, 100),
    DirDr: text(1, 100),
    CrDay: irpNumber('CrDay', { min: 0, max: 9999 }),
    PaidAmt: total,
    PaymtDue: total,
  },
);

export const DocPerdDtlsCodec = block('DocPerdDtls', { InvStDt: date, InvEndDt: date }, {});

export const PrecDocDtlsCodec = block(
  'PrecDocDtls',
  {
    InvNo: irpString('PrecDocNo', { min: 1, max: 16, pattern: /^[1-9a-zA-Z]{1}[0-9a-zA-Z/-]{1,15}$/ }),
    InvDt: date,
  },
  { OthRefNo: text(1, 20) },
);

export const ContrDtlsCodec = block(
  'ContrDtls',
  {},
  {
    RecAdvRefr: text(1, 20),
    RecAdvDt: date,
    TendRefr: text(1, 20),
    ContrRefr: text(1, 20),
    ExtRefr: text(1, 20),
    ProjRefr: text(1, 20),
    PORefr: text(1, 16),
    PORefDt: date,
  },
);

export const RefDtlsCodec = block(
  'RefDtls',
  {},
  {
    InvRm: text(3, 100),
    DocPerdDtls: DocPerdDtlsCodec,
    PrecDocDtls: t.array(PrecDocDtlsCodec),
    ContrDtls: t.array(ContrDtlsCodec),
  },
);

export const AddlDocDtlsCodec = block(
  'AddlDocDtls',
  {},
  { Url: text(3, 100), Docs: text(3, 1000), Info: text(3, 1000) },
);

export const ExpDtlsCodec = block(
  'ExpDtls',
  {},
  {
    ShipBNo: text(1, 20),
    ShipBDt: date,
    Port: irpString('Port', { min: 2, max: 10, pattern: /^[0-9|A-Z|a-z]{2,10}$/ }),
    RefClm: yesNo,
    ForCur: irpString('Currency', { min: 3, max: 16, pattern: /^[A-Z|a-z]{3,16}$/ }),
    CntCode: irpString('Country', { min: 2, max: 2, pattern: /^([A-Z]{2})$/ }),
    ExpDuty: amount,
  },
);

export const EwbDtlsCodec = block(
  'EwbDtls',
  { Distance: irpNumber('Distance', { min: 0, max: 4000 }) },
  {
    TransId: irpString('TransId', { min: 15, max: 15, pattern: GSTIN }),
    TransName: text(3, 100),
    TransMode: irpEnum('TransMode', ['1', '2', '3', '4'] as const),
    TransDocNo: irpString('TransDocNo', { min: 1, max: 15, pattern: /^([a-zA-Z0-9/-]{1,15})$/ }),
    TransDocDt: irpString('TransDocDt', { min: 10, max: 10, pattern: /^[a-zA-Z0-9]{1}[a-zA-Z0-9-/]*$/ }),
    VehNo: irpString('VehNo', { min: 4, max: 20, pattern: /^([A-Z|a-z|0-9]{4,20})$/ }),
    VehType: irpEnum('VehType', ['O', 'R'] as const),
  },
);

export const InvoiceCodec = block(
  'Invoice',
  {
    Version: irpString('Version', { min: 1, max: 6 }),
    TranDtls: TranDtlsCodec,
    DocDtls: DocDtlsCodec,
    SellerDtls: SellerDtlsCodec,
    BuyerDtls: BuyerDtlsCodec,
    ItemList: nonEmptyArray(ItemCodec, 'ItemList'),
    ValDtls: ValDtlsCodec,
  },
  {
    Irn: irpString('Irn', { min: 64, max: 64 }),
    DispDtls: DispDtlsCodec,
    ShipDtls: ShipDtlsCodec,
    PayDtls: PayDtlsCodec,
    RefDtls: RefDtlsCodec,
    AddlDocDtls: t.array(AddlDocDtlsCodec),
    ExpDtls: ExpDtlsCodec,
    EwbDtls: EwbDtlsCodec,
  },
);

export type Invoice = t.TypeOf<typeof InvoiceCodec>;
export type TranDtls = t.TypeOf<typeof TranDtlsCodec>;
export type DocDtls = t.TypeOf<typeof DocDtlsCodec>;
export type SellerDtls = t.TypeOf<typeof SellerDtlsCodec>;
export type BuyerDtls = t.TypeOf<typeof BuyerDtlsCodec>;
export type DispDtls = t.TypeOf<typeof DispDtlsCodec>;
export type ShipDtls = t.TypeOf<typeof ShipDtlsCodec>;
export type Item = t.TypeOf<typeof ItemCodec>;
export type BchDtls = t.TypeOf<typeof BchDtlsCodec>;
export type AttribDtls = t.TypeOf<typeof AttribDtlsCodec>;
export type ValDtls = t.TypeOf<typeof ValDtlsCodec>;
export type PayDtls = t.TypeOf<typeof PayDtlsCodec>;
export type RefDtls = t.TypeOf<typeof RefDtlsCodec>;
export type PrecDocDtls = t.TypeOf<typeof PrecDocDtlsCodec>;
export type ContrDtls = t.TypeOf<typeof ContrDtlsCodec>;
export type AddlDocDtls = t.TypeOf<typeof AddlDocDtlsCodec>;
export type ExpDtls = t.TypeOf<typeof ExpDtlsCodec>;
export type EwbDtls = t.TypeOf<typeof EwbDtlsCodec>;
export type SupplyType = t.TypeOf<typeof SupplyTypeCodec>;
