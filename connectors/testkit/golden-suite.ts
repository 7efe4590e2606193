/**
 * The golden test every connector runs: each fixture's Avro bytes decode with the connector's schema,
 * map to exactly the expected result, and every mapped invoice passes the IRP core validator.
 */
import { describe, expect, it } from 'vitest';
import { validateInvoice } from '../../src/irp/validate/index.js';
import { connectors, type ConnectorId } from '../registry.js';
import { decode } from './avro-codec.js';
import { FIXTURE_CASES, FIXTURE_NOW } from './fixture-cases.js';
import { readFixtures } from './golden.js';

export function goldenSuite(id: ConnectorId): void {
  const connector = connectors[id];
  const fixtures = readFixtures(id);

  describe(`${id} golden fixtures`, () => {
    it('has a fixture for every shared business case and at least one rejection', () => {
      const names = new Set(fixtures.map((f) => f.name));
      for (const c of FIXTURE_CASES) expect(names, c.id).toContain(c.id);
      expect(fixtures.some((f) => !f.expected.ok)).toBe(true);
    });

    for (const f of fixtures) {
      it(`${f.name}: Avro in → expected ${f.expected.ok ? f.expected.event.kind : 'rejection'} out`, () => {
        const result = connector.map(decode(connector.avroSchema, f.bytes));
        expect(JSON.parse(JSON.stringify(result))).toEqual(f.expected);
        if (result.ok && result.event.kind === 'generate') {
          const v = validateInvoice(result.event.invoice, { now: FIXTURE_NOW });
          expect(v.errors).toEqual([]);
        }
      });
    }
  });
}
