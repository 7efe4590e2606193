/**
 * The API documentation as data, generated from the server's own route table (`irpRoutes`: method,
 * paths, how the body is wrapped, which credential headers the route checks) and codecs (the shared
 * invoice schema of src/irp, the client's response codecs), plus what only prose can say: a summary,
 * the situations that produce each error code, the samples (the public record's own, data/irp/samples).
 * The portal's pages and the OpenAPI document are both rendered from this one list.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as t from 'io-ts';
import { projectRoot } from '../../../cli/paths.js';
import {
  CancelEwbDataCodec,
  CancelIrnDataCodec,
  EwbDetailsCodec,
  GenerateEwbDataCodec,
  GstinDetailsCodec,
  IrnDetailsCodec,
} from '../../../irp/client/apis.js';
import type { IrpClient } from '../../../irp/client/index.js';
import { DispDtlsCodec, EwbDtlsCodec, InvoiceCodec } from '../../../irp/schema/invoice.js';
import { block, irpEnum, irpNumber, irpString } from '../../../irp/schema/constraints.js';
import type { ApiName } from '../../api-names.js';
import type { IrpRoute } from '../../http/irp-routes.js';

const IRN = irpString('Irn', { min: 64, max: 64, pattern: /^[a-fA-F0-9]{64}$/ });

/** Auth v1.04: the JSON that is base64-encoded and RSA-encrypted into `Data`. */
export const AuthV104PlainCodec = t.exact(
  t.intersection([
    t.type({ UserName: t.string, Password: t.string, AppKey: t.string }),
    t.partial({ ForceRefreshAccessToken: t.boolean }),
  ]),
  'AuthV104Plain',
);

/** Auth v1.03: the body itself; `Password` and `AppKey` are each RSA-encrypted and base64-encoded. */
export const AuthV103BodyCodec = t.exact(
  t.type({
    data: t.exact(
      t.intersection([
        t.type({ UserName: t.string, Password: t.string, AppKey: t.string }),
        t.partial({ ForceRefreshAccessToken: t.boolean }),
      ]),
    ),
  }),
  'AuthV103Body',
);

export const AuthResponseCodec = t.exact(
  t.type({
    ClientId: t.string,
    UserName: t.string,
    AuthToken: t.string,
    Sek: t.string,
    TokenExpiry: t.string,
  }),
  'AuthResponse',
);

export const CancelIrnRequestCodec = t.exact(
  t.type({
    Irn: IRN,
    CnlRsn: irpEnum('CnlRsn', ['1', '2', '3', '4'] as const),
    CnlRem: irpString('CnlRem', { min: 0, max: 100 }),
  }),
  'CancelIrnRequest',
);

