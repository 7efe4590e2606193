/**
 * event-decoder for records written as text: one value is the Avro JSON encoding of a record (unions
 * wrapped as `{"string": "x"}`, `bytes` as strings of code points 0–255 — what avsc's `toString`, avro-tools
 * `tojson` and the connectors' `*.input.json` fixtures hold). The embedded demo's NDJSON files carry
 * one such record per line.
 *
 * The JSON is read with the writer schema, encoded to Avro binary and handed to the raw
 * {@link AvroEventDecoder}, so a JSON record reaches the connector through the very path (and schema
 * resolution) a Kafka record takes. Failures: `JSON_DECODE` (not JSON), `AVRO_JSON_INVALID` (JSON, but
 * not a record of the writer schema), then whatever the Avro path reports; all `undecodable`.
 */
import avro from 'avsc';
import type { AvroSchema } from '../../../connectors/types.js';
import { shownValue } from '../../irp/errors.js';
import { failure } from '../../pipeline/failures.js';
import type { EventDecoder } from '../../pipeline/ports.js';
import { AvroEventDecoder, type DecodeResult } from './avro-decoder.js';
import type { AvroLimits } from './bounded-scan.js';

export interface JsonDecoderOptions {
  /** The connector's schema. */
  readerSchema: AvroSchema;
  /** The schema the JSON records follow. Default: the reader schema. */
  writerSchema?: AvroSchema;
  /** Size limits of the Avro path (`avro.limits`). */
  limits?: Partial<AvroLimits>;
}

/** The Avro-JSON {@link EventDecoder}; throws at construction for schemas that can never resolve. */
export class JsonEventDecoder implements EventDecoder {
  private readonly writerType: avro.Type;
  private readonly binary: AvroEventDecoder;

  constructor(options: JsonDecoderOptions) {
    this.binary = new AvroEventDecoder({
      readerSchema: options.readerSchema,
      writerSchema: options.writerSchema,
      wireFormat: 'raw',
      limits: options.limits,
    });
    this.writerType = avro.Type.forSchema((options.writerSchema ?? options.readerSchema) as avro.Schema);
  }

  async decode(value: Buffer): Promise<DecodeResult> {
    const text = value.toString('utf8');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      return {
        ok: false,
        failure: failure('undecodable', 'decode', [
          { code: 'JSON_DECODE', message: shownValue(`not JSON: ${(error as Error).message}`, 400) },
        ]),
      };
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json))
      return {
        ok: false,
        failure: failure('undecodable', 'decode', [
          { code: 'AVRO_JSON_INVALID', message: 'a record must be a JSON object' },
        ]),
      };
    let bytes: Buffer;
    try {
      // fromString reads the Avro JSON encoding (and checks every field); the JSON text is parsed
      // again, which costs less than reimplementing that encoding here.
      bytes = this.writerType.toBuffer(this.writerType.fromString(text));
    } catch (error) {
      // avsc names the bad value but not where it is; the walk below finds the field, so the ERP team
      // knows which one to fix.
      const problem = avroJsonProblem(this.writerType, json, '');
      const detail = problem
        ? {
            code: 'AVRO_JSON_INVALID',
            message: shownValue(`${problem.path || 'the record'}: ${problem.message}`, 400),
            path: problem.path,
          }
        : {
            code: 'AVRO_JSON_INVALID',
            message: shownValue(
              `not a record of the Avro schema ${this.writerType.name ?? ''}: ${(error as Error).message}`,
              400,
            ),
          };
      return { ok: false, failure: failure('undecodable', 'decode', [detail]) };
    }
    return this.binary.decode(bytes);
  }
}

/** Just enough of avsc's type classes to walk a schema. */
interface WalkType {
  typeName: string;
  branchName?: string;
  fields?: { name: string; type: WalkType; defaultValue(): unknown }[];
  types?: WalkType[];
  itemsType?: WalkType;
  valuesType?: WalkType;
  underlyingType?: WalkType;
  fromString(text: string): unknown;
}

/**
 * The first place where `value` breaks the Avro JSON encoding of `type`, as a path in the record's
 * own field names (`lines[2].amount`) and a reason; undefined if none is found.
 */
export function avroJsonProblem(
  avroType: avro.Type,
  value: unknown,
  path: string,
): { path: string; message: string } | undefined {
  const type = avroType as unknown as WalkType;
  const at = (message: string) => ({ path, message });
  const kind = type.typeName.startsWith('logical:')
    ? 'logical'
    : type.typeName.startsWith('union:')
      ? 'union'
      : type.typeName;
  switch (kind) {
    case 'logical':
      return avroJsonProblem(type.underlyingType as unknown as avro.Type, value, path);
    case 'record':
    case 'error': {
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        return at(`expected a JSON object (record ${type.branchName ?? ''}), got ${describe(value)}`);
      for (const field of type.fields ?? []) {
        const fieldPath = path ? `${path}.${field.name}` : field.name;
        const v = (value as Record<string, unknown>)[field.name];
        if (v === undefined) {
          if (field.defaultValue() === undefined)
            return { path: fieldPath, message: 'required field is missing' };
          continue;
        }
        const problem = avroJsonProblem(field.type as unknown as avro.Type, v, fieldPath);
        if (problem) return problem;
      }
      return undefined;
    }
    case 'union': {
      const branches = type.types ?? [];
      if (value === null)
        return branches.some((b) => b.typeName === 'null') ? undefined : at('null is not allowed here');
      const names = branches.filter((b) => b.typeName !== 'null').map((b) => b.branchName ?? b.typeName);
      const keys =
        value !== null && typeof value === 'object' && !Array.isArray(value) ? Object.keys(value) : [];
      const branch =
        keys.length === 1 ? branches.find((b) => (b.branchName ?? b.typeName) === keys[0]) : undefined;
      if (!branch)
        return at(
          `a union value is written {"<branch>": value} with a branch of ${names.join(', ')}${branches.some((b) => b.typeName === 'null') ? ', or null' : ''}; got ${describe(value)}`,
        );
      return avroJsonProblem(
        branch as unknown as avro.Type,
        (value as Record<string, unknown>)[keys[0]!],
        path,
      );
    }
    case 'array': {
      if (!Array.isArray(value)) return at(`expected a JSON array, got ${describe(value)}`);
      for (let i = 0; i < value.length; i++) {
        const problem = avroJsonProblem(type.itemsType as unknown as avro.Type, value[i], `${path}[${i}]`);
        if (problem) return problem;
      }
      return undefined;
    }
    case 'map': {
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        return at(`expected a JSON object (map), got ${describe(value)}`);
      for (const [k, v] of Object.entries(value)) {
        const problem = avroJsonProblem(
          type.valuesType as unknown as avro.Type,
          v,
          path ? `${path}.${k}` : k,
        );
        if (problem) return problem;
      }
      return undefined;
    }
    default:
      // Leaves (primitives, enums, fixed, bytes): avsc's own reading decides, and its message says why.
      try {
        type.fromString(JSON.stringify(value) ?? 'undefined');
        return undefined;
      } catch (error) {
        return at(`${(error as Error).message}`);
      }
  }
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
