import {
  constants,
  createDecipheriv,
  generateKeyPairSync,
  privateDecrypt,
  publicEncrypt,
  randomBytes,
} from 'node:crypto';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import {
  IrpCryptoError,
  aesEcbDecrypt,
  aesEcbEncrypt,
  appKeyFromTransportForm,
  buildAuthPayloadV103,
  buildAuthPayloadV104,
  createRsaPkcs1Decrypter,
  decodeBase64Strict,
  decryptEwbStylePayload,
  decryptJsonPayload,
  decryptSek,
  encryptEwbStylePayload,
  encryptJsonPayload,
  encryptSek,
  generateAppKey,
  unpadPkcs1v15,
  parseAuthPayloadV103,
  parseAuthPayloadV104,
  rsaDecryptPkcs1,
  rsaEncryptPkcs1,
} from '../../../src/irp/crypto.js';

const { publicKey, privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const other = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const decrypt = createRsaPkcs1Decrypter(privateKey);

describe('AES-256-ECB', () => {
  it('round-trips and pads to the block size (PKCS#7)', async () => {
    const key = generateAppKey();
    const ct = aesEcbEncrypt(key, 'hello');
    expect(ct.length).toBe(16);
    expect(aesEcbEncrypt(key, Buffer.alloc(16)).length).toBe(32); // a full padding block
    expect(aesEcbDecrypt(key, ct).toString()).toBe('hello');
  });

  it('matches a known answer (key and plaintext of zero bytes)', async () => {
    // AES-256 of one all-zero block under the all-zero key (FIPS-197 style KAT).
    const ct = aesEcbEncrypt(Buffer.alloc(32), Buffer.alloc(16));
    expect(ct.subarray(0, 16).toString('hex')).toBe('dc95c078a2408989ad48a21492842087');
  });

  it('refuses keys that are not 16, 24 or 32 bytes and reports a wrong key as an aes failure', async () => {
    expect(() => aesEcbEncrypt(Buffer.alloc(20), 'x')).toThrow(IrpCryptoError);
    expect(() => encryptSek(Buffer.alloc(16), generateAppKey())).toThrow(IrpCryptoError); // SEK: 32 only
    const ct = aesEcbEncrypt(generateAppKey(), 'some text that spans blocks');
    let failure: unknown;
    for (let i = 0; i < 5 && !failure; i++) {
      try {
        aesEcbDecrypt(generateAppKey(), ct);
      } catch (err) {
        failure = err;
      }
    }
    expect(failure).toBeInstanceOf(IrpCryptoError);
    expect((failure as IrpCryptoError).reason).toBe('aes');
  });
});

describe('SEK', () => {
  it('is always 64 base64 characters (48 bytes) and decrypts under the AppKey', async () => {
    const appKey = generateAppKey();
    const sek = randomBytes(32);
    const enc = encryptSek(sek, appKey);
    expect(enc).toHaveLength(64);
    expect(Buffer.from(enc, 'base64')).toHaveLength(48);
    expect(decryptSek(enc, appKey).equals(sek)).toBe(true);
  });
});

describe('payloads', () => {
  it('JSON payload: decrypted text is the JSON itself, no inner base64', async () => {
    const sek = randomBytes(32);
    const data = encryptJsonPayload(sek, { Irn: 'abc', n: 1 });
    const plain = aesEcbDecrypt(sek, Buffer.from(data, 'base64')).toString();
    expect(plain).toBe('{"Irn":"abc","n":1}');
    expect(decryptJsonPayload(sek, data)).toEqual({ Irn: 'abc', n: 1 });
  });

  it('EWB-style payload wraps base64(JSON) inside the ciphertext', async () => {
    const sek = randomBytes(32);
    const data = encryptEwbStylePayload(sek, { ewbNo: 1 });
    const plain = aesEcbDecrypt(sek, Buffer.from(data, 'base64')).toString();
    expect(Buffer.from(plain, 'base64').toString()).toBe('{"ewbNo":1}');
    expect(decryptEwbStylePayload(sek, data)).toEqual({ ewbNo: 1 });
  });

  it('names the failing step', async () => {
    const sek = randomBytes(32);
    const reason = (f: () => unknown) => {
      try {
        f();
      } catch (err) {
        return (err as IrpCryptoError).reason;
      }
      return 'none';
    };
    expect(reason(() => decryptJsonPayload(sek, 'not base64!'))).toBe('base64');
    expect(reason(() => decryptJsonPayload(sek, aesEcbEncrypt(sek, 'not json').toString('base64')))).toBe(
      'json',
    );
    expect(reason(() => decryptJsonPayload(sek, Buffer.alloc(15).toString('base64')))).toBe('aes');
  });

  it('strict base64 rejects what Node would silently skip', async () => {
    expect(() => decodeBase64Strict('ab$c')).toThrow(IrpCryptoError);
    expect(() => decodeBase64Strict('abc')).toThrow(IrpCryptoError);
    expect(decodeBase64Strict('YWJj').toString()).toBe('abc');
  });
});

describe('RSA PKCS#1 v1.5', () => {
  it('decrypts what node:crypto encrypted (raw RSA, then the padding removed)', async () => {
    const ct = rsaEncryptPkcs1(publicKey, 'secret');
    expect(ct).toHaveLength(256);
    expect(rsaDecryptPkcs1(privateKey, ct).toString()).toBe('secret');
  });

  it('decrypts what node-forge encrypted (an independent PKCS#1 v1.5 implementation)', async () => {
    const forgeKey = forge.pki.publicKeyFromPem(publicKey);
    for (const text of ['', 'x', 'a'.repeat(245)]) {
      const ct = Buffer.from(forgeKey.encrypt(text, 'RSAES-PKCS1-V1_5'), 'binary');
      expect(rsaDecryptPkcs1(privateKey, ct).toString()).toBe(text);
    }
  });

  it('unpadPkcs1v15 refuses blocks that are not type-2 padding', async () => {
    const block = (bytes: number[]) => Uint8Array.from(bytes);
    expect(unpadPkcs1v15(block([0, 2, 1, 1, 1, 1, 1, 1, 1, 1, 0, 65]))).toEqual(block([65]));
    expect(unpadPkcs1v15(block([0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 65]))).toBeUndefined(); // type 1
    expect(unpadPkcs1v15(block([0, 2, 1, 1, 1, 1, 1, 1, 1, 0, 65, 65]))).toBeUndefined(); // 7 padding bytes
    expect(unpadPkcs1v15(block([0, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]))).toBeUndefined(); // no separator
  });

  it('Node 20 itself refuses PKCS#1 v1.5 private decryption (why the padding is removed by hand)', async () => {
    const ct = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.from('x'));
    expect(() => privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, ct)).toThrow();
  });

  it('a ciphertext for another key fails as an rsa error', async () => {
    const ct = rsaEncryptPkcs1(other.publicKey, 'secret');
    expect(() => decrypt(ct)).toThrow(IrpCryptoError);
  });
});

