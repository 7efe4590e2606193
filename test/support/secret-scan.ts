/**
 * The secret scan of the chaos suite (and any test that keeps what processes printed or published):
 * every form in which a test secret could leak, searched for in files byte by byte.
 */
import { readFileSync } from 'node:fs';

export interface SecretForm {
  /** What the secret is, for the report (never the secret itself). */
  what: string;
  text: string;
}

/** A text secret as it is (a password, a client secret, an AuthToken). */
export function textSecret(what: string, value: string): SecretForm[] {
  return [{ what, text: value }];
}

/**
 * A binary secret (AppKey, SEK) in the encodings a careless log line would use: base64 (with and without
 * padding, and URL-safe) and hex.
 */
export function binarySecret(what: string, value: Buffer): SecretForm[] {
  const b64 = value.toString('base64');
  return [
    { what: `${what} (base64)`, text: b64.replace(/=+$/, '') },
    { what: `${what} (base64url)`, text: value.toString('base64url') },
    { what: `${what} (hex)`, text: value.toString('hex') },
  ];
}

export interface SecretHit {
  file: string;
  what: string;
  /** Byte offset of the first occurrence. */
  at: number;
}

/**
 * Every (file, secret) pair where the secret occurs. Forms shorter than 8 characters are refused: they
 * would match by chance and say nothing.
 */
export function scanFiles(files: string[], secrets: SecretForm[]): SecretHit[] {
  const short = secrets.filter((s) => s.text.length < 8);
  if (short.length > 0)
    throw new Error(`secret forms too short to scan for: ${short.map((s) => s.what).join(', ')}`);
  const unique = new Map<string, SecretForm>();
  for (const s of secrets) unique.set(s.text, s);
  const hits: SecretHit[] = [];
  for (const file of files) {
    const bytes = readFileSync(file);
    for (const s of unique.values()) {
      const at = bytes.indexOf(s.text, 0, 'utf8');
      if (at >= 0) hits.push({ file, what: s.what, at });
    }
  }
  return hits;
}