const TEXT = /^([^"])*$/;
const text = (min: number, max: number) => irpString(`Text(${min}..${max})`, { min, max, pattern: TEXT });

/** Generate EWB's export ship-to: the invoice's ShipDtls without a name (NIC's page). */
export const ExpShipDtlsCodec = block(
  'ExpShipDtls',
  {
    Addr1: text(1, 100),
    Loc: text(3, 100),
    Pin: irpNumber('Pin', { min: 100000, max: 999999 }),
    Stcd: irpString('StateCode', { min: 1, max: 2, pattern: /^(?!0+$)([0-9]{1,2})$/ }),
  },
  { Addr2: text(3, 100) },
);

export const GenerateEwbRequestCodec = t.exact(
  t.intersection([
    t.type({ Irn: IRN }),
    EwbDtlsCodec.type,
    t.partial({ ExpShipDtls: ExpShipDtlsCodec, DispDtls: DispDtlsCodec }),
  ]),
  'GenerateEwbRequest',
);

export const CancelEwbRequestCodec = t.exact(
  t.type({
    ewbNo: irpNumber('ewbNo', { min: 100000000000, max: 999999999999 }),
    cancelRsnCode: irpNumber('cancelRsnCode', { min: 1, max: 4 }),
    cancelRmrk: irpString('cancelRmrk', { min: 0, max: 50 }),
  }),
  'CancelEwbRequest',
);

export interface ParamDoc {
  name: string;
  description: string;
  example: string;
  required: boolean;
}

export interface ErrorDoc {
  code: string;
  when: string;
}

export interface HeaderDoc {
  name: string;
  value: string;
  description: string;
  required: boolean;
}

/** What the prose adds to a route. */
interface ApiProse {
  title: string;
  summary: string;
  pathParams?: ParamDoc[];
  query?: ParamDoc[];
  request?: { codec: t.Mixed; sample: unknown; source: string };
  response?: { codec: t.Mixed; sample: unknown; source: string };
  errors: ErrorDoc[];
  /** The irp-bridge client call, for the TypeScript sample. */
  client?: { fn: keyof IrpClient; args: string };
  notes?: string[];
}

/** One documented operation: a route of the server plus its prose. */
export interface ApiDoc extends ApiProse {
  slug: string;
  api: ApiName;
  method: 'GET' | 'POST';
  /** The route's paths (`:name` parameters); the first is the canonical one. */
  paths: readonly string[];
  /** `{"Data": …}` (json), the e-way-bill `{"action", "data"}` (ewb), none, or a login body. */
  body: 'none' | 'json' | 'ewb' | 'auth-v1.04' | 'auth-v1.03';
  headers: HeaderDoc[];
}

let samplesCache: Map<string, unknown> | undefined;

/** A sample of the public record (data/irp/samples), without its `_note`. */
export function recordSample(file: string): unknown {
  samplesCache ??= new Map();
  if (!samplesCache.has(file)) {
    const value = JSON.parse(
      readFileSync(join(projectRoot(), 'data', 'irp', 'samples', file), 'utf8'),
    ) as Record<string, unknown>;
    delete value._note;
    samplesCache.set(file, value);
  }
  return structuredClone(samplesCache.get(file));
}

const AUTH_ERRORS: ErrorDoc[] = [
  { code: '1011', when: 'client_id header missing' },
  { code: '1012', when: 'client_secret header missing' },
  { code: '1010', when: 'unknown client id or wrong client secret' },
  { code: '1007', when: 'body not JSON, or no Data' },
  {
    code: '1013',
    when: 'login payload not decryptable with the sandbox key (wrong public key, mangled layers)',
  },
  { code: '1016', when: 'AppKey missing, undecryptable or of a wrong length' },
  { code: '1006', when: 'UserName missing' },
  { code: '1008', when: 'unknown user, or password missing' },
  { code: '1019', when: 'wrong password' },
  { code: '1018', when: 'the user belongs to another client' },
  { code: '1014', when: "the user's GSTIN is not active in the taxpayer master" },
];

const TOKEN_ERRORS: ErrorDoc[] = [
  { code: '1011', when: 'client_id header missing' },
  { code: '1012', when: 'client_secret header missing' },
  { code: '1010', when: 'unknown client id or wrong client secret' },
  { code: '1004', when: 'Gstin header missing' },
  { code: '1006', when: 'user_name header missing' },
  { code: '1005', when: 'AuthToken missing, unknown, revoked, expired, or of another client or user' },
  { code: '1015', when: "Gstin header other than the token's" },
];

const PAYLOAD_ERRORS: ErrorDoc[] = [
  { code: '2255', when: 'body empty, or Data missing' },
  {
    code: '3009',
    when: 'body not JSON, Data not base64, encrypted under another key, or plaintext not JSON',
  },
  { code: '5002', when: 'body larger than the sandbox limit (5 MiB by default)' },
];

const SAMPLE_IRN = '706daeccda0ef6f818da78f3a2a05a1288731057373002289b46c3229289a2e7';

function irnDetailsSample(): unknown {
  return (recordSample('b2b-inter-state.response.gsp-wrapped.json') as { result: unknown }).result;
}

function ewbRequestSample(): unknown {
  const sample = recordSample('ewb-by-irn.request.json') as Record<string, unknown>;
  return { ...sample, Irn: SAMPLE_IRN };
}

/** Get GSTIN details and Sync GSTIN differ only in what they do, not in their shape. */
function gstinApi(title: string, summary: string, fn: 'gstinDetails' | 'syncGstin'): ApiProse {
  return {
    title,
    summary,
    pathParams: [
      { name: 'gstin', description: '15-character GSTIN', example: '29AWGPV7107B1Z1', required: true },
    ],
    response: {
      codec: GstinDetailsCodec,
      sample: recordSample('gstin-details.data.json'),
      source: 'gstin-details.data.json',
    },
    errors: [
      ...TOKEN_ERRORS,
      { code: '3028', when: 'malformed GSTIN' },
      { code: '3001', when: 'unknown GSTIN (strict mode)' },
    ],
    client: { fn, args: `gstin, '29AWGPV7107B1Z1'` },
  };
}

/** Prose per route, keyed by `METHOD canonical-path`. */
const PROSE: Record<string, ApiProse> = {
  'POST /eivital/v1.04/auth': {
    title: 'Authenticate (v1.04)',
    summary:
      'Logs in an API user and returns an AuthToken and the session key (SEK). The credentials JSON is base64-encoded, then RSA-encrypted (PKCS#1 v1.5) with the sandbox public key.',
    request: {
      codec: AuthV104PlainCodec,
      sample: {
        UserName: 'API_29AABCB2026E1Z6',
        Password: 'Sx9@Passw0rd',
        AppKey: 'base64 of 32 random bytes',
        ForceRefreshAccessToken: false,
      },
      source: 'NIC authentication page (v1.04); values illustrative',
    },
    response: {
      codec: AuthResponseCodec,
      sample: (recordSample('auth.success.response.json') as { Data: unknown }).Data,
      source: 'auth.success.response.json',
    },
    errors: [
      ...AUTH_ERRORS,
      { code: '1004', when: 'Gstin header missing' },
      { code: '1015', when: "Gstin header is not the user's GSTIN" },
    ],
    notes: [
      'Data in the response is plain JSON; only Sek is encrypted (AES-256-ECB under the AppKey).',
      'Logging in again while the token is valid returns the same token and SEK (the SEK re-encrypted under the new AppKey). ForceRefreshAccessToken in the last 10 minutes issues a new token.',
    ],
  },
  'POST /eivital/v1.03/auth': {
    title: 'Authenticate (v1.03)',
    summary:
      'The older login: plain JSON under a lower-case data member, Password and AppKey each RSA-encrypted separately.',
    request: {
      codec: AuthV103BodyCodec,
      sample: {
        data: {
          UserName: 'API_29AABCB2026E1Z6',
          Password: 'base64 RSA(password)',
          AppKey: 'base64 RSA(32 key bytes)',
          ForceRefreshAccessToken: false,
        },
      },
      source: 'NIC authentication page (v1.03); values illustrative',
    },
    response: {
      codec: AuthResponseCodec,
      sample: (recordSample('auth.success.response.json') as { Data: unknown }).Data,
      source: 'auth.success.response.json',
    },
    errors: AUTH_ERRORS,
  },
  'POST /eicore/v1.03/Invoice': {
    title: 'Generate IRN',
    summary:
      'Registers an e-invoice (schema v1.1) and returns its IRN, acknowledgement and the signed invoice and QR code. Every validation finding is returned at once.',
    request: {
      codec: InvoiceCodec,
      sample: recordSample('b2b-inter-state.request.json'),
      source: 'b2b-inter-state.request.json (registered on the NIC sandbox)',
    },
    response: {
      codec: IrnDetailsCodec,
      sample: irnDetailsSample(),
      source: 'b2b-inter-state.response.gsp-wrapped.json',
    },
    errors: [
      ...TOKEN_ERRORS,
      ...PAYLOAD_ERRORS,
      {
        code: '2140',
        when: 'a schema constraint without a more specific code (required field, length, pattern, enum, range)',
      },
      { code: '2144', when: 'DocDtls.Dt not dd/MM/yyyy or not a calendar date' },
      { code: '2161', when: 'document type not INV, CRN or DBN' },
      {
        code: '2169',
        when: "SellerDtls.Gstin is not the caller's GSTIN (nor an operator acting with sup_gstin)",
      },
      {
        code: '2150',
        when: 'the document is already registered (InfoDtls DUPIRN carries AckNo, AckDt, Irn)',
      },
      { code: '2172', when: 'intra-state supply with IGST' },
      { code: '2174', when: 'inter-state supply with CGST/SGST' },
      { code: '2176', when: 'HSN code not 4, 6 or 8 digits' },
      { code: '2177', when: 'unit not in the UQC master' },
      { code: '2178', when: "PIN outside its state's prefixes" },
      { code: '2182', when: 'AssVal is not the sum of the items' },
      {
        code: '2189',
        when: 'TotInvVal is not the sum of item totals plus charges, minus discount, plus round-off',
      },
      { code: '2191', when: 'credit note without a preceding document' },
      { code: '2193', when: 'AssAmt is not TotAmt − Discount' },
      { code: '2194', when: 'TotItemVal is not the sum of its parts' },
      { code: '2218', when: 'document date in the future' },
      { code: '2233', when: 'duplicate SlNo' },
      { code: '2240', when: 'GstRt is not a GST rate slab' },
      { code: '2258', when: "supplier GSTIN's state differs from SellerDtls.Stcd" },
      { code: '2305', when: 'large taxpayer reporting a document 30 days or more after its date' },
      { code: '3028', when: 'a GSTIN is malformed or (strict mode) not registered' },
      { code: '3029', when: 'a GSTIN is inactive or cancelled' },
      { code: '2147', when: 'signing failed (never expected)' },
    ],
    client: { fn: 'generateIrn', args: 'invoice' },
    notes: [
      'The full rule list with its sources is docs/validation.md in the repository; the error catalogue lists every code.',
    ],
  },
  'GET /eicore/v1.03/Invoice/irn/:irn': {
    title: 'Get e-invoice by IRN',
    summary: 'Returns a registration of the caller’s GSTIN by its IRN, within three days of generation.',
    pathParams: [
      { name: 'irn', description: '64 hexadecimal characters', example: SAMPLE_IRN, required: true },
    ],
    response: {
      codec: IrnDetailsCodec,
      sample: irnDetailsSample(),
      source: 'b2b-inter-state.response.gsp-wrapped.json',
    },
    errors: [
      ...TOKEN_ERRORS,
      { code: '2145', when: 'malformed IRN' },
      { code: '2148', when: 'unknown IRN' },
      { code: '2226', when: "another GSTIN's IRN" },
      { code: '2283', when: 'generated more than three days ago' },
    ],
    client: { fn: 'getByIrn', args: `gstin, '${SAMPLE_IRN}'` },
  },
  'GET /eicore/v1.03/Invoice/irnbydocdetails': {
    title: 'Get IRN by document details',
    summary: 'Finds a registration of the caller’s GSTIN by document type, number and date.',
    query: [
      { name: 'doctype', description: 'INV, CRN or DBN', example: 'INV', required: true },
      { name: 'docnum', description: 'document number', example: 'SINV-0042', required: true },
      { name: 'docdate', description: 'dd/MM/yyyy', example: '03/10/2023', required: true },
    ],
    response: {
      codec: IrnDetailsCodec,
      sample: irnDetailsSample(),
      source: 'b2b-inter-state.response.gsp-wrapped.json',
    },
    errors: [
      ...TOKEN_ERRORS,
      { code: '2142', when: 'a parameter missing' },
      { code: '2161', when: 'bad document type' },
      { code: '2144', when: 'bad document date' },
      { code: '2154', when: 'not found' },
      { code: '2283', when: 'generated more than three days ago' },
    ],
    client: {
      fn: 'getByDocDetails',
      args: `gstin, { docType: 'INV', docNo: 'SINV-0042', docDate: '03/10/2023' }`,
    },
  },
  'POST /eicore/v1.03/Invoice/Cancel': {
    title: 'Cancel IRN',
    summary:
      'Cancels an IRN of the caller’s GSTIN within 24 hours of its acknowledgement, unless it has a live e-way bill.',
    request: {
      codec: CancelIrnRequestCodec,
      sample: { Irn: SAMPLE_IRN, CnlRsn: '2', CnlRem: 'Data Entry Mistake' },
      source: 'cancel-irn.request.fixture.json, in NIC’s spelling',
    },
    response: {
      codec: CancelIrnDataCodec,
      sample: (recordSample('cancel-irn.success.nic-envelope-decrypted.json') as { Data: unknown }).Data,
      source: 'cancel-irn.success.nic-envelope-decrypted.json',
    },
    errors: [
      ...TOKEN_ERRORS,
      ...PAYLOAD_ERRORS,
      { code: '2142', when: 'Irn missing, CnlRsn not 1–4, or CnlRem over 100 characters' },
      { code: '2145', when: 'malformed IRN' },
      { code: '2148', when: 'unknown IRN' },
      { code: '2143', when: "another GSTIN's IRN" },
      { code: '9999', when: 'already cancelled' },
      { code: '2230', when: 'the IRN has an active e-way bill' },
      { code: '2270', when: 'more than 24 hours after AckDt' },
    ],
    client: {
      fn: 'cancelIrn',
      args: `gstin, { Irn: '${SAMPLE_IRN}', CnlRsn: '2', CnlRem: 'Data Entry Mistake' }`,
    },
  },
  'GET /eivital/v1.03/Master/gstin/:gstin': gstinApi(
    'Get GSTIN details',
    'Returns a taxpayer of the master (any well-formed GSTIN in lenient mode).',
    'gstinDetails',
  ),
  'GET /eivital/v1.03/Master/syncgstin/:gstin': gstinApi(
    'Sync GSTIN from the common portal',
    'Refreshes a taxpayer from the GST common portal, then returns it (the way out of a 3029 on a stale status).',
    'syncGstin',
  ),
  'POST /eiewb/v1.03/ewaybill': {
    title: 'Generate e-way bill by IRN',
    summary:
      'Generates an e-way bill for an active IRN of the caller’s GSTIN. The first failing rule is reported, as the e-way-bill system does.',
    request: {
      codec: GenerateEwbRequestCodec,
      sample: ewbRequestSample(),
      source: 'ewb-by-irn.request.json (NIC page; Irn filled in)',
    },
    response: {
      codec: GenerateEwbDataCodec,
      sample: recordSample('ewb-by-irn.response.data.json'),
      source: 'ewb-by-irn.response.data.json',
    },
    errors: [
      ...TOKEN_ERRORS,
      ...PAYLOAD_ERRORS,
      { code: '4006', when: 'Irn missing' },
      { code: '2145', when: 'malformed IRN' },
      { code: '4003', when: 'unknown IRN' },
      { code: '2143', when: "another GSTIN's IRN" },
      { code: '4000', when: 'the IRN is cancelled' },
      { code: '4002', when: 'an e-way bill already exists for this IRN' },
      { code: '4019', when: 'neither a transporter nor a vehicle or transport document' },
      { code: '4010', when: 'credit or debit note' },
      { code: '4009', when: 'services only' },
      { code: '4011', when: 'road transport without vehicle number' },
      { code: '4038', when: 'over 4000 km' },
      { code: '4013', when: 'distance outside ±10 % of the system distance' },
    ],
    client: {
      fn: 'generateEwb',
      args: `gstin, { Irn: '${SAMPLE_IRN}', Distance: 100, TransMode: '1', VehNo: 'KA12ER1234', VehType: 'R' }`,
    },
  },
  'GET /eiewb/v1.03/ewaybill/irn/:irn': {
    title: 'Get e-way bill by IRN',
    summary: 'Returns the e-way bill of an IRN of the caller’s GSTIN.',
    pathParams: [
      { name: 'irn', description: '64 hexadecimal characters', example: SAMPLE_IRN, required: true },
    ],
    response: {
      codec: EwbDetailsCodec,
      sample: {
        EwbNo: 111008683051,
        Status: 'ACT',
        GenGstin: '29AWGPV7107B1Z1',
        EwbDt: '2020-04-24 11:28:00',
        EwbValidTill: '2020-04-26 23:59:00',
      },
      source: 'get-ewb-by-irn.success.nic-envelope.json (fields; values from ewb-by-irn.response.data.json)',
    },
    errors: [
      ...TOKEN_ERRORS,
      { code: '2145', when: 'malformed IRN' },
      { code: '4003', when: 'unknown IRN' },
      { code: '4037', when: "another GSTIN's IRN" },
      { code: '4005', when: 'no e-way bill' },
    ],
    client: { fn: 'getEwbByIrn', args: `gstin, '${SAMPLE_IRN}'` },
  },
  'POST /ewaybillapi/v1.03/ewayapi': {
    title: 'Cancel e-way bill',
    summary:
      'Sandbox-only API of the IRP in the e-way-bill style: body {"action": "CANEWB", "data": AES(SEK, base64(JSON))}, answer data AES(SEK, base64(JSON)).',
    request: {
      codec: CancelEwbRequestCodec,
      sample: (recordSample('cancel-ewb.request.nic-doc.json') as { inner: unknown }).inner,
      source: 'cancel-ewb.request.nic-doc.json',
    },
    response: {
      codec: CancelEwbDataCodec,
      sample: (recordSample('cancel-ewb.request.nic-doc.json') as { response_inner: unknown }).response_inner,
      source: 'cancel-ewb.request.nic-doc.json',
    },
    errors: [
      ...TOKEN_ERRORS.filter((e) => e.code !== '1006'),
      ...PAYLOAD_ERRORS,
      { code: '4006', when: 'action not CANEWB, or cancelRsnCode not 1–4' },
      { code: '4008', when: 'bad ewbNo' },
      { code: '4007', when: 'unknown or cancelled e-way bill' },
      { code: '4037', when: "another GSTIN's e-way bill" },
    ],
    client: {
      fn: 'cancelEwb',
      args: `gstin, { ewbNo: 111000609282, cancelRsnCode: 2, cancelRmrk: 'Cancelled the order' }`,
    },
    notes: [
      'Both known paths are served: /ewaybillapi/v1.03/ewayapi and /ewb/v1.03/ewayapi (UNCONFIRMED which one NIC uses).',
    ],
  },
};

function headersOf(route: IrpRoute): HeaderDoc[] {
  const h = (name: string, value: string, description: string, required = true): HeaderDoc => ({
    name,
    value,
    description,
    required,
  });
  const common = [
    h('client_id', '$CLIENT_ID', 'your client id (also client-id)'),
    h('client_secret', '$CLIENT_SECRET', 'your client secret (also client-secret)'),
  ];
  if (route.kind === 'login') {
    const v104 = route.paths[0]!.includes('v1.04');
    return [
      h('Content-Type', 'application/json', 'the body is JSON'),
      ...common,
      ...(v104 ? [h('Gstin', '$GSTIN', "the user's GSTIN")] : []),
    ];
  }
  return [
    ...(route.method === 'POST' ? [h('Content-Type', 'application/json', 'the body is JSON')] : []),
    ...common,
    h('Gstin', '$GSTIN', 'the GSTIN the token was issued for'),
    ...(route.requireUserName ? [h('user_name', '$USER_NAME', 'the API user (also username)')] : []),
    h('AuthToken', '$AUTH_TOKEN', 'the token from the login'),
    ...(route.api === 'generate-irn'
      ? [h('sup_gstin', 'supplier GSTIN', 'an e-commerce operator generating for a supplier', false)]
      : []),
  ];
}

export function slugOf(route: IrpRoute): string {
  if (route.kind === 'login') return route.paths[0]!.includes('v1.04') ? 'auth-v1-04' : 'auth-v1-03';
  return route.api;
}

/** The documentation of every route, in the server's order; throws for a route without prose. */
export function apiDocs(routes: readonly IrpRoute[]): ApiDoc[] {
  return routes.map((route) => {
    const key = `${route.method} ${route.paths[0]!}`;
    const prose = PROSE[key];
    if (!prose) throw new Error(`route ${key} has no documentation (src/sandbox/portal/docs/api-docs.ts)`);
    const body: ApiDoc['body'] =
      route.kind === 'login'
        ? route.paths[0]!.includes('v1.04')
          ? 'auth-v1.04'
          : 'auth-v1.03'
        : route.payload;
    return {
      ...prose,
      slug: slugOf(route),
      api: route.api,
      method: route.method,
      paths: route.paths,
      body,
      headers: headersOf(route),
    };
  });
}

/** Routes keys the prose covers (for the test that no prose is stale). */
export function documentedRouteKeys(): string[] {
  return Object.keys(PROSE);
}
