/**
 * For profiling (`node --cpu-prof --import tsx bench/kafka-path/profile-stages.ts [connector] [stage] [seconds]`):
 * runs one stage (map, validate or decode) of one connector over its generated events in a loop.
 */
import { connectors, isConnectorId } from '../../connectors/registry.js';
import { AvroEventDecoder } from '../../src/adapters/avro/avro-decoder.js';
import { validateInvoice } from '../../src/irp/validate/index.js';
import type { Invoice } from '../../src/irp/schema/invoice.js';
import { encode } from '../../connectors/testkit/avro-codec.js';
import { generateRecords } from '../../connectors/testkit/generators.js';

const id = process.argv[2] ?? 'sap';
const stage = process.argv[3] ?? 'validate';
const seconds = Number(process.argv[4] ?? 10);
if (!isConnectorId(id)) throw new Error(`unknown connector ${id}`);
const c = connectors[id];
const records = generateRecords(id, 300, { seed: 7, asOf: new Date().toISOString().slice(0, 10) });
const bytes = records.map((r) => encode(c.avroSchema, r));
const decoder = new AvroEventDecoder({ readerSchema: c.avroSchema, wireFormat: 'raw' });
const decoded: unknown[] = [];
for (const b of bytes) {
  const d = await decoder.decode(b);
  if (d.ok) decoded.push(d.record);
}
const invoices: Invoice[] = [];
for (const r of decoded) {
  const m = c.map(r);
  if (m.ok && m.event.kind === 'generate') invoices.push(m.event.invoice);
}
const ctx = { now: new Date(), isLargeTaxpayer: () => false };
const end = performance.now() + seconds * 1000;
let n = 0;
while (performance.now() < end) {
  if (stage === 'map') for (const r of decoded) c.map(r);
  else if (stage === 'decode') for (const b of bytes) await decoder.decode(b);
  else for (const inv of invoices) validateInvoice(inv, ctx);
  n += stage === 'validate' ? invoices.length : decoded.length;
}
console.log(`${id} ${stage}: ${((seconds * 1e6) / n).toFixed(1)} µs wall per call over ${n}`);
