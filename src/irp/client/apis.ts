/**
 * The IRP APIs the client calls (README §2): request shapes, paths, how the body is wrapped, and an
 * io-ts codec for each decrypted response `Data` (decode at the boundary; extra fields are kept).
 */
import * as t from 'io-ts';
import type { ApiPaths } from './config.js';
import type { PayloadStyle } from './envelope.js';

const numOrText = t.union([t.number, t.string]);
const optText = t.union([t.string, t.null]);
const optNumOrText = t.union([t.number, t.string, t.null]);

/** Generate IRN, Get e-invoice by IRN and Get IRN by document details all answer with this shape. */
export const IrnDetailsCodec = t.intersection([
  t.type({
    AckNo: numOrText,
    AckDt: t.string,
    Irn: t.string,
    SignedInvoice: t.string,
    SignedQRCode: t.string,
  }),
  t.partial({
    Status: optText,
    EwbNo: optNumOrText,
    EwbDt: optText,
    EwbValidTill: optText,
    Remarks: optText,
  }),
]);
export type IrnDetails = t.TypeOf<typeof IrnDetailsCodec>;

export const CancelIrnDataCodec = t.type({ Irn: t.string, CancelDate: t.string });
export type CancelIrnData = t.TypeOf<typeof CancelIrnDataCodec>;

export const GstinDetailsCodec = t.intersection([
  t.type({ Gstin: t.string }),
  t.partial({
    TradeName: optText,
    LegalName: optText,
    AddrBnm: optText,
    AddrBno: optText,
    AddrFlno: optText,
    AddrSt: optText,
    AddrLoc: optText,
    StateCode: optNumOrText,
    AddrPncd: optNumOrText,
    TxpType: optText,
    Status: optText,
    BlkStatus: optText,
    DtReg: optText,
    DtDReg: optText,
  }),
]);
export type GstinDetails = t.TypeOf<typeof GstinDetailsCodec>;

export const GenerateEwbDataCodec = t.intersection([
  t.type({ EwbNo: numOrText, EwbDt: t.string }),
  t.partial({ EwbValidTill: optText, Remarks: optText }),
]);
export type GenerateEwbData = t.TypeOf<typeof GenerateEwbDataCodec>;

export const EwbDetailsCodec = t.intersection([
  t.type({ EwbNo: numOrText }),
  t.partial({ Status: optText, GenGstin: optText, EwbDt: optText, EwbValidTill: optText }),
]);
export type EwbDetails = t.TypeOf<typeof EwbDetailsCodec>;

export const CancelEwbDataCodec = t.type({ ewayBillNo: numOrText, cancelDate: t.string });
export type CancelEwbData = t.TypeOf<typeof CancelEwbDataCodec>;

/** Cancel IRN body; `CnlRsn` 1 Duplicate, 2 Data entry mistake, 3 Order cancelled, 4 Others. */
export interface CancelIrnRequest {
  Irn: string;
  CnlRsn: '1' | '2' | '3' | '4';
  CnlRem: string;
}

/** Generate EWB by IRN body (README §2). */
export interface GenerateEwbRequest {
  Irn: string;
  Distance: number;
  TransMode?: string | null;
  TransId?: string | null;
  TransName?: string | null;
  TransDocDt?: string | null;
  TransDocNo?: string | null;
  VehNo?: string | null;
  VehType?: string | null;
  ExpShipDtls?: Record<string, unknown> | null;
  DispDtls?: Record<string, unknown> | null;
}

/** Cancel EWB inner JSON; reason codes 1 Duplicate, 2 Order cancelled, 3 Data entry mistake, 4 Others. */
export interface CancelEwbRequest {
  ewbNo: number;
  cancelRsnCode: number;
  cancelRmrk: string;
}

/** Get IRN by document details query. `docDate` is `dd/MM/yyyy`. */
export interface DocDetailsQuery {
  docType: 'INV' | 'CRN' | 'DBN';
  docNo: string;
  docDate: string;
}

export type ApiName =
  | 'generateIrn'
  | 'getByIrn'
  | 'getByDocDetails'
  | 'cancelIrn'
  | 'gstinDetails'
  | 'syncGstin'
  | 'generateEwb'
  | 'getEwbByIrn'
  | 'cancelEwb';

