/**
 * io-ts decoding for the sandbox's own input documents (fault profiles, admin requests). io-ts `exact`
 * strips unknown members silently; here they are errors, so a typo fails loudly.
 */
import { isLeft } from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { PathReporter } from 'io-ts/lib/PathReporter.js';

export type Decoded<T> = { ok: true; value: T } | { ok: false; errors: string[] };

/** Members of `input` that did not survive decoding, by path. */
function unknownMembers(input: unknown, decoded: unknown, path: string): string[] {
  if (typeof input !== 'object' || input === null || typeof decoded !== 'object' || decoded === null)
    return [];
  if (Array.isArray(input)) {
    return Array.isArray(decoded)
      ? input.flatMap((item, i) => unknownMembers(item, decoded[i], `${path}[${i}]`))
      : [];
  }
  const out = decoded as Record<string, unknown>;
  return Object.entries(input as Record<string, unknown>).flatMap(([key, value]) =>
    key in out ? unknownMembers(value, out[key], `${path}.${key}`) : [`${path}.${key} is not a known member`],
  );
}

export function decodeStrict<T>(codec: t.Decoder<unknown, T>, input: unknown, root: string): Decoded<T> {
  const result = codec.decode(input);
  if (isLeft(result)) return { ok: false, errors: PathReporter.report(result) };
  const unknown = unknownMembers(input, result.right, root);
  return unknown.length > 0 ? { ok: false, errors: unknown } : { ok: true, value: result.right };
}
