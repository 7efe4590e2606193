/**
 * One attempt of an authenticated API call: take the session's token, encrypt, send, classify,
 * decrypt, decode. On 1005 the token is dropped, the session logs in again (shared with every other
 * call that met the same stale token) and the request is sent once more; a second 1005 is transient.
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import {
  classifyHttpResponse,
  classifyIrpErrors,
  transientFromErrors,
  transientFromTransport,
} from './classify.js';
import type { GstinCredentials } from './config.js';
import { decryptResponseData, encryptRequestData } from './envelope.js';
import { TransportError, type HttpTransport } from './http.js';
import type { ApiCall } from './apis.js';
import type { InfoDetail, IrpErrorItem } from './outcome.js';
import type { Attempt } from './resilience.js';
import type { IrpSession } from './session.js';

/** What an attempt ends with when it is not transient. */
export type Final<T> =
  | { kind: 'success'; data: T; info: InfoDetail[] }
  | { kind: 'rejected'; errors: IrpErrorItem[]; info: InfoDetail[] }
  | { kind: 'duplicate'; errors: IrpErrorItem[]; info: InfoDetail[] }
  | { kind: 'credentials'; code: string; message: string }
  | { kind: 'operator'; code: string; message: string; status: number };

export interface CallOptions {
  /** Budget of the whole call including retries; default from config. */
  deadlineMs?: number;
  /** Budget of one HTTP request; default from config. */
  timeoutMs?: number;
  /** `sup_gstin`: the supplier an e-commerce operator acts for. */
  supplierGstin?: string;
  /** `irp` header (`NIC1`/`NIC2`): act on an IRN generated on the other NIC IRP. */
  irp?: 'NIC1' | 'NIC2';
  signal?: AbortSignal;
}

export interface AttemptContext {
  http: HttpTransport;
  session: IrpSession;
  credentials: GstinCredentials;
  timeoutMs: number;
  options: CallOptions;
  /** Called after every HTTP exchange (for metrics and debug logs; never given secrets). */
  observe: (event: ExchangeEvent) => void;
}

export interface ExchangeEvent {
  api: string;
  gstin: string;
  status?: number;
  ms: number;
  result: 'success' | 'rejected' | 'duplicate' | 'credentials' | 'operator' | 'token' | 'transient';
  codes?: string[];
  transientReason?: string;
}

function headersFor(ctx: AttemptContext, token: string, hasBody: boolean): Record<string, string> {
  const c = ctx.credentials;
  const headers: Record<string, string> = {
    accept: 'application/json',
    client_id: c.clientId,
    client_secret: c.clientSecret,
    Gstin: c.gstin,
    user_name: c.userName,
    AuthToken: token,
  };
  if (hasBody) headers['content-type'] = 'application/json';
  if (ctx.options.supplierGstin) headers.sup_gstin = ctx.options.supplierGstin;
  if (ctx.options.irp) headers.irp = ctx.options.irp;
  return headers;
}

type Exchange<T> = Attempt<Final<T>> | { kind: 'token' };

async function exchangeOnce<T>(
  call: ApiCall<T>,
  ctx: AttemptContext,
  token: string,
  sek: Buffer,
): Promise<Exchange<T>> {
  const started = performance.now();
  const event = (e: Omit<ExchangeEvent, 'api' | 'gstin' | 'ms'>) =>
    ctx.observe({ api: call.api, gstin: ctx.credentials.gstin, ms: performance.now() - started, ...e });

  let body: string | undefined;
  if (call.method === 'POST') {
    const data = encryptRequestData(sek, call.payload, call.style);
    body = JSON.stringify(call.wrap.kind === 'Data' ? { Data: data } : { action: call.wrap.action, data });
  }
  let res;
  try {
    res = await ctx.http.request({
      method: call.method,
      path: call.path,
      headers: headersFor(ctx, token, body !== undefined),
      body,
      timeoutMs: ctx.timeoutMs,
      signal: ctx.options.signal,
    });
  } catch (error) {
    const cause =
      error instanceof TransportError
        ? transientFromTransport(error)
        : { reason: 'network' as const, message: String(error) };
    event({ result: 'transient', transientReason: cause.reason });
    return { kind: 'transient', cause };
  }

  const classified = classifyHttpResponse(res);
  if (classified.kind === 'transient') {
    event({ status: res.status, result: 'transient', transientReason: classified.cause.reason });
    return classified;
  }
  if (classified.kind === 'credentials') {
    event({ status: res.status, result: 'credentials', codes: [classified.code] });
    return {
      kind: 'final',
      value: { kind: 'credentials', code: classified.code, message: classified.message },
    };
  }
  if (classified.kind === 'operator') {
    event({ status: res.status, result: 'operator', codes: [classified.code] });
    return { kind: 'final', value: classified };
  }

  const envelope = classified.envelope;
  if (!envelope.ok) {
    const codes = envelope.errors.map((e) => e.code);
    const errorClass = classifyIrpErrors(envelope.errors);
    event({ status: res.status, result: errorClass, codes });
    switch (errorClass) {
      case 'token':
        return { kind: 'token' };
      case 'transient':
        return { kind: 'transient', cause: transientFromErrors(envelope.errors) };
      case 'credentials': {
        const first =
          envelope.errors.find((e) => classifyIrpErrors([e]) === 'credentials') ?? envelope.errors[0]!;
        return { kind: 'final', value: { kind: 'credentials', code: first.code, message: first.message } };
      }
      case 'duplicate':
        return { kind: 'final', value: { kind: 'duplicate', errors: envelope.errors, info: envelope.info } };
      case 'rejected':
        return { kind: 'final', value: { kind: 'rejected', errors: envelope.errors, info: envelope.info } };
    }
  }

  let plain: unknown;
  try {
    plain = decryptResponseData(sek, envelope.data, call.style);
  } catch (error) {
    event({ status: res.status, result: 'transient', transientReason: 'garbled' });
    return {
      kind: 'transient',
      cause: { reason: 'garbled', message: `response Data: ${(error as Error).message}` },
    };
  }
  const decoded = call.codec.decode(plain);
  if (isLeft(decoded)) {
    event({ status: res.status, result: 'transient', transientReason: 'garbled' });
    return {
      kind: 'transient',
      cause: { reason: 'garbled', message: `response Data of ${call.api} has an unexpected shape` },
    };
  }
  event({ status: res.status, result: 'success' });
  return { kind: 'final', value: { kind: 'success', data: decoded.right, info: envelope.info } };
}

/** One attempt, with the single in-attempt re-login on 1005. */
export async function attemptCall<T>(call: ApiCall<T>, ctx: AttemptContext): Promise<Attempt<Final<T>>> {
  let relogged = false;
  for (;;) {
    const acquired = await ctx.session.acquire();
    if (!acquired.ok) {
      if (acquired.kind === 'credentials') {
        return {
          kind: 'final',
          value: { kind: 'credentials', code: acquired.code, message: acquired.message },
        };
      }
      return { kind: 'transient', cause: acquired.cause };
    }
    const result = await exchangeOnce(call, ctx, acquired.token, acquired.sek);
    if (result.kind !== 'token') return result;
    ctx.session.invalidate(acquired.token);
    if (relogged) {
      return {
        kind: 'transient',
        cause: { reason: 'token', code: '1005', message: 'Invalid Token after re-authentication' },
      };
    }
    relogged = true;
  }
}
