/**
 * The "system distance" between two PIN codes that the IRP uses to check a declared distance (±10 %)
 * and to fill in distance 0. NIC's PIN geography is not public, so this is a deterministic synthetic
 * stand-in (UNCONFIRMED by design): symmetric, and growing with how much of the PIN differs — PIN
 * digits are hierarchical (region, sub-region, sorting district), so nearby offices share prefixes.
 */
import { createHash } from 'node:crypto';

function spread(a: number, b: number): number {
  const [lo, hi] = a < b ? [a, b] : [b, a];
  return createHash('sha256').update(`${lo}-${hi}`).digest().readUInt32BE(0);
}

/** Kilometres between two different PINs; undefined for the same PIN (the client must state 1–100 km). */
export function pinToPinDistanceKm(fromPin: number, toPin: number): number | undefined {
  if (fromPin === toPin) return undefined;
  const [a, b] = [String(fromPin), String(toPin)];
  const h = spread(fromPin, toPin);
  if (a.slice(0, 3) === b.slice(0, 3)) return 5 + (h % 95);
  if (a.slice(0, 2) === b.slice(0, 2)) return 50 + (h % 250);
  if (a[0] === b[0]) return 150 + (h % 650);
  return 400 + Math.abs(Number(a[0]) - Number(b[0])) * 250 + (h % 400);
}
