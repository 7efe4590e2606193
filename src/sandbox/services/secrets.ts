/**
 * Client secrets and passwords are stored only as scrypt hashes (`scrypt$N$r$p$salt$hash`, base64).
 * scrypt is deliberately slow (tens of milliseconds), and the client secret comes with every API
 * call, so a successful verification is remembered in memory as a SHA-256 of the secret: later calls
 * compare digests in constant time instead of re-running scrypt.
 */
import {
  createHash,
  randomBytes,
  scrypt as scryptCallback,
  timingSafeEqual,
  type ScryptOptions,
} from 'node:crypto';

const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function scrypt(secret: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(secret, salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(secret, salt, { N, r: R, p: P });
  return ['scrypt', N, R, P, salt.toString('base64'), hash.toString('base64')].join('$');
}

export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scrypt(secret, Buffer.from(salt, 'base64'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

const digest = (secret: string) => createHash('sha256').update(secret, 'utf8').digest();

/** Remembers secrets that verified against a given stored hash, keyed by the hash itself. */
export class SecretVerifier {
  private readonly verified = new Map<string, Buffer>();

  async verify(secret: string, storedHash: string): Promise<boolean> {
    const known = this.verified.get(storedHash);
    const candidate = digest(secret);
    if (known) return timingSafeEqual(known, candidate);
    const ok = await verifySecret(secret, storedHash);
    if (ok) this.verified.set(storedHash, candidate);
    return ok;
  }
}

/** A random secret of `bytes` random bytes as base64url text. */
export function randomSecret(bytes = 18): string {
  return randomBytes(bytes).toString('base64url');
}
