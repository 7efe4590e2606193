/**
 * event-decoder for the connector's JSON: one value is an ERP record in natural JSON (the shape of the
 * connector's Avro schema with plain values, see natural-json.ts) — what an ERP export or a hand-written
 * record looks like. It is converted with the writer schema, encoded to Avro binary and handed to the
 * raw {@link AvroEventDecoder}, so the record reaches the connector through the same path (and schema
 * resolution) a Kafka record takes. Failures, all `undecodable`: `JSON_DECODE` (not JSON),
 * `NATURAL_JSON_INVALID` (JSON, but not a record of the schema: the JSON path and why), then whatever the
 * Avro path reports.
 */
import avro from 'avsc';
import type { AvroSchema } from '../../../connectors/types.js';
import { failure } from '../../pipeline/failures.js';
import type { EventDecoder } from '../../pipeline/ports.js';
import { AvroEventDecoder, type DecodeResult } from './avro-decoder.js';
import { fromNaturalJson } from './natural-json.js';

export interface NaturalJsonDecoderOptions {
  /** The connector's schema. */
  readerSchema: AvroSchema;
  /** The schema the records follow. Default: the reader schema. */
  writerSchema?: AvroSchema;
}

export class NaturalJsonEventDecoder implements EventDecoder {
  private readonly writerSchema: AvroSchema;
  private readonly writerType: avro.Type;
  private readonly binary: AvroEventDecoder;

  constructor(options: NaturalJsonDecoderOptions) {
    this.binary = new AvroEventDecoder({
      readerSchema: options.readerSchema,
      writerSchema: options.writerSchema,
      wireFormat: 'raw',
    });
    this.writerSchema = options.writerSchema ?? options.readerSchema;
    this.writerType = avro.Type.forSchema(this.writerSchema as avro.Schema);
  }

  async decode(value: Buffer): Promise<DecodeResult> {
    let json: unknown;
    try {
      json = JSON.parse(value.toString('utf8'));
    } catch (error) {
      return {
        ok: false,
        failure: failure('undecodable', 'decode', [
          { code: 'JSON_DECODE', message: `not JSON: ${(error as Error).message}` },
        ]),
      };
    }
    let bytes: Buffer;
    try {
      bytes = this.writerType.toBuffer(fromNaturalJson(this.writerSchema, json));
    } catch (error) {
      const message = (error as Error).message.replace(/^natural JSON /, '');
      const path = /^\$([^:]*):/.exec(message)?.[1];
      return {
        ok: false,
        failure: failure('undecodable', 'decode', [
          {
            code: 'NATURAL_JSON_INVALID',
            message: `not a record of the connector's schema: ${message}`,
            ...(path !== undefined ? { path: path.replace(/^\./, '') || '(record)' } : {}),
          },
        ]),
      };
    }
    return this.binary.decode(bytes);
  }
}
