/**
 * `verifyIrpJwt` verifies the JWS as the IRP signs it with node:crypto directly and leaves everything
 * else to jose. The direct path must never accept what jose refuses, and must read what jose reads:
 * whenever it answers, jose verifies the same JWS to the same header and payload. JWSs: genuine ones,
 * ones with a character changed or added, and ones signed under other headers (another alg, crit, b64,
 * not an object) or by another key.
 */
import { generateKeyPairSync, sign as rsaSign, type KeyObject } from 'node:crypto';
import fc from 'fast-check';
import { compactVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { verifiedPlainly } from '../../../src/irp/signed-jwt.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const small = generateKeyPairSync('rsa', { modulusLength: 1024 });

const b64u = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
function jws(header: string, payload: string, key: KeyObject = privateKey): string {
  const input = `${b64u(header)}.${b64u(payload)}`;
  return `${input}.${rsaSign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

const header = fc.constantFrom(
  '{"alg":"RS256","kid":"AB12","typ":"JWT","x5t":"qxI"}',
  '{"alg":"RS256"}',
  '{"alg":"RS512"}',
  '{"alg":"none"}',
  '{"alg":"RS256","crit":["b64"],"b64":false}',
  '{"alg":"RS256","b64":true}',
  '{"alg":"RS256","crit":["exp"]}',
  '["alg","RS256"]',
  'null',
  '{"alg":"RS256"',
);
const payload = fc.oneof(
  fc.json().map((data) => JSON.stringify({ data, iss: 'NIC' })),
  fc.string(),
);
const token = fc.oneof(
  fc.tuple(header, payload).map(([h, p]) => jws(h, p)),
  fc.tuple(header, payload).map(([h, p]) => jws(h, p, other.privateKey)),
  fc
    .tuple(header, payload, fc.nat(), fc.constantFrom('A', 'b', '-', '_', '.', '=', '+', '/', ' ', 'é'))
    .map(([h, p, at, c]) => {
      const t = jws(h, p);
      const i = at % (t.length + 1);
      return at % 2 === 0 ? t.slice(0, i) + c + t.slice(i + 1) : t.slice(0, i) + c + t.slice(i);
    }),
);

async function jose(t: string, key: KeyObject) {
  try {
    const { payload, protectedHeader } = await compactVerify(t, key, { algorithms: ['RS256'] });
    return { header: protectedHeader as Record<string, unknown>, payload: Buffer.from(payload) };
  } catch {
    return undefined;
  }
}

describe('verifiedPlainly', () => {
  it('answers only where jose verifies, with what jose reads', async () => {
    await fc.assert(
      fc.asyncProperty(token, async (t) => {
        const plain = verifiedPlainly(t, publicKey);
        if (plain) expect(await jose(t, publicKey)).toEqual(plain);
      }),
      { numRuns: 400 },
    );
  });

  it('answers for the JWS as the IRP signs it, and leaves a small key to jose', async () => {
    const t = jws('{"alg":"RS256","kid":"AB12","typ":"JWT","x5t":"qxI"}', '{"data":"{}","iss":"NIC"}');
    expect(verifiedPlainly(t, publicKey)).toEqual(await jose(t, publicKey));
    expect(verifiedPlainly(t, publicKey)).toBeDefined();
    const weak = jws('{"alg":"RS256"}', '{"data":"{}","iss":"NIC"}', small.privateKey);
    expect(verifiedPlainly(weak, small.publicKey)).toBeUndefined();
  });
});
