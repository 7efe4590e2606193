/**
 * Shared set-up of the IRP client integration tests: an in-process sandbox on port 0 with an in-memory
 * database, its admin API (clock, faults, token invalidation, stats), a client config for its demo
 * account, and valid invoices for the demo seller.
 */
import { formatIrpDate } from '../../../src/irp/dates.js';
import type { IrpClientConfigInput } from '../../../src/irp/client/index.js';
import {
  DEMO_BUYER_GSTIN,
  createSandbox,
  sandboxAdmin,
  type FaultRule,
  type RunningSandbox,
  type SandboxOptions,
} from '../../../src/sandbox/index.js';

export interface Admin {
  clock(body: { now?: string; advanceMs?: number; freeze?: boolean; reset?: boolean }): Promise<unknown>;
  addFault(rule: FaultRule): Promise<unknown>;
  clearFaults(): Promise<unknown>;
  invalidateTokens(filter?: {
    gstin?: string;
    userName?: string;
    clientId?: string;
    token?: string;
  }): Promise<{ revoked: number }>;
  stats(): Promise<
    Record<
      string,
      { requests: number; succeeded: number; failed: Record<string, number>; faults: Record<string, number> }
    >
  >;
  resetStats(): Promise<unknown>;
  /** Creates or updates a taxpayer of the sandbox's GSTIN master (status, portalStatus, largeTaxpayer …). */
  taxpayer(gstin: string, body: Record<string, unknown>): Promise<unknown>;
}

export function adminOf(sandbox: RunningSandbox): Admin {
  const { call } = sandboxAdmin(sandbox.credentials);
  return {
    clock: (body) => call('POST', 'clock', body),
    addFault: (rule) => call('POST', 'faults/rules', rule),
    clearFaults: () => call('DELETE', 'faults'),
    invalidateTokens: (filter = {}) => call<{ revoked: number }>('POST', 'tokens/invalidate', filter),
    stats: () => call<Awaited<ReturnType<Admin['stats']>>>('GET', 'stats'),
    resetStats: () => call('DELETE', 'stats'),
    taxpayer: (gstin, body) => call('PUT', `taxpayers/${gstin}`, body),
  };
}

export async function startSandbox(
  options: SandboxOptions = {},
): Promise<{ sandbox: RunningSandbox; admin: Admin }> {
  const sandbox = await createSandbox({ port: 0, db: ':memory:', ...options });
  return { sandbox, admin: adminOf(sandbox) };
}

/** A client config for the sandbox's demo account; fast retry timings so fault tests stay short. */
export function clientConfig(
  sandbox: RunningSandbox,
  overrides: Partial<IrpClientConfigInput> = {},
): IrpClientConfigInput {
  const c = sandbox.credentials;
  return {
    baseUrl: sandbox.baseUrl,
    publicKeyPem: c.publicKeyPem,
    signingCertPem: c.signingCertPem,
    credentials: [
      {
        gstin: c.gstin,
        clientId: c.clientId,
        clientSecret: c.clientSecret,
        userName: c.userName,
        password: c.password,
      },
    ],
    timeouts: { requestMs: 2_000, authMs: 5_000, connectMs: 2_000 },
    retry: { maxRetries: 4, initialDelayMs: 20, maxDelayMs: 200, deadlineMs: 20_000 },
    breaker: { consecutiveFailures: 50, halfOpenAfterMs: 300, maxHalfOpenAfterMs: 1_000 },
    ...overrides,
  };
}

let sequence = 0;

/** A unique document number per call: `T` + base-36 time + a counter, within NIC's 16 characters. */
export function uniqueDocNo(): string {
  sequence += 1;
  return `T${Date.now().toString(36).toUpperCase()}${sequence.toString(36).toUpperCase()}`.slice(0, 16);
}

export interface InvoiceJson {
  Version: string;
  TranDtls: { TaxSch: string; SupTyp: string };
  DocDtls: { Typ: 'INV' | 'CRN' | 'DBN'; No: string; Dt: string };
  SellerDtls: { Gstin: string; LglNm: string; Addr1: string; Loc: string; Pin: number; Stcd: string };
  BuyerDtls: {
    Gstin: string;
    LglNm: string;
    Pos: string;
    Addr1: string;
    Loc: string;
    Pin: number;
    Stcd: string;
  };
  ItemList: Record<string, unknown>[];
  ValDtls: { AssVal: number; IgstVal: number; CgstVal: number; SgstVal: number; TotInvVal: number };
}

/**
 * A valid inter-state B2B goods invoice from the demo seller (Himachal Pradesh) to the demo buyer
 * (Karnataka): IGST 18 % on `amount`.
 */
export interface BuyerOverride {
  gstin: string;
  stcd: string;
  pin: number;
}

export function demoInvoice(
  sellerGstin: string,
  options: { docNo?: string; amount?: number; date?: Date; buyer?: BuyerOverride } = {},
): InvoiceJson {
  const buyer = options.buyer ?? { gstin: DEMO_BUYER_GSTIN, stcd: '29', pin: 560001 };
  const amount = options.amount ?? 1000;
  const igst = Math.round(amount * 18) / 100;
  const total = Math.round((amount + igst) * 100) / 100;
  return {
    Version: '1.1',
    TranDtls: { TaxSch: 'GST', SupTyp: 'B2B' },
    DocDtls: {
      Typ: 'INV',
      No: options.docNo ?? uniqueDocNo(),
      Dt: formatIrpDate(options.date ?? new Date()),
    },
    SellerDtls: {
      Gstin: sellerGstin,
      LglNm: 'IRP Bridge Demo Traders',
      Addr1: '12 Mall Road',
      Loc: 'Shimla',
      Pin: 171001,
      Stcd: '02',
    },
    BuyerDtls: {
      Gstin: buyer.gstin,
      LglNm: 'IRP Bridge Demo Buyer',
      Pos: buyer.stcd,
      Addr1: '100 MG Road',
      Loc: 'Bengaluru',
      Pin: buyer.pin,
      Stcd: buyer.stcd,
    },
    ItemList: [
      {
        SlNo: '1',
        IsServc: 'N',
        PrdDesc: 'Cotton shirts',
        HsnCd: '61149090',
        Qty: 10,
        Unit: 'NOS',
        UnitPrice: amount / 10,
        TotAmt: amount,
        AssAmt: amount,
        GstRt: 18,
        IgstAmt: igst,
        TotItemVal: total,
      },
    ],
    ValDtls: { AssVal: amount, IgstVal: igst, CgstVal: 0, SgstVal: 0, TotInvVal: total },
  };
}
