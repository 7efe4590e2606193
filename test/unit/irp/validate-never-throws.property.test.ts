/**
 * The validator never throws, whatever JSON it is given: arbitrary JSON values, invoices with any subtree
 * replaced by arbitrary JSON, adversarial keys (toString, __proto__, constructor, valueOf, hasOwnProperty)
 * and deep nesting. Every answer is a ValidationResult whose findings carry catalogued IRP codes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lookupErrorCode } from '../../../src/irp/errors.js';
import { MAX_JSON_DEPTH, validateInvoice } from '../../../src/irp/validate/index.js';
import { invoiceSample } from '../../support/irp-samples.js';

const NOW = new Date('2025-08-01T06:00:00Z');
const context = {
  now: NOW,
  isLargeTaxpayer: () => true,
  taxpayerStatus: () => 'ACT' as const,
  taxpayerType: () => 'REG',
};

const ADVERSARIAL_KEYS = [
  'toString',
  'valueOf',
  '__proto__',
  'constructor',
  'hasOwnProperty',
  'prototype',
  'toJSON',
  'length',
  '',
];

/** JSON values whose objects often carry keys that shadow Object.prototype members. */
const adversarialJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(null, true, false, 0, -1, 1e308, -1e308, 0.1, '', 'inv', '0', '[object Object]'),
    fc.string(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc
      .array(fc.tuple(fc.oneof(fc.constantFrom(...ADVERSARIAL_KEYS), fc.string()), tie('value')), {
        maxLength: 5,
      })
      // JSON.parse is how these arrive: it makes "__proto__" an own property, not a prototype.
      .map((entries) => JSON.parse(JSON.stringify(Object.fromEntries(entries))) as unknown),
  ),
})).value;

function parsedFromEntries(entries: [string, unknown][]): unknown {
  const text = `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`;
  return JSON.parse(text) as unknown;
}

function expectWellFormed(input: unknown) {
  const result = validateInvoice(input, context);
  expect(typeof result.valid).toBe('boolean');
  for (const f of result.errors) {
    expect(lookupErrorCode(f.code), f.code).toBeDefined();
    expect(typeof f.message).toBe('string');
    expect(typeof f.path).toBe('string');
  }
  expect(result.valid).toBe(result.errors.length === 0);
}

/** Every path into a JSON value, as key lists. */
function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...paths(v, [...prefix, i])));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function replaceAt(root: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = JSON.parse(JSON.stringify(root)) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = replacement;
  return copy;
}

const SAMPLE = invoiceSample('nic-doc-sample-full.request.json') as unknown;
const SAMPLE_PATHS = paths(SAMPLE);

// Run counts, not time, bound these tests; the timeout only keeps a loaded machine from failing them.
describe('validateInvoice never throws', { timeout: 120_000 }, () => {
  it('on arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => expectWellFormed(v)),
      { numRuns: 400 },
    );
  });

  it('on JSON with adversarial keys (toString, __proto__, constructor as members)', () => {
    fc.assert(
      fc.property(adversarialJson, (v) => expectWellFormed(v)),
      { numRuns: 400 },
    );
  });

  it('on a real invoice with any subtree replaced by adversarial JSON', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SAMPLE_PATHS), adversarialJson, (path, replacement) =>
        expectWellFormed(replaceAt(SAMPLE, path, replacement)),
      ),
      { numRuns: 800 },
    );
  });

  it('on a real invoice whose blocks gain adversarial members', () => {
    const objectPaths = SAMPLE_PATHS.filter((p) => {
      let node: unknown = SAMPLE;
      for (const k of p) node = (node as Record<string | number, unknown>)[k];
      return node !== null && typeof node === 'object' && !Array.isArray(node);
    });
    fc.assert(
      fc.property(
        fc.constantFrom(...objectPaths),
        fc.constantFrom(...ADVERSARIAL_KEYS),
        adversarialJson,
        (path, key, value) => {
          let node: unknown = JSON.parse(JSON.stringify(SAMPLE));
          const root = node;
          for (const k of path) node = (node as Record<string | number, unknown>)[k];
          const entries = Object.entries(node as object);
          entries.push([key, value]);
          const replaced = parsedFromEntries(entries);
          expectWellFormed(path.length === 0 ? replaced : replaceAt(root, path, replaced));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('on nesting thousands of levels deep: one 2140 finding naming the depth', () => {
    for (const open of ['[', '{"a":', '{"ItemList":']) {
      const depth = 5000;
      const close = open === '[' ? ']' : '}';
      const value = JSON.parse(`${open.repeat(depth)}1${close.repeat(depth)}`) as unknown;
      const result = validateInvoice(value, context);
      expect(result.valid).toBe(false);
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatchObject({ code: '2140' });
      expect(result.errors[0]!.detail).toContain(`${MAX_JSON_DEPTH}`);
    }
    // Just inside the bound a deeply nested unknown member is ignored like any other.
    let deep: unknown = 1;
    for (let i = 0; i < MAX_JSON_DEPTH - 2; i++) deep = [deep];
    expectWellFormed({ ...(SAMPLE as object), Extra: deep });
  });
});
