/**
 * The validator's fast path: `isCanonical` says an input needs neither the normaliser nor the io-ts
 * decoder. It must only ever say so when both would return the input unchanged (no notes, a Right whose
 * value equals the input), or the fast path would answer differently from the full one. Checked on NIC's
 * samples, on every connector's generated invoices, and on those with any subtree replaced by arbitrary
 * JSON, a key's case changed or a null put in; and the connectors' output does take the fast path.
 */
import fc from 'fast-check';
import { isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { connectorIds, connectors } from '../../../connectors/registry.js';
import { generateRecords } from '../../../connectors/testkit/generators.js';
import { InvoiceCodec } from '../../../src/irp/schema/invoice.js';
import { isCanonical, normalizeToCodec } from '../../../src/irp/schema/normalize.js';
import { FIXTURE_INVOICES, invoiceSample, REGISTERED_INVOICES } from '../../support/irp-samples.js';

function generatedInvoices(perConnector: number): unknown[] {
  const out: unknown[] = [];
  for (const id of connectorIds)
    for (const r of generateRecords(id, perConnector, { seed: 11, asOf: '2025-08-01' })) {
      const m = connectors[id].map(r);
      if (m.ok && m.event.kind === 'generate') out.push(JSON.parse(JSON.stringify(m.event.invoice)));
    }
  return out;
}

/** What the full path makes of `input`: unchanged exactly when it should be canonical. */
function fullPathKeepsIt(input: unknown): boolean {
  const { value, notes } = normalizeToCodec(InvoiceCodec, input);
  if (notes.length > 0) return false;
  const decoded = InvoiceCodec.decode(value);
  if (!isRight(decoded)) return false;
  try {
    expect(decoded.right).toStrictEqual(input);
    return true;
  } catch {
    return false;
  }
}

function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function edit(
  root: unknown,
  path: (string | number)[],
  change: (parent: Record<string | number, unknown>, key: string | number) => void,
): unknown {
  const copy = JSON.parse(JSON.stringify(root)) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  change(node, path[path.length - 1]!);
  return copy;
}

/** An item list with an empty slot in front (JSON cannot say it, a caller's array can). */
function withHole(items: unknown[]): unknown[] {
  const out: unknown[] = new Array<unknown>(items.length + 1);
  items.forEach((v, i) => (out[i + 1] = v));
  return out;
}

const samples = [...REGISTERED_INVOICES, ...FIXTURE_INVOICES].map((n) => invoiceSample(n) as unknown);
const generated = generatedInvoices(12);
const invoices = [...samples, ...generated];

describe('the canonical fast path of the validator', () => {
  it("is taken for every connector's generated invoices", () => {
    for (const inv of generated) expect(isCanonical(InvoiceCodec, inv)).toBe(true);
  });

  it('is taken only where normalising and decoding would change nothing', () => {
    for (const inv of invoices) expect(fullPathKeepsIt(inv)).toBe(isCanonical(InvoiceCodec, inv));
    const json = fc.jsonValue({ maxDepth: 3 });
    fc.assert(
      fc.property(fc.nat(), fc.nat(), json, fc.nat(3), (which, where, replacement, how) => {
        const inv = invoices[which % invoices.length]!;
        const all = paths(inv).filter((p) => p.length > 0);
        const path = all[where % all.length]!;
        const changed = edit(inv, path, (parent, key) => {
          if (how === 0) parent[key] = replacement;
          else if (how === 1) parent[key] = null;
          else if (how === 2 && typeof key === 'string') {
            const v = parent[key];
            delete parent[key];
            parent[key.toLowerCase() === key ? key.toUpperCase() : key.toLowerCase()] = v;
          } else parent[key] = typeof parent[key] === 'number' ? String(parent[key]) : replacement;
        });
        if (isCanonical(InvoiceCodec, changed)) expect(fullPathKeepsIt(changed)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses what is not canonical: case variants, nulls, unknown keys, coercions, empty item lists', () => {
    const inv = generated[0] as Record<string, Record<string, unknown>>;
    const variants: unknown[] = [
      { ...inv, docdtls: inv.DocDtls, DocDtls: undefined },
      { ...inv, Irn: null },
      { ...inv, Extra: 1 },
      { ...inv, SellerDtls: { ...inv.SellerDtls, Pin: String(inv.SellerDtls!.Pin) } },
      { ...inv, DocDtls: { ...inv.DocDtls, Typ: 'inv' } },
      { ...inv, ItemList: [] },
      { ...inv, ItemList: withHole(inv.ItemList as unknown as unknown[]) },
      [inv],
      null,
      'x',
    ];
    for (const v of variants) expect(isCanonical(InvoiceCodec, v)).toBe(false);
  });
});
