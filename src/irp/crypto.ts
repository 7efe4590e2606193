/**
 * The IRP's transport cryptography (README §3), shared by the sandbox (as the IRP) and the IRP client.
 *
 * - Auth: the client RSA-encrypts its credentials with the IRP's public key, PKCS#1 v1.5 padding.
 * - The IRP answers with a 32-byte session key (SEK), AES-256-ECB/PKCS#7-encrypted under the client's
 *   32-byte AppKey.
 * - Every later payload and response is AES-256-ECB/PKCS#7 under the SEK, base64 on the wire.
 *
 * Keys are always raw 32-byte Buffers here; base64 is only their transport form.
 */
import { constants, createCipheriv, createDecipheriv, publicEncrypt, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export const AES_KEY_BYTES = 32;

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
  if (key.length !== AES_KEY_BYTES) {
    throw new IrpCryptoError('key-length', `AES-256 key must be ${AES_KEY_BYTES} bytes, got ${key.length}`);
  }
}

/** AES-256-ECB with PKCS#7 padding (Java's "AES/ECB/PKCS5Padding"); no IV. */
export function aesEcbEncrypt(key32: Buffer, plaintext: Buffer | string): Buffer {
  assertAesKey(key32);
  const cipher = createCipheriv('aes-256-ecb', key32, null);
  const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

/** Inverse of {@link aesEcbEncrypt}; a wrong key almost always shows up as a padding failure. */
export function aesEcbDecrypt(key32: Buffer, ciphertext: Buffer): Buffer {
  assertAesKey(key32);
  if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) {
    throw new IrpCryptoError('aes', 'ciphertext length is not a positive multiple of the AES block size');
  }
  try {
    const decipher = createDecipheriv('aes-256-ecb', key32, null);
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
  if (!BASE64.test(text)) throw new IrpCryptoError('base64', 'not valid base64');
  return Buffer.from(text, 'base64');
}

function decodeUtf8Strict(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
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

/** `Sek` of the auth response: base64(AES(AppKey, SEK)), always 64 characters. */
export function encryptSek(sek: Buffer, appKey: Buffer): string {
  assertAesKey(sek);
  return aesEcbEncrypt(appKey, sek).toString('base64');
}

export function decryptSek(encryptedSek: string, appKey: Buffer): Buffer {
  const sek = aesEcbDecrypt(appKey, decodeBase64Strict(encryptedSek));
  assertAesKey(sek);
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

/** A parsed private key ready for repeated PKCS#1 v1.5 decryption. */
export type RsaPkcs1Decrypter = (ciphertext: Buffer) => Buffer;

/**
 * PKCS#1 v1.5 decryption through node-forge. Node 20 refuses RSA_PKCS1_PADDING for private
 * decryption since CVE-2023-46809 (Marvin attack); the IRP protocol requires it, so this one
 * operation runs in forge instead of re-enabling the padding process-wide with
 * `--security-revert`. Parsing the PEM is the slow part, hence a factory.
 */
export function createRsaPkcs1Decrypter(privateKeyPem: string): RsaPkcs1Decrypter {
  const key = forge.pki.privateKeyFromPem(privateKeyPem);
  return (ciphertext: Buffer): Buffer => {
    try {
      return Buffer.from(key.decrypt(ciphertext.toString('binary'), 'RSAES-PKCS1-V1_5'), 'binary');
    } catch {
      throw new IrpCryptoError('rsa', 'RSA decryption failed (wrong public key or corrupted data)');
    }
  };
}

export function rsaDecryptPkcs1(privateKeyPem: string, ciphertext: Buffer): Buffer {
  return createRsaPkcs1Decrypter(privateKeyPem)(ciphertext);
}

/** What a client sends at login, whatever the auth version. */
export interface AuthCredentials {
  userName: string;
  password: string;
  /** The raw 32-byte AppKey. */
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
  | 'appkey-decryption' // AppKey missing, undecryptable, or not 32 bytes
  | 'missing-user-name'
  | 'missing-password';

export type AuthPayloadResult =
  { ok: true; credentials: AuthCredentials } | { ok: false; failure: AuthPayloadFailure };

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

/**
 * The AppKey as sent. Per §3 it is base64 of 32 random bytes (v1.04) or 32 raw bytes (v1.03). NIC
 * also calls it "any 32 character random" value, so a 32-character text key is accepted as its own
 * UTF-8 bytes (UNCONFIRMED leniency; a 44-character base64 key cannot be confused with it).
 */
export function appKeyFromTransportForm(value: Buffer | string): Buffer | undefined {
  if (Buffer.isBuffer(value)) {
    if (value.length === AES_KEY_BYTES) return value;
    return appKeyFromTransportForm(value.toString('latin1'));
  }
  try {
    const decoded = decodeBase64Strict(value.trim());
    if (decoded.length === AES_KEY_BYTES) return decoded;
  } catch {
    // not base64: fall through to the text form
  }
  const text = Buffer.from(value, 'utf8');
  return text.length === AES_KEY_BYTES ? text : undefined;
}

function forceRefreshFlag(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

function credentialsFromFields(
  fields: Record<string, unknown>,
  password: string | undefined,
  appKey: Buffer | undefined,
): AuthPayloadResult {
  const userName = getMemberIgnoringCase(fields, 'UserName');
  if (typeof userName !== 'string' || userName.trim() === '')
    return { ok: false, failure: 'missing-user-name' };
  if (password === undefined || password === '') return { ok: false, failure: 'missing-password' };
  if (!appKey) return { ok: false, failure: 'appkey-decryption' };
  return {
    ok: true,
    credentials: {
      userName,
      password,
      appKey,
      forceRefreshAccessToken: forceRefreshFlag(getMemberIgnoringCase(fields, 'ForceRefreshAccessToken')),
    },
  };
}

/** Server side of {@link buildAuthPayloadV104}: `data` is the `Data` string of the body. */
export function parseAuthPayloadV104(data: unknown, decrypt: RsaPkcs1Decrypter): AuthPayloadResult {
  if (typeof data !== 'string' || data === '') return { ok: false, failure: 'malformed' };
  let fields: unknown;
  try {
    const base64Json = decrypt(decodeBase64Strict(data)).toString('latin1').trim();
    fields = parseJson(decodeUtf8Strict(decodeBase64Strict(base64Json)));
  } catch {
    // Every failure below the JSON means the client encrypted with another key or mangled the layers.
    return { ok: false, failure: 'password-decryption' };
  }
  if (!isRecord(fields)) return { ok: false, failure: 'password-decryption' };
  const password = getMemberIgnoringCase(fields, 'Password');
  const appKeyText = getMemberIgnoringCase(fields, 'AppKey');
  const appKey = typeof appKeyText === 'string' ? appKeyFromTransportForm(appKeyText) : undefined;
  return credentialsFromFields(fields, typeof password === 'string' ? password : undefined, appKey);
}

/** Server side of {@link buildAuthPayloadV103}: `data` is the lower-case `data` member of the body. */
export function parseAuthPayloadV103(data: unknown, decrypt: RsaPkcs1Decrypter): AuthPayloadResult {
  if (!isRecord(data)) return { ok: false, failure: 'malformed' };
  const userName = getMemberIgnoringCase(data, 'UserName');
  if (typeof userName !== 'string' || userName.trim() === '')
    return { ok: false, failure: 'missing-user-name' };

  const encryptedPassword = getMemberIgnoringCase(data, 'Password');
  if (typeof encryptedPassword !== 'string' || encryptedPassword === '') {
    return { ok: false, failure: 'missing-password' };
  }
  let password: string;
  try {
    password = decodeUtf8Strict(decrypt(decodeBase64Strict(encryptedPassword)));
  } catch {
    return { ok: false, failure: 'password-decryption' };
  }

  const encryptedAppKey = getMemberIgnoringCase(data, 'AppKey');
  let appKey: Buffer | undefined;
  if (typeof encryptedAppKey === 'string' && encryptedAppKey !== '') {
    try {
      appKey = appKeyFromTransportForm(decrypt(decodeBase64Strict(encryptedAppKey)));
    } catch {
      appKey = undefined;
    }
  }
  return credentialsFromFields(data, password, appKey);
}
