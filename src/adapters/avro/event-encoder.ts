/**
 * Encodes ERP events as a producer on the ERP side writes them, for `irp-bridge produce`: the Avro
 * binary body (`raw`), or framed with a schema id (`confluent`). Records come as the Avro JSON encoding
 * (the connectors' samples) or as decoded values (the generators).
 */
import avro from 'avsc';
import type { AvroSchema } from '../../../connectors/types.js';
import { encodeConfluent } from './wire-format.js';

export interface EventEncoder {
  /** One record in Avro's JSON encoding (unions wrapped, bytes as code points). Throws on a bad record. */
  fromAvroJson(text: string): { value: Buffer; record: unknown };
  /** One decoded record (as avsc's `fromBuffer` returns it). Throws on a bad record. */
  fromRecord(record: unknown): Buffer;
}

export function createEventEncoder(
  schema: AvroSchema,
  wire: { format: 'raw' } | { format: 'confluent'; schemaId: number },
): EventEncoder {
  const type = avro.Type.forSchema(schema as avro.Schema);
  const encode = (record: unknown) =>
    wire.format === 'confluent' ? encodeConfluent(type, wire.schemaId, record) : type.toBuffer(record);
  return {
    fromAvroJson: (text) => {
      const record: unknown = type.fromString(text);
      return { value: encode(record), record };
    },
    fromRecord: encode,
  };
}
