/**
 * The generators feed the demo and the benchmarks, so every event they make must survive the whole
 * path: Avro encode/decode, mapping, and (for invoices) the IRP core validator.
 */
import { describe, expect, it } from 'vitest';
import { validateInvoice } from '../../src/irp/validate/index.js';
import { generateRecords } from './generators.js';
import { connectorIds, connectors } from '../registry.js';
import { decode, encode } from './avro-codec.js';

const AS_OF = '2025-03-28';
const NOW = new Date('2025-03-29T06:00:00Z');
const COUNT = 250;

describe.each(connectorIds)('%s generator', (id) => {
  const connector = connectors[id];

  it('is reproducible from the seed', () => {
    const a = generateRecords(id, 20, { seed: 7, asOf: AS_OF });
    const b = generateRecords(id, 20, { seed: 7, asOf: AS_OF });
    expect(a.map((r) => encode(connector.avroSchema, r))).toEqual(
      b.map((r) => encode(connector.avroSchema, r)),
    );
    const c = generateRecords(id, 20, { seed: 8, asOf: AS_OF });
    expect(c.map((r) => encode(connector.avroSchema, r))).not.toEqual(
      a.map((r) => encode(connector.avroSchema, r)),
    );
  });

  it(`makes ${COUNT} events that map, and invoices that the IRP validator accepts`, () => {
    const kinds = new Map<string, number>();
    const problems: unknown[] = [];
    for (const record of generateRecords(id, COUNT, { seed: 42, asOf: AS_OF })) {
      const result = connector.map(decode(connector.avroSchema, encode(connector.avroSchema, record)));
      if (!result.ok) {
        problems.push(result.errors);
        continue;
      }
      const e = result.event;
      kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
      if (e.kind === 'generate') {
        const v = validateInvoice(e.invoice, { now: NOW });
        if (!v.valid) problems.push({ doc: e.docKey, errors: v.errors });
      }
    }
    expect(problems).toEqual([]);
    expect([...kinds.keys()].sort()).toEqual(['cancel', 'ewb', 'generate']);
  });
});
