/**
 * The IRP's transport cryptography (README §3), shared by the sandbox (as the IRP) and the IRP client.
 *
 * - Auth: the client RSA-encrypts its credentials with the IRP's public key, PKCS#1 v1.5 padding.
 * - The IRP answers with a 32-byte session key (SEK), AES-ECB/PKCS#7-encrypted under the client's
 *   AppKey: 32 bytes (AES-256) per NIC's pages; 16 or 24 bytes (AES-128/192) are accepted too, as NIC's
 *   own Java sample sends a 128-bit key (RECORD.md §3, a lenient choice).
 * - Every later payload and response is AES-256-ECB/PKCS#7 under the SEK, base64 on the wire.
 *
 * Keys are always raw Buffers here (the SEK 32 bytes); base64 is only their transport form.
 */
import {
  constants,
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
} from 'node:crypto';

export const AES_KEY_BYTES = 32;

/** AppKey lengths the IRP side accepts: AES-128, AES-192 and AES-256 keys. */
export const APP_KEY_LENGTHS: readonly number[] = [16, 24, 32];

/** Raised for undecryptable or malformed ciphertext; `reason` says which step failed. */
export class IrpCryptoError extends Error {
  constructor(
    readonly reason: 'base64' | 'aes' | 'rsa' | 'utf8' | 'json' | 'key-length',
    message: string,
  ) {
    super(message);
    this.name = 'IrpCryptoError';
  }
}

/** A fresh random 32-byte AES key: the client's AppKey or the IRP's SEK. */
export function generateAesKey(): Buffer {
  return randomBytes(AES_KEY_BYTES);
}

export const generateAppKey = generateAesKey;
export const generateSek = generateAesKey;

function assertAesKey(key: Buffer): void {
  if (!APP_KEY_LENGTHS.includes(key.length)) {
    throw new IrpCryptoError('key-length', `AES key must be 16, 24 or 32 bytes, got ${key.length}`);
  }
}

function assertSek(sek: Buffer): void {
  if (sek.length !== AES_KEY_BYTES) {
    throw new IrpCryptoError('key-length', `the SEK must be ${AES_KEY_BYTES} bytes, got ${sek.length}`);
  }
}

const ecbCipher = (key: Buffer) => `aes-${key.length * 8}-ecb`;

/**
 * AES-ECB with PKCS#7 padding (Java's "AES/ECB/PKCS5Padding"); no IV. The key length picks AES-128,
 * -192 or -256; every IRP payload is under the 32-byte SEK (AES-256).
 */
