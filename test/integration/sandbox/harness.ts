/**
 * Test harness: starts a sandbox in process (real HTTP on loopback, real SQLite), hands out spec
 * clients, and drives the admin API over HTTP. Invoices are built from the shared samples.
 */
import { createSandbox, type RunningSandbox, type SandboxOptions } from '../../../src/sandbox/index.js';
import { invoiceSample, type Json } from '../../support/irp-samples.js';
import { rawRequest, SpecClient, type HeaderStyle, type SpecCredentials } from './spec-client.js';

export interface Harness {
  sandbox: RunningSandbox;
  creds: SpecCredentials & { adminSecret: string; signingCertPem: string };
  admin: AdminClient;
  /** A fresh client for the demo account (not yet logged in). */
  client(style?: HeaderStyle): SpecClient;
  /** A logged-in client for the demo account. */
  loggedIn(style?: HeaderStyle): Promise<SpecClient>;
  close(): Promise<void>;
}

export async function startHarness(options: SandboxOptions = {}): Promise<Harness> {
  const sandbox = await createSandbox({ port: 0, db: ':memory:', ...options });
  const creds = sandbox.credentials;
  const admin = new AdminClient(creds.baseUrl, creds.adminSecret);
  const client = (style: HeaderStyle = 'underscore') => new SpecClient(creds, style);
  return {
    sandbox,
    creds,
    admin,
    client,
    loggedIn: async (style: HeaderStyle = 'underscore') => {
      const c = client(style);
      const res = await c.authV104();
      if (res.envelope.Status !== 1) throw new Error(`login failed: ${JSON.stringify(res.envelope)}`);
      return c;
    },
    close: () => sandbox.close(),
  };
}

export class AdminClient {
  constructor(
    private readonly baseUrl: string,
    private readonly secret: string,
  ) {}

  async call(method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> {
    const res = await rawRequest(this.baseUrl, method, `/sandbox/admin${path}`, {
      headers: { 'x-admin-secret': this.secret },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: res.json };
  }

  private async ok(method: string, path: string, body?: unknown): Promise<Json> {
    const res = await this.call(method, path, body);
    if (res.status >= 300)
      throw new Error(`admin ${method} ${path}: ${res.status} ${JSON.stringify(res.json)}`);
    return res.json;
  }

  clock = (body: { now?: string; advanceMs?: number; freeze?: boolean; reset?: boolean }) =>
    this.ok('POST', '/clock', body);
  advanceHours = (hours: number) => this.clock({ advanceMs: hours * 3_600_000 });
  setFaults = (profile: unknown) => this.ok('PUT', '/faults', profile);
  addFault = (rule: unknown) => this.ok('POST', '/faults/rules', rule);
  clearFaults = () => this.ok('DELETE', '/faults');
  invalidateTokens = (filter: unknown = {}) => this.ok('POST', '/tokens/invalidate', filter);
  putTaxpayer = (gstin: string, body: unknown) => this.ok('PUT', `/taxpayers/${gstin}`, body);
  createAccount = (body: unknown) => this.ok('POST', '/accounts', body);
  stats = () => this.ok('GET', '/stats');
}

/** dd/MM/yyyy of an instant in IST. */
export function istDate(instant: Date): string {
  const ist = new Date(instant.getTime() + 330 * 60_000);
  const dd = String(ist.getUTCDate()).padStart(2, '0');
  const mm = String(ist.getUTCMonth() + 1).padStart(2, '0');
  return `${dd}/${mm}/${ist.getUTCFullYear()}`;
}

let counter = 0;
/** A document number unique within the test run. */
export function docNo(prefix = 'T'): string {
  counter += 1;
  return `${prefix}${process.pid % 10000}X${Date.now() % 100000}X${counter}`.slice(0, 16);
}

/**
 * A valid inter-state B2B invoice (the NIC-registered sample b2b-inter-state) from `seller`, with a
 * fresh document number and today's date unless given.
 */
export function invoice(opts: {
  seller: string;
  no?: string;
  date?: string;
  typ?: 'INV' | 'CRN' | 'DBN';
  ewb?: Json;
}): Json {
  const inv = invoiceSample('b2b-inter-state.request.json');
  inv.SellerDtls.Gstin = opts.seller;
  inv.DocDtls = { Typ: opts.typ ?? 'INV', No: opts.no ?? docNo(), Dt: opts.date ?? istDate(new Date()) };
  if (opts.typ && opts.typ !== 'INV') {
    inv.RefDtls = { PrecDocDtls: [{ InvNo: 'ORIG/1', InvDt: inv.DocDtls.Dt }] };
  }
  if (opts.ewb) inv.EwbDtls = opts.ewb;
  return inv;
}
