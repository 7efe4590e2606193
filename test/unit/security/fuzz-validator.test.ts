/**
 * Fuzz: JSON for the validator (issue 15: 904 throws and 173 unclear messages in 20,000 inputs). Every
 * input ends as findings with catalogued codes and clear messages: no "…-undefined", no value echoed
 * back whole, no terminal escape codes; never a throw. Size: FUZZ_RUNS (npm run test:fuzz), else small.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lookupErrorCode } from '../../../src/irp/errors.js';
import { validateInvoice } from '../../../src/irp/validate/index.js';
import {
  FUZZ_SEED,
  HOSTILE_STRINGS,
  expectClear,
  expectMemoryBounded,
  fuzzRuns,
  jsonPaths,
  setAt,
} from '../../support/fuzz.js';
import { invoiceSample } from '../../support/irp-samples.js';

const context = {
  now: new Date('2025-08-01T06:00:00Z'),
  isLargeTaxpayer: () => true,
  taxpayerStatus: () => 'ACT' as const,
  taxpayerType: () => 'REG',
};

const SAMPLE = invoiceSample('nic-doc-sample-full.request.json') as unknown;

const SAMPLE_PATHS = jsonPaths(SAMPLE).filter((p) => p.length > 0);

const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(null, true, 0, -1, 1e308, 1.005, '', '0', [], {}, [null], { toString: 1 }),
  fc.double(),
  fc.jsonValue({ maxDepth: 3 }),
);

function expectAnswered(input: unknown) {
  const result = validateInvoice(input, context);
  expect(result.valid).toBe(result.errors.length === 0);
  for (const f of [...result.errors, ...result.warnings]) {
    expect(lookupErrorCode(f.code) ?? f.code, f.code).toBeDefined();
    expectClear(f.message, `finding ${f.code} at ${f.path}`);
    if ('detail' in f && f.detail !== undefined) expectClear(f.detail, `detail of ${f.code}`);
  }
}

describe('fuzz: the validator', () => {
  it('a real invoice with any value replaced by a hostile one', () => {
    const baseline = process.memoryUsage().rss;
    fc.assert(
      fc.property(fc.constantFrom(...SAMPLE_PATHS), hostileValue, (path, value) =>
        expectAnswered(setAt(SAMPLE, path, value)),
      ),
      { numRuns: fuzzRuns(300), seed: FUZZ_SEED },
    );
    expectMemoryBounded(baseline);
  }, 600_000);

  it('a real invoice whose blocks gain members with hostile names', () => {
    const objects = SAMPLE_PATHS.filter((p) => {
      let node: unknown = SAMPLE;
      for (const k of p) node = (node as Record<string | number, unknown>)[k];
      return node !== null && typeof node === 'object' && !Array.isArray(node);
    });
    fc.assert(
      fc.property(
        fc.constantFrom([] as (string | number)[], ...objects),
        fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ unit: 'binary', maxLength: 20 })),
        hostileValue,
        (path, key, value) => {
          const copy = JSON.parse(JSON.stringify(SAMPLE)) as Record<string, unknown>;
          let node = copy;
          for (const k of path) node = node[k] as Record<string, unknown>;
          node[key] = value;
          expectAnswered(JSON.parse(JSON.stringify(copy)));
        },
      ),
      { numRuns: fuzzRuns(300), seed: FUZZ_SEED },
    );
  }, 600_000);

  it('arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => expectAnswered(v)),
      { numRuns: fuzzRuns(300), seed: FUZZ_SEED },
    );
  }, 600_000);

  it('a 10 MB value is not echoed back, an escape code is not passed through', () => {
    for (const path of [
      ['DocDtls', 'No'],
      ['ItemList', 0, 'HsnCd'],
      ['ItemList', 0, 'Unit'],
      ['SellerDtls', 'Gstin'],
    ]) {
      expectAnswered(setAt(SAMPLE, path, 'x'.repeat(10 * 1024 * 1024)));
      expectAnswered(setAt(SAMPLE, path, '\u001b[2J\u001b[31mHSN\u001b[0m'));
    }
  });
});