/** How one API is called: method, path, body wrapping, and the decoder of its decrypted `Data`. */
export interface ApiCall<T> {
  api: ApiName;
  method: 'GET' | 'POST';
  path: string;
  /** The JSON to encrypt, for POST. */
  payload?: unknown;
  /** `{"Data": …}` for e-invoice APIs; `{"action": "CANEWB", "data": …}` for the e-way-bill style. */
  wrap: { kind: 'Data' } | { kind: 'action'; action: string };
  style: PayloadStyle;
  codec: t.Decoder<unknown, T>;
}

const fill = (template: string, name: string, value: string) =>
  template.replace(`{${name}}`, encodeURIComponent(value));

export const apiCalls = {
  generateIrn: (paths: ApiPaths, invoice: unknown): ApiCall<IrnDetails> => ({
    api: 'generateIrn',
    method: 'POST',
    path: paths.generateIrn,
    payload: invoice,
    wrap: { kind: 'Data' },
    style: 'json',
    codec: IrnDetailsCodec,
  }),
  getByIrn: (paths: ApiPaths, irn: string): ApiCall<IrnDetails> => ({
    api: 'getByIrn',
    method: 'GET',
    path: fill(paths.getByIrn, 'irn', irn),
    wrap: { kind: 'Data' },
    style: 'json',
    codec: IrnDetailsCodec,
  }),
  getByDocDetails: (paths: ApiPaths, q: DocDetailsQuery): ApiCall<IrnDetails> => {
    const query = new URLSearchParams({ doctype: q.docType, docnum: q.docNo, docdate: q.docDate });
    return {
      api: 'getByDocDetails',
      method: 'GET',
      path: `${paths.getByDocDetails}?${query.toString()}`,
      wrap: { kind: 'Data' },
      style: 'json',
      codec: IrnDetailsCodec,
    };
  },
  cancelIrn: (paths: ApiPaths, body: CancelIrnRequest): ApiCall<CancelIrnData> => ({
    api: 'cancelIrn',
    method: 'POST',
    path: paths.cancelIrn,
    payload: body,
    wrap: { kind: 'Data' },
    style: 'json',
    codec: CancelIrnDataCodec,
  }),
  gstinDetails: (paths: ApiPaths, gstin: string): ApiCall<GstinDetails> => ({
    api: 'gstinDetails',
    method: 'GET',
    path: fill(paths.gstinDetails, 'gstin', gstin.toUpperCase()),
    wrap: { kind: 'Data' },
    style: 'json',
    codec: GstinDetailsCodec,
  }),
  syncGstin: (paths: ApiPaths, gstin: string): ApiCall<GstinDetails> => ({
    api: 'syncGstin',
    method: 'GET',
    path: fill(paths.syncGstin, 'gstin', gstin.toUpperCase()),
    wrap: { kind: 'Data' },
    style: 'json',
    codec: GstinDetailsCodec,
  }),
  generateEwb: (paths: ApiPaths, body: GenerateEwbRequest): ApiCall<GenerateEwbData> => ({
    api: 'generateEwb',
    method: 'POST',
    path: paths.generateEwb,
    payload: body,
    wrap: { kind: 'Data' },
    style: 'json',
    codec: GenerateEwbDataCodec,
  }),
  getEwbByIrn: (paths: ApiPaths, irn: string): ApiCall<EwbDetails> => ({
    api: 'getEwbByIrn',
    method: 'GET',
    path: fill(paths.getEwbByIrn, 'irn', irn),
    wrap: { kind: 'Data' },
    style: 'json',
    codec: EwbDetailsCodec,
  }),
  cancelEwb: (paths: ApiPaths, body: CancelEwbRequest): ApiCall<CancelEwbData> => ({
    api: 'cancelEwb',
    method: 'POST',
    path: paths.cancelEwb,
    payload: body,
    wrap: { kind: 'action', action: 'CANEWB' },
    style: 'ewb',
    codec: CancelEwbDataCodec,
  }),
} as const;
