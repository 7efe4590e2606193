import { constants, generateKeyPairSync, publicEncrypt, randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { IrpCryptoError } from '../../../src/irp/crypto.js';
import { RsaDecryptPool } from '../../../src/sandbox/keys/rsa-pool.js';

const { publicKey, privateKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const pool = new RsaDecryptPool(privateKey, 2);
afterAll(() => pool.close());

describe('RSA decryption pool (worker threads)', () => {
  it('decrypts PKCS#1 v1.5 ciphertexts concurrently across its workers', async () => {
    const plains = Array.from({ length: 40 }, () => randomBytes(1 + Math.floor(Math.random() * 200)));
    const cts = plains.map((p) => publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, p));
    const out = await Promise.all(cts.map((c) => pool.decrypt(c)));
    out.forEach((o, i) => expect(o.equals(plains[i]!)).toBe(true));
    expect(pool.backlog).toBe(0);
  });

  it('rejects a ciphertext for another key with an rsa IrpCryptoError, and keeps working', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    const ct = publicEncrypt({ key: other, padding: constants.RSA_PKCS1_PADDING }, Buffer.from('x'));
    await expect(pool.decrypt(ct)).rejects.toBeInstanceOf(IrpCryptoError);
    await expect(pool.decrypt(Buffer.alloc(3))).rejects.toBeInstanceOf(IrpCryptoError);
    const ok = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.from('y'));
    expect((await pool.decrypt(ok)).toString()).toBe('y');
  });
});
