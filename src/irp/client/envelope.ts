/**
 * Reading the IRP's response envelope `{Status, Data, ErrorDetails, InfoDtls}` (README §1) with the
 * leniency the public record asks for: `Status` as number or string, `ErrorDetails` as a JSON array or
 * base64 of one, `Alert` in place of `InfoDtls`, member names in any case, and the e-way-bill style
 * `{status, data, error}` of Cancel EWB.
 */
import {
  decodeBase64Strict,
  decryptEwbStylePayload,
  decryptJsonPayload,
  encryptEwbStylePayload,
  encryptJsonPayload,
  getMemberIgnoringCase,
} from '../crypto.js';
import { lookupErrorCode } from '../errors.js';
import type { InfoDetail, IrpErrorItem } from './outcome.js';

export type Envelope =
  { ok: true; data: unknown; info: InfoDetail[] } | { ok: false; errors: IrpErrorItem[]; info: InfoDetail[] };

/** The body is not an envelope at all (HTML error page, truncated JSON, …). */
export interface Garbled {
  garbled: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A value that may be JSON text, base64 of JSON text, or already parsed. */
function looselyParsed(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const direct = parseJsonText(value);
  if (direct !== undefined) return direct;
  try {
    return parseJsonText(decodeBase64Strict(value.trim()).toString('utf8'));
  } catch {
    return undefined;
  }
}

function readErrors(raw: unknown): IrpErrorItem[] {
  const parsed = looselyParsed(raw);
  const list = Array.isArray(parsed) ? parsed : isRecord(parsed) ? [parsed] : [];
  const errors: IrpErrorItem[] = [];
  for (const entry of list) {
    if (!isRecord(entry)) continue;
    const code = getMemberIgnoringCase(entry, 'ErrorCode');
    const message = getMemberIgnoringCase(entry, 'ErrorMessage');
    if (code !== undefined && code !== null) {
      errors.push({ code: String(code).trim(), message: typeof message === 'string' ? message : '' });
      continue;
    }
    // E-way-bill style: {"errorCodes": "238,312,"}
    const codes = getMemberIgnoringCase(entry, 'errorCodes');
    if (typeof codes === 'string') {
      for (const c of codes
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)) {
        errors.push({ code: c, message: lookupErrorCode(c)?.message ?? '' });
      }
    }
  }
  return errors;
}

function readInfo(raw: unknown): InfoDetail[] {
  const parsed = looselyParsed(raw);
  if (!Array.isArray(parsed)) return [];
  const info: InfoDetail[] = [];
  for (const entry of parsed) {
    if (!isRecord(entry)) continue;
    const code = getMemberIgnoringCase(entry, 'InfCd');
    if (typeof code !== 'string') continue;
    const desc = getMemberIgnoringCase(entry, 'Desc');
    // Some IRPs send Desc as JSON text; keep plain text (EWBPPD's "Pin-Pin calc distance") as is.
    const descParsed =
      typeof desc === 'string' && /^\s*[[{]/.test(desc) ? (parseJsonText(desc) ?? desc) : desc;
    info.push({ InfCd: code, Desc: descParsed });
  }
  return info;
}

function isSuccessStatus(status: unknown): boolean | undefined {
  if (status === 1 || status === '1' || status === true) return true;
  if (status === 0 || status === '0' || status === false) return false;
  return undefined;
}

/** Parses a response body into an {@link Envelope}, or says why it is not one. */
export function parseEnvelope(body: string): Envelope | Garbled {
  const json = parseJsonText(body);
  if (!isRecord(json))
    return { garbled: body.trim() === '' ? 'empty response body' : 'response body is not a JSON object' };
  const ok = isSuccessStatus(getMemberIgnoringCase(json, 'Status'));
  if (ok === undefined) return { garbled: 'response has no Status 1/0' };
  const info = readInfo(getMemberIgnoringCase(json, 'InfoDtls') ?? getMemberIgnoringCase(json, 'Alert'));
  if (ok) return { ok: true, data: getMemberIgnoringCase(json, 'Data'), info };
  const errors = readErrors(
    getMemberIgnoringCase(json, 'ErrorDetails') ?? getMemberIgnoringCase(json, 'error'),
  );
  if (errors.length === 0) return { garbled: 'Status 0 without ErrorDetails' };
  return { ok: false, errors, info };
}

export function isGarbled(value: Envelope | Garbled): value is Garbled {
  return 'garbled' in value;
}

/** How a request body and a response `Data` are protected under the SEK. */
export type PayloadStyle = 'json' | 'ewb';

/** `{"Data": base64(AES(SEK, JSON))}`, or the e-way-bill style wrapping for Cancel EWB. */
export function encryptRequestData(sek: Buffer, value: unknown, style: PayloadStyle): string {
  return style === 'ewb' ? encryptEwbStylePayload(sek, value) : encryptJsonPayload(sek, value);
}

/**
 * Decrypts a success `Data`. Tries the API's own style first and then the other, because the public
 * record is unsure which one Cancel EWB's response uses. Throws when neither yields JSON.
 */
export function decryptResponseData(sek: Buffer, data: unknown, style: PayloadStyle): unknown {
  if (isRecord(data) || Array.isArray(data)) return data; // already plain (GSP-style); nothing to decrypt
  if (typeof data !== 'string' || data === '') throw new Error('success envelope without Data');
  const first = style === 'ewb' ? decryptEwbStylePayload : decryptJsonPayload;
  const second = style === 'ewb' ? decryptJsonPayload : decryptEwbStylePayload;
  try {
    return first(sek, data);
  } catch (error) {
    try {
      return second(sek, data);
    } catch {
      throw error;
    }
  }
}