export function aesEcbEncrypt(key: Buffer, plaintext: Buffer | string): Buffer {
  assertAesKey(key);
  const cipher = createCipheriv(ecbCipher(key), key, null);
  const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

/** Inverse of {@link aesEcbEncrypt}; a wrong key almost always shows up as a padding failure. */
export function aesEcbDecrypt(key: Buffer, ciphertext: Buffer): Buffer {
  assertAesKey(key);
  if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) {
    throw new IrpCryptoError('aes', 'ciphertext length is not a positive multiple of the AES block size');
  }
  try {
    const decipher = createDecipheriv(ecbCipher(key), key, null);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    throw new IrpCryptoError('aes', 'AES decryption failed (wrong key or corrupted data)');
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Strict base64 decoding. Node's own decoder silently skips invalid characters, which would turn a
 * garbled payload into a confusing downstream error instead of a clear "not base64".
 */
export function decodeBase64Strict(text: string): Buffer {
  const bytes = Buffer.from(text, 'base64');
  // Text that re-encodes to itself is canonical base64, which the expression accepts: the native
  // encode and compare cost a fraction of the expression's walk over an 8 KB response.
  if (bytes.toString('base64') === text) return bytes;
  if (!BASE64.test(text)) throw new IrpCryptoError('base64', 'not valid base64');
  return bytes;
}

/** One decoder for every call: decoding without `stream` keeps no state between calls. */
const UTF8_FATAL = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8Strict(bytes: Buffer): string {
  try {
    return UTF8_FATAL.decode(bytes);
  } catch {
    throw new IrpCryptoError('utf8', 'decrypted data is not UTF-8 text');
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new IrpCryptoError('json', 'decrypted data is not JSON');
  }
}

/** `Sek` of the auth response: base64(AES(AppKey, SEK)), always 64 characters whatever the AppKey length. */
export function encryptSek(sek: Buffer, appKey: Buffer): string {
  assertSek(sek);
  return aesEcbEncrypt(appKey, sek).toString('base64');
}

export function decryptSek(encryptedSek: string, appKey: Buffer): Buffer {
  const sek = aesEcbDecrypt(appKey, decodeBase64Strict(encryptedSek));
  assertSek(sek);
  return sek;
}

/** Request/response `Data` of the e-invoice APIs: base64(AES(SEK, UTF-8 JSON text)). */
export function encryptJsonPayload(sek: Buffer, value: unknown): string {
  return aesEcbEncrypt(sek, JSON.stringify(value)).toString('base64');
}

/** Inverse of {@link encryptJsonPayload}; throws {@link IrpCryptoError} naming the failed step. */
export function decryptJsonPayload(sek: Buffer, data: string): unknown {
  return parseJson(decodeUtf8Strict(aesEcbDecrypt(sek, decodeBase64Strict(data))));
}

/**
 * The e-way-bill-system convention used by Cancel EWB: the plaintext under AES is the base64 text of
 * the JSON, not the JSON itself (README §3, last paragraph).
 */
export function encryptEwbStylePayload(sek: Buffer, value: unknown): string {
  const inner = Buffer.from(JSON.stringify(value), 'utf8').toString('base64');
  return aesEcbEncrypt(sek, inner).toString('base64');
}

export function decryptEwbStylePayload(sek: Buffer, data: string): unknown {
  const inner = decodeUtf8Strict(aesEcbDecrypt(sek, decodeBase64Strict(data))).trim();
  return parseJson(decodeUtf8Strict(decodeBase64Strict(inner)));
}

/** RSA encryption with PKCS#1 v1.5 padding (`RSA/ECB/PKCS1Padding`). At most 245 bytes on RSA-2048. */
export function rsaEncryptPkcs1(publicKeyPem: string, data: Buffer | string): Buffer {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return publicEncrypt({ key: publicKeyPem, padding: constants.RSA_PKCS1_PADDING }, bytes);
}

/** PKCS#1 v1.5 decryption with a private key; the sandbox runs it in a worker pool, hence a Promise. */
export type RsaPkcs1Decrypter = (ciphertext: Buffer) => Buffer | Promise<Buffer>;

/**
 * Strips PKCS#1 v1.5 encryption padding (type 2: `00 02 <at least 8 non-zero bytes> 00 <message>`) from
 * a raw RSA block; undefined when the block is not such a padding. Self-contained (no imports, no
 * closures) so that the sandbox's worker threads can run this very function from its source text.
 */
export function unpadPkcs1v15(block: Uint8Array): Uint8Array | undefined {
  if (block.length < 11 || block[0] !== 0 || block[1] !== 2) return undefined;
  let separator = -1;
  for (let i = 2; i < block.length; i++) {
    if (block[i] === 0) {
      separator = i;
      break;
    }
  }
  if (separator < 10) return undefined;
  return block.subarray(separator + 1);
}

/**
 * PKCS#1 v1.5 decryption. Node 20 refuses RSA_PKCS1_PADDING for private decryption since CVE-2023-46809
 * (Marvin attack); the IRP protocol requires it, so the private operation runs natively without padding
 * (RSA_NO_PADDING is allowed) and {@link unpadPkcs1v15} removes the padding — instead of re-enabling the
 * padding process-wide with `--security-revert`, and about 20 times faster than node-forge's JavaScript
 * RSA. (A simulator's key, not a production secret: the timing side channel Marvin exploits is accepted.)
 */
export function createRsaPkcs1Decrypter(privateKeyPem: string): (ciphertext: Buffer) => Buffer {
  const key = createPrivateKey(privateKeyPem);
  return (ciphertext: Buffer): Buffer => {
    let block: Buffer;
    try {
      block = privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, ciphertext);
    } catch {
      throw new IrpCryptoError('rsa', 'RSA decryption failed (wrong public key or corrupted data)');
    }
    const message = unpadPkcs1v15(block);
    if (!message)
      throw new IrpCryptoError('rsa', 'RSA decryption failed (wrong public key or corrupted data)');
    return Buffer.from(message);
  };
}

export function rsaDecryptPkcs1(privateKeyPem: string, ciphertext: Buffer): Buffer {
  return createRsaPkcs1Decrypter(privateKeyPem)(ciphertext);
}

/** What a client sends at login, whatever the auth version. */
export interface AuthCredentials {
  userName: string;
  password: string;
  /** The raw AppKey: 32 bytes per NIC's pages; 16 or 24 accepted (AES-128/192). */
  appKey: Buffer;
  forceRefreshAccessToken: boolean;
}

/**
 * Auth v1.04 body: `{"Data": base64(RSA(base64(JSON)))}`. The RSA input is the ASCII of the base64
 * text of the JSON, which must stay within 245 bytes (so the JSON within 183).
 */
export function buildAuthPayloadV104(credentials: AuthCredentials, publicKeyPem: string): { Data: string } {
  const json = JSON.stringify({
    UserName: credentials.userName,
    Password: credentials.password,
    AppKey: credentials.appKey.toString('base64'),
    ForceRefreshAccessToken: credentials.forceRefreshAccessToken,
  });
  const base64Json = Buffer.from(json, 'utf8').toString('base64');
  return { Data: rsaEncryptPkcs1(publicKeyPem, base64Json).toString('base64') };
}

/**
 * Auth v1.03 body: plain JSON under a lower-case `data` member, with `Password` and `AppKey`
 * RSA-encrypted one by one. The AppKey plaintext is the raw 32 key bytes.
 */
export function buildAuthPayloadV103(
  credentials: AuthCredentials,
  publicKeyPem: string,
): { data: { UserName: string; Password: string; AppKey: string; ForceRefreshAccessToken: boolean } } {
  return {
    data: {
      UserName: credentials.userName,
      Password: rsaEncryptPkcs1(publicKeyPem, credentials.password).toString('base64'),
      AppKey: rsaEncryptPkcs1(publicKeyPem, credentials.appKey).toString('base64'),
      ForceRefreshAccessToken: credentials.forceRefreshAccessToken,
    },
  };
}

/** Why an auth payload could not be read; the caller maps each to an IRP error code. */
export type AuthPayloadFailure =
  | 'malformed' // not the expected JSON shape at all
  | 'password-decryption' // RSA/base64 layer of the payload (v1.04) or of the password (v1.03)
  | 'appkey-decryption' // AppKey missing, undecryptable, or not 16/24/32 bytes
  | 'missing-user-name'
  | 'missing-password';

/**
 * `detail` says exactly what was wrong (e.g. "AppKey is 20 bytes"), for the sender's benefit: it never
 * contains a secret, only shapes and lengths.
 */
export type AuthPayloadResult =
  { ok: true; credentials: AuthCredentials } | { ok: false; failure: AuthPayloadFailure; detail?: string };

/** Reads a member by name, ignoring case: NIC's own Java sample sends `username`/`password`/`appkey`. */
export function getMemberIgnoringCase(record: Record<string, unknown>, name: string): unknown {
  if (name in record) return record[name];
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(record)) {
    if (key.toLowerCase() === lower) return value;
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An AppKey as read, or why it cannot be one (lengths and shapes only, never the key). */
export type AppKeyReading = { ok: true; key: Buffer } | { ok: false; detail: string };

const keyLengthProblem = (bytes: number, form: string) =>
  `the AppKey is ${bytes} bytes (${form}); it must be 16, 24 or 32 bytes (AES-128/192/256)`;

/**
 * The AppKey as sent. Per §3 it is base64 of the raw key (v1.04) or the raw key bytes (v1.03): 32 bytes
 * on NIC's pages, 16 bytes from NIC's own Java sample; 16, 24 and 32 are accepted (a lenient choice,
 * RECORD.md §3). NIC also calls it "any 32 character random" value, so 32 characters that are not base64
 * of a 16- or 32-byte key are taken as their UTF-8 bytes. That makes a 32-character value ambiguous with
 * base64 of a 24-byte key; the text reading wins (documented in docs/sandbox.md), so a 24-byte key
 * arrives as raw bytes (v1.03) only.
 */
export function readAppKey(value: Buffer | string): AppKeyReading {
  if (Buffer.isBuffer(value)) {
    if (APP_KEY_LENGTHS.includes(value.length)) return { ok: true, key: value };
    return readAppKey(value.toString('latin1'));
  }
  const trimmed = value.trim();
  if (trimmed === '') return { ok: false, detail: 'the AppKey is empty' };
  let decoded: Buffer | undefined;
  try {
    decoded = decodeBase64Strict(trimmed);
  } catch {
    // not base64: only the text form remains
  }
  if (decoded && (decoded.length === 32 || decoded.length === 16)) return { ok: true, key: decoded };
  const text = Buffer.from(value, 'utf8');
  if (text.length === 32) return { ok: true, key: text };
  if (decoded?.length === 24) return { ok: true, key: decoded };
  return {
    ok: false,
    detail:
      decoded !== undefined
        ? keyLengthProblem(decoded.length, `base64 of ${trimmed.length} characters`)
        : `the AppKey is not base64 and its ${text.length} bytes of text are not a 32-character key`,
  };
}

/** {@link readAppKey} for callers that only need the key. */
export function appKeyFromTransportForm(value: Buffer | string): Buffer | undefined {
  const reading = readAppKey(value);
  return reading.ok ? reading.key : undefined;
}

function forceRefreshFlag(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

function credentialsFromFields(
  fields: Record<string, unknown>,
  password: string | undefined,
  appKey: AppKeyReading,
): AuthPayloadResult {
  const userName = getMemberIgnoringCase(fields, 'UserName');
  if (typeof userName !== 'string' || userName.trim() === '')
    return { ok: false, failure: 'missing-user-name', detail: 'UserName is missing from the payload' };
  if (password === undefined || password === '')
    return { ok: false, failure: 'missing-password', detail: 'Password is missing from the payload' };
  if (!appKey.ok) return { ok: false, failure: 'appkey-decryption', detail: appKey.detail };
  return {
    ok: true,
    credentials: {
      userName,
      password,
      appKey: appKey.key,
      forceRefreshAccessToken: forceRefreshFlag(getMemberIgnoringCase(fields, 'ForceRefreshAccessToken')),
    },
  };
}

function decryptionDetail(step: string): string {
  switch (step) {
    case 'base64':
      return 'the ciphertext is not base64';
    case 'rsa':
      return 'RSA decryption failed: encrypt with the public key this sandbox publishes, PKCS#1 v1.5 padding';
    case 'utf8':
    case 'json':
      return 'the RSA plaintext is not base64 of a JSON object (v1.04 encrypts the base64 text of the JSON)';
    default:
      return 'the payload could not be decrypted';
  }
}

/** Server side of {@link buildAuthPayloadV104}: `data` is the `Data` string of the body. */
export async function parseAuthPayloadV104(
  data: unknown,
  decrypt: RsaPkcs1Decrypter,
): Promise<AuthPayloadResult> {
  if (typeof data !== 'string' || data === '')
    return { ok: false, failure: 'malformed', detail: 'the body has no Data string' };
  let fields: unknown;
  try {
    const base64Json = (await decrypt(decodeBase64Strict(data))).toString('latin1').trim();
    fields = parseJson(decodeUtf8Strict(decodeBase64Strict(base64Json)));
  } catch (err) {
    // Every failure below the JSON means the client encrypted with another key or mangled the layers;
    // anything else (a busy or closed decryption pool) is the server's and goes up.
    if (!(err instanceof IrpCryptoError)) throw err;
    const step = err.reason;
    return { ok: false, failure: 'password-decryption', detail: decryptionDetail(step) };
  }
  if (!isRecord(fields))
    return {
      ok: false,
      failure: 'password-decryption',
      detail: 'the decrypted payload is not a JSON object',
    };
  const password = getMemberIgnoringCase(fields, 'Password');
  const appKeyText = getMemberIgnoringCase(fields, 'AppKey');
  const appKey: AppKeyReading =
    typeof appKeyText === 'string'
      ? readAppKey(appKeyText)
      : { ok: false, detail: 'AppKey is missing from the payload (or not a string)' };
  return credentialsFromFields(fields, typeof password === 'string' ? password : undefined, appKey);
}

/** Server side of {@link buildAuthPayloadV103}: `data` is the lower-case `data` member of the body. */
export async function parseAuthPayloadV103(
  data: unknown,
  decrypt: RsaPkcs1Decrypter,
): Promise<AuthPayloadResult> {
  if (!isRecord(data)) return { ok: false, failure: 'malformed', detail: 'the body has no data object' };
  const userName = getMemberIgnoringCase(data, 'UserName');
  if (typeof userName !== 'string' || userName.trim() === '')
    return { ok: false, failure: 'missing-user-name', detail: 'UserName is missing' };

  const encryptedPassword = getMemberIgnoringCase(data, 'Password');
  if (typeof encryptedPassword !== 'string' || encryptedPassword === '') {
    return { ok: false, failure: 'missing-password', detail: 'Password is missing' };
  }
  let password: string;
  try {
    password = decodeUtf8Strict(await decrypt(decodeBase64Strict(encryptedPassword)));
  } catch (err) {
    if (!(err instanceof IrpCryptoError)) throw err;
    return { ok: false, failure: 'password-decryption', detail: `Password: ${decryptionDetail(err.reason)}` };
  }

  const encryptedAppKey = getMemberIgnoringCase(data, 'AppKey');
  let appKey: AppKeyReading = { ok: false, detail: 'AppKey is missing (or not a string)' };
  if (typeof encryptedAppKey === 'string' && encryptedAppKey !== '') {
    try {
      appKey = readAppKey(await decrypt(decodeBase64Strict(encryptedAppKey)));
    } catch (err) {
      if (!(err instanceof IrpCryptoError)) throw err;
      appKey = { ok: false, detail: `AppKey: ${decryptionDetail(err.reason)}` };
    }
  }
  return credentialsFromFields(data, password, appKey);
}