describe('auth payloads', () => {
  const credentials = {
    userName: 'demo',
    password: 'Pa$$w0rd!',
    appKey: generateAppKey(),
    forceRefreshAccessToken: true,
  };

  it('v1.04: RSA over the base64 text of the JSON; the server reads it back', async () => {
    const body = buildAuthPayloadV104(credentials, publicKey);
    const inner = rsaDecryptPkcs1(privateKey, Buffer.from(body.Data, 'base64')).toString('latin1');
    const json = JSON.parse(Buffer.from(inner, 'base64').toString()) as Record<string, unknown>;
    expect(json).toEqual({
      UserName: 'demo',
      Password: 'Pa$$w0rd!',
      AppKey: credentials.appKey.toString('base64'),
      ForceRefreshAccessToken: true,
    });
    const parsed = await parseAuthPayloadV104(body.Data, decrypt);
    expect(parsed.ok && parsed.credentials.appKey.equals(credentials.appKey)).toBe(true);
    expect(parsed.ok && parsed.credentials.forceRefreshAccessToken).toBe(true);
  });

  it('v1.04: binds member names case-insensitively (NIC Java sample sends username/password/appkey)', async () => {
    const json = JSON.stringify({
      username: 'demo',
      password: 'p',
      appkey: credentials.appKey.toString('base64'),
    });
    const data = rsaEncryptPkcs1(publicKey, Buffer.from(json).toString('base64')).toString('base64');
    const parsed = await parseAuthPayloadV104(data, decrypt);
    expect(parsed).toMatchObject({
      ok: true,
      credentials: { userName: 'demo', password: 'p', forceRefreshAccessToken: false },
    });
  });

  it('v1.04: maps each failure', async () => {
    expect(await parseAuthPayloadV104(undefined, decrypt)).toMatchObject({ ok: false, failure: 'malformed' });
    const wrongKey = buildAuthPayloadV104(credentials, other.publicKey);
    expect(await parseAuthPayloadV104(wrongKey.Data, decrypt)).toMatchObject({
      ok: false,
      failure: 'password-decryption',
    });
    const enc = (o: object) =>
      rsaEncryptPkcs1(publicKey, Buffer.from(JSON.stringify(o)).toString('base64')).toString('base64');
    expect(await parseAuthPayloadV104(enc({ Password: 'p', AppKey: 'x' }), decrypt)).toMatchObject({
      ok: false,
      failure: 'missing-user-name',
    });
    expect(await parseAuthPayloadV104(enc({ UserName: 'u', AppKey: 'x' }), decrypt)).toMatchObject({
      ok: false,
      failure: 'missing-password',
    });
    expect(
      await parseAuthPayloadV104(enc({ UserName: 'u', Password: 'p', AppKey: 'short' }), decrypt),
    ).toMatchObject({ ok: false, failure: 'appkey-decryption' });
  });

  it('v1.04: the credentials JSON must fit 245 bytes of base64 (183 bytes of JSON)', async () => {
    const long = { ...credentials, password: 'x'.repeat(120) };
    expect(() => buildAuthPayloadV104(long, publicKey)).toThrow();
  });

  it('v1.03: password and AppKey encrypted separately', async () => {
    const body = buildAuthPayloadV103(credentials, publicKey);
    expect(body.data.UserName).toBe('demo');
    const parsed = await parseAuthPayloadV103(body.data, decrypt);
    expect(parsed.ok && parsed.credentials.password).toBe('Pa$$w0rd!');
    expect(parsed.ok && parsed.credentials.appKey.equals(credentials.appKey)).toBe(true);
    const wrongKey = buildAuthPayloadV103(credentials, other.publicKey);
    expect(await parseAuthPayloadV103(wrongKey.data, decrypt)).toMatchObject({
      ok: false,
      failure: 'password-decryption',
      detail: expect.stringContaining('RSA decryption failed') as unknown,
    });
    const badAppKey = { ...body.data, AppKey: wrongKey.data.AppKey };
    expect(await parseAuthPayloadV103(badAppKey, decrypt)).toMatchObject({
      ok: false,
      failure: 'appkey-decryption',
      detail: expect.stringContaining('AppKey: RSA decryption failed') as unknown,
    });
  });

  it('accepts 16-, 24- and 32-byte AppKeys and encrypts the 32-byte SEK under AES-128/192/256', async () => {
    const sek = randomBytes(32);
    for (const bytes of [16, 24, 32]) {
      const appKey = randomBytes(bytes);
      const v103 = buildAuthPayloadV103({ ...credentials, appKey }, publicKey);
      const parsed = await parseAuthPayloadV103(v103.data, decrypt);
      expect(parsed.ok && parsed.credentials.appKey.length).toBe(bytes);
      const encrypted = encryptSek(sek, appKey);
      expect(encrypted).toHaveLength(64);
      // Independent check with node:crypto under the AES variant the key length names.
      const d = createDecipheriv(`aes-${bytes * 8}-ecb`, appKey, null);
      expect(Buffer.concat([d.update(Buffer.from(encrypted, 'base64')), d.final()]).equals(sek)).toBe(true);
      expect(decryptSek(encrypted, appKey).equals(sek)).toBe(true);
    }
    // v1.04 as NIC's Java sample sends it: base64 of a 128-bit key.
    const javaKey = randomBytes(16);
    const v104 = buildAuthPayloadV104({ ...credentials, appKey: javaKey }, publicKey);
    const parsed = await parseAuthPayloadV104(v104.Data, decrypt);
    expect(parsed.ok && parsed.credentials.appKey.equals(javaKey)).toBe(true);
  });

  it('says what is wrong with an AppKey of another length (1016 used to say "decryption failed")', async () => {
    const v104 = buildAuthPayloadV104({ ...credentials, appKey: randomBytes(20) }, publicKey);
    expect(await parseAuthPayloadV104(v104.Data, decrypt)).toEqual({
      ok: false,
      failure: 'appkey-decryption',
      detail:
        'the AppKey is 20 bytes (base64 of 28 characters); it must be 16, 24 or 32 bytes (AES-128/192/256)',
    });
  });

  it('AppKey transport forms: raw bytes, base64 of 16 or 32 bytes, or 32 characters of text', async () => {
    const key = generateAppKey();
    expect(appKeyFromTransportForm(key)?.equals(key)).toBe(true);
    expect(appKeyFromTransportForm(key.toString('base64'))?.equals(key)).toBe(true);
    const short = randomBytes(16);
    expect(appKeyFromTransportForm(short.toString('base64'))?.equals(short)).toBe(true);
    const mid = randomBytes(24);
    expect(appKeyFromTransportForm(mid)?.equals(mid)).toBe(true);
    expect(appKeyFromTransportForm('0123456789abcdef0123456789abcdef')?.toString()).toBe(
      '0123456789abcdef0123456789abcdef',
    );
    expect(appKeyFromTransportForm('too short')).toBeUndefined();
  });
});
