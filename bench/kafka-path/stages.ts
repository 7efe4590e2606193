/**
 * Per connector, the local stages at the median invoice: the generated events of each connector are
 * Avro-encoded, the generate event whose Avro body is the median size is picked, and its decode (the
 * pipeline's AvroEventDecoder, bounded scan included), map (the connector) and validate (IRP rules)
 * are priced with {@link cpuPerCall}. The mean over every generate event is printed beside it.
 */
import { generateRecords } from '../../connectors/testkit/generators.js';
import { encode } from '../../connectors/testkit/avro-codec.js';
import { connectors, type ConnectorId } from '../../connectors/registry.js';
import type { Invoice } from '../../src/irp/schema/invoice.js';
import { AvroEventDecoder } from '../../src/adapters/avro/avro-decoder.js';
import { validateInvoice } from '../../src/irp/validate/index.js';
import { cpuMicros, cpuPerCall, type CpuCost } from './measure.js';

export interface MedianEvent {
  connector: ConnectorId;
  /** The Avro body of the median generate event. */
  bytes: Buffer;
  /** Its decoded record (what `map` receives). */
  record: unknown;
  invoice: Invoice;
}

export interface StageCosts {
  connector: ConnectorId;
  events: number;
  avroBytes: number;
  invoiceJsonBytes: number;
  items: number;
  decode: CpuCost;
  map: CpuCost;
  validate: CpuCost;
  /** Mean CPU µs per generate event over all of them (one pass after a warm-up pass). */
  meanMapUs: number;
  meanValidateUs: number;
}

const today = () => new Date().toISOString().slice(0, 10);

/** The generate event of median Avro size among `count` generated events of `id` (seed 7). */
export async function medianEvent(id: ConnectorId, count = 400): Promise<MedianEvent & { all: unknown[] }> {
  const c = connectors[id];
  const records = generateRecords(id, count, { seed: 7, asOf: today() });
  const decoder = new AvroEventDecoder({ readerSchema: c.avroSchema, wireFormat: 'raw' });
  const generates: MedianEvent[] = [];
  const all: unknown[] = [];
  for (const r of records) {
    const bytes = encode(c.avroSchema, r);
    const d = await decoder.decode(bytes);
    if (!d.ok) continue;
    all.push(d.record);
    const m = c.map(d.record);
    if (m.ok && m.event.kind === 'generate')
      generates.push({ connector: id, bytes, record: d.record, invoice: m.event.invoice });
  }
  generates.sort((a, b) => a.bytes.length - b.bytes.length);
  const mid = generates[Math.floor(generates.length / 2)];
  if (!mid) throw new Error(`${id}: no generate event mapped`);
  return { ...mid, all };
}

export async function stageCosts(id: ConnectorId, count = 400): Promise<StageCosts> {
  const c = connectors[id];
  const median = await medianEvent(id, count);
  const decoder = new AvroEventDecoder({ readerSchema: c.avroSchema, wireFormat: 'raw' });
  const now = new Date();
  const ctx = { now, isLargeTaxpayer: () => false };

  // decode is async in the port (a registry lookup may be needed), synchronous in practice for `raw`.
  let pending: Promise<unknown> = Promise.resolve();
  const decode = cpuPerCall(() => (pending = decoder.decode(median.bytes)));
  await pending;
  const map = cpuPerCall(() => c.map(median.record));
  const validate = cpuPerCall(() => validateInvoice(median.invoice, ctx));

  const invoices: Invoice[] = [];
  for (const r of median.all) {
    const m = c.map(r);
    if (m.ok && m.event.kind === 'generate') invoices.push(m.event.invoice);
  }
  let t = cpuMicros();
  for (const r of median.all) c.map(r);
  const meanMapUs = (cpuMicros() - t) / median.all.length;
  for (const inv of invoices) validateInvoice(inv, ctx);
  t = cpuMicros();
  for (const inv of invoices) validateInvoice(inv, ctx);
  const meanValidateUs = (cpuMicros() - t) / invoices.length;

  return {
    connector: id,
    events: median.all.length,
    avroBytes: median.bytes.length,
    invoiceJsonBytes: JSON.stringify(median.invoice).length,
    items: median.invoice.ItemList.length,
    decode,
    map,
    validate,
    meanMapUs,
    meanValidateUs,
  };
}
