/** Hand-made Avro bytes for hostile-input tests. */

/** A long as Avro writes it (zig-zag varint); exact up to 2^52. */
export function varint(n: number): Buffer {
  let z = n >= 0 ? n * 2 : -n * 2 - 1;
  const out: number[] = [];
  while (z >= 128) {
    out.push((z % 128) | 0x80);
    z = Math.floor(z / 128);
  }
  out.push(z);
  return Buffer.from(out);
}
