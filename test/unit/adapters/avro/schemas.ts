/**
 * Test schemas for the Avro adapter: an invoice event in three versions.
 * - v1 is the connector's (reader) schema.
 * - v2 is a later producer: adds `channel`, drops the optional `note`, writes `qty` as an int (Avro
 *   promotes it to the reader's long) — everything Avro resolution allows.
 * - v3 drops `id`, which v1 requires without a default: v1 cannot read it.
 */
import avro from 'avsc';
import type { AvroSchema } from '../../../../connectors/types.js';

const amount = { type: 'bytes', logicalType: 'decimal', precision: 15, scale: 2 };

export const INVOICE_V1: AvroSchema = {
  type: 'record',
  name: 'InvoiceEvent',
  namespace: 'test.erp',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'kind', type: { type: 'enum', name: 'Kind', symbols: ['CREATED', 'CANCELED'] } },
    { name: 'amount', type: amount },
    { name: 'qty', type: 'long' },
    { name: 'day', type: { type: 'int', logicalType: 'date' } },
    { name: 'note', type: ['null', 'string'], default: null },
  ],
};

export const INVOICE_V2: AvroSchema = {
  type: 'record',
  name: 'InvoiceEvent',
  namespace: 'test.erp',
  fields: [
    { name: 'id', type: 'string' },
    { name: 'kind', type: { type: 'enum', name: 'Kind', symbols: ['CREATED', 'CANCELED'] } },
    { name: 'amount', type: amount },
    { name: 'qty', type: 'int' },
    { name: 'day', type: { type: 'int', logicalType: 'date' } },
    { name: 'channel', type: 'string', default: 'erp' },
  ],
};

export const INVOICE_V3: AvroSchema = {
  type: 'record',
  name: 'InvoiceEvent',
  namespace: 'test.erp',
  fields: [
    { name: 'kind', type: { type: 'enum', name: 'Kind', symbols: ['CREATED', 'CANCELED'] } },
    { name: 'amount', type: amount },
  ],
};

export const v1 = avro.Type.forSchema(INVOICE_V1 as avro.Schema);
export const v2 = avro.Type.forSchema(INVOICE_V2 as avro.Schema);
export const v3 = avro.Type.forSchema(INVOICE_V3 as avro.Schema);

/** 1234.50 as the unscaled big-endian two's complement bytes of a decimal(15,2). */
export const AMOUNT = Buffer.from([0x01, 0xe2, 0x3a]);
/** 2025-02-14 as days since the epoch. */
export const DAY = 20133;

export const recordV1 = { id: 'INV-1', kind: 'CREATED', amount: AMOUNT, qty: 3, day: DAY, note: 'first' };
export const recordV2 = { id: 'INV-2', kind: 'CANCELED', amount: AMOUNT, qty: 7, day: DAY, channel: 'edi' };

/** A plain-object view of a decoded record (avsc returns instances of generated record classes). */
export function plain(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_k, v: unknown) =>
      v && typeof v === 'object' && (v as { type?: string }).type === 'Buffer'
        ? `hex:${Buffer.from((v as { data: number[] }).data).toString('hex')}`
        : v,
    ),
  );
}
