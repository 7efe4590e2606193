/**
 * event-decoder over avsc: Avro bytes → the record the connector maps, decoded exactly as connectors
 * expect (plain avsc, no logical-type hooks: `bytes` decimals are Buffers, `date` ints day numbers,
 * `timestamp-millis` longs numbers).
 *
 * Two wire formats:
 * - `raw`: the Avro body only. The writer schema is fixed (the `schemaFile` of the source config, or
 *   the connector's own schema).
 * - `confluent`: magic byte, 4-byte schema id, body. The writer schema is the registry's schema for
 *   that id, so producers may move to a newer schema version without the connector changing.
 *
 * Either way the record is then read into the connector's schema (the reader schema) by Avro schema
 * resolution when the two differ: fields the writer added are skipped, fields it lacks take the
 * reader's defaults, ints widen to longs/floats/doubles, and so on.
 *
 * Failures are values:
 * - `undecodable` (a dead letter, raw bytes kept): `AVRO_WIRE_FORMAT`, `AVRO_DECODE`, `AVRO_LIMIT` (a
 *   string, bytes, array or map larger than `avro.limits` allow, or nesting deeper: found by a bounded
 *   scan before avsc allocates anything, see bounded-scan.ts),
 *   `AVRO_SCHEMA_UNKNOWN` (the registry has no such id), `AVRO_SCHEMA_INCOMPATIBLE` (the writer schema
 *   cannot be read as the reader schema, or is not Avro), `AVRO_SCHEMA_INVALID` (the registry's
 *   schema does not parse);
 * - `transient` (keep the record, retry later): `SCHEMA_REGISTRY_UNAVAILABLE`;
 * - `credentials` (halt): `SCHEMA_REGISTRY_AUTH`, the registry refused the configured credentials.
 */
import avro from 'avsc';
import type { AvroSchema } from '../../../connectors/types.js';
import { shownValue } from '../../irp/errors.js';
import { failure, type Failure } from '../../pipeline/failures.js';
import type { EventDecoder } from '../../pipeline/ports.js';
import type {
  RegisteredSchema,
  SchemaLookup,
  SchemaReference,
  SchemaSource,
} from './schema-registry-client.js';
import { DEFAULT_AVRO_LIMITS, scanAvro, type AvroLimits } from './bounded-scan.js';
import { parseConfluentFrame } from './wire-format.js';

type Resolver = ReturnType<avro.Type['createResolver']>;

/** How the reader type reads one writer's bytes: directly, or through a resolver. */
interface ReadPlan {
  resolver: Resolver | undefined;
  /** For messages: which writer schema this is. */
  writer: string;
  /** The writer's type: the body is scanned against it within the limits before avsc reads it. */
  writerType: avro.Type;
}

type PlanResult = { ok: true; plan: ReadPlan } | { ok: false; failure: Failure; cache: boolean };

export type DecodeResult = Awaited<ReturnType<EventDecoder['decode']>>;

export interface AvroDecoderOptions {
  /** The connector's schema: what `map` receives. */
  readerSchema: AvroSchema;
  wireFormat: 'raw' | 'confluent';
  /** `raw` only: the schema the producer wrote with. Default: the reader schema. */
  writerSchema?: AvroSchema;
  /** `confluent` only: where writer schemas come from (a {@link SchemaRegistryClient}). */
  registry?: SchemaSource;
  /** Size limits enforced before anything is allocated (`avro.limits`). Default: {@link DEFAULT_AVRO_LIMITS}. */
  limits?: Partial<AvroLimits>;
}

/** Nested references deeper than this are taken for a cycle the registry let through. */
const MAX_REFERENCE_DEPTH = 16;

/**
 * The Avro {@link EventDecoder}. The constructor throws for a configuration that could never decode
 * anything (a `raw` writer schema the reader cannot resolve, `confluent` without a registry), so that
 * a wrong config stops the source at start-up instead of dead-lettering every record.
 */
export class AvroEventDecoder implements EventDecoder {
  readonly wireFormat: 'raw' | 'confluent';
  private readonly readerType: avro.Type;
  private readonly rawPlan: ReadPlan | undefined;
  private readonly registry: SchemaSource | undefined;
  private readonly limits: AvroLimits;
  /** Writer schema id → how to read it. Only answers that can never change are kept. */
  private readonly plans = new Map<number, Promise<PlanResult>>();

  constructor(options: AvroDecoderOptions) {
    this.wireFormat = options.wireFormat;
    this.limits = { ...DEFAULT_AVRO_LIMITS, ...options.limits };
    this.readerType = parseSchema(options.readerSchema, 'reader schema');
    if (options.wireFormat === 'raw') {
      const writerType = options.writerSchema
        ? parseSchema(options.writerSchema, 'writer schema')
        : this.readerType;
      const plan = planFor(this.readerType, writerType, 'the configured writer schema');
      if (!plan.ok) throw new Error(`avro: ${plan.failure.message}`);
      this.rawPlan = plan.plan;
    } else {
      if (!options.registry)
        throw new Error('avro: the confluent wire format needs a schema registry (avro.registry.url)');
      this.registry = options.registry;
    }
  }

  async decode(value: Buffer): Promise<DecodeResult> {
    if (this.rawPlan) return this.read(this.rawPlan, value);
    const framed = parseConfluentFrame(value);
    if (!framed.ok) return framed;
    const { schemaId, body } = framed.frame;
    const planned = await this.planForId(schemaId);
    if (!planned.ok) return { ok: false, failure: planned.failure };
    const decoded = this.read(planned.plan, body);
    return decoded.ok ? { ...decoded, schemaId } : decoded;
  }

  private read(plan: ReadPlan, body: Buffer): DecodeResult {
    const scanned = scanAvro(plan.writerType, body, this.limits);
    if (!scanned.ok) return undecodable(scanned.code, `not a valid Avro record of ${plan.writer}: ${scanned.message}`);
    let result: { value: unknown; offset: number };
    try {
      result = this.readerType.decode(body, 0, plan.resolver);
    } catch (error) {
      return undecodable(
        'AVRO_DECODE',
        `not a valid Avro record of ${plan.writer}: ${(error as Error).message}`,
      );
    }
    if (result.offset < 0)
      return undecodable(
        'AVRO_DECODE',
        `${body.length}-byte body ends before a record of ${plan.writer} does (truncated or another schema)`,
      );
    if (result.offset < body.length)
      return undecodable(
        'AVRO_DECODE',
        `${body.length - result.offset} trailing byte(s) after a record of ${plan.writer} (another schema, or two records in one value)`,
      );
    return { ok: true, record: result.value };
  }

  private planForId(id: number): Promise<PlanResult> {
    const cached = this.plans.get(id);
    if (cached) return cached;
    const pending = this.loadPlan(id).then((result) => {
      if (!result.ok && !result.cache) this.plans.delete(id);
      return result;
    });
    this.plans.set(id, pending);
    return pending;
  }

  private async loadPlan(id: number): Promise<PlanResult> {
    const registry = this.registry!;
    const lookup = await registry.getSchemaById(id);
    if (!lookup.ok) return lookupFailure(lookup, `schema id ${id}`);
    const writer = `writer schema id ${id}`;
    const typed = await writerTypeOf(registry, lookup.schema, writer);
    if (!typed.ok) return typed;
    return planFor(this.readerType, typed.type, writer);
  }
}

function parseSchema(schema: AvroSchema | string, what: string): avro.Type {
  try {
    return avro.Type.forSchema((typeof schema === 'string' ? JSON.parse(schema) : schema) as avro.Schema);
  } catch (error) {
    throw new Error(`avro: the ${what} does not parse: ${(error as Error).message}`, { cause: error });
  }
}

/** The plan to read `writerType`'s bytes as `readerType`; identical schemas need no resolver. */
function planFor(readerType: avro.Type, writerType: avro.Type, writer: string): PlanResult {
  if (writerType === readerType || readerType.equals(writerType))
    return { ok: true, plan: { resolver: undefined, writer, writerType } };
  try {
    return { ok: true, plan: { resolver: readerType.createResolver(writerType), writer, writerType } };
  } catch (error) {
    const f = failure('undecodable', 'decode', [
      {
        code: 'AVRO_SCHEMA_INCOMPATIBLE',
        message: shownValue(`${writer} cannot be read as the connector's schema: ${(error as Error).message}`, 400),
      },
    ]);
    return { ok: false, failure: f, cache: true };
  }
}

/**
 * Parses a registry schema with its references: each referenced subject version is fetched and parsed
 * first into one shared set of named types, which the referring schema then names.
 */
async function writerTypeOf(
  registry: SchemaSource,
  schema: RegisteredSchema,
  writer: string,
): Promise<{ ok: true; type: avro.Type } | { ok: false; failure: Failure; cache: boolean }> {
  if (schema.schemaType.toUpperCase() !== 'AVRO') {
    return {
      ok: false,
      failure: failureOf(
        'undecodable',
        'AVRO_SCHEMA_INCOMPATIBLE',
        `${writer} is a ${schema.schemaType} schema, not Avro`,
      ),
      cache: true,
    };
  }
  const named: Record<string, avro.Type> = {};
  const loaded = new Set<string>();
  const loadReferences = async (
    refs: SchemaReference[],
    depth: number,
  ): Promise<{ ok: true } | { ok: false; failure: Failure; cache: boolean }> => {
    for (const ref of refs) {
      const key = `${ref.subject}\u0000${ref.version}`;
      if (loaded.has(key)) continue;
      loaded.add(key);
      const what = `reference ${ref.name} (subject ${ref.subject} version ${ref.version}) of ${writer}`;
      if (depth > MAX_REFERENCE_DEPTH)
        return {
          ok: false,
          failure: failureOf(
            'undecodable',
            'AVRO_SCHEMA_INVALID',
            `${what} nests deeper than ${MAX_REFERENCE_DEPTH}`,
          ),
          cache: true,
        };
      const lookup = await registry.getSubjectVersion(ref.subject, ref.version);
      if (!lookup.ok) return lookupFailure(lookup, what);
      const inner = await loadReferences(lookup.schema.references, depth + 1);
      if (!inner.ok) return inner;
      try {
        avro.Type.forSchema(JSON.parse(lookup.schema.schema) as avro.Schema, { registry: named });
      } catch (error) {
        return {
          ok: false,
          failure: failureOf(
            'undecodable',
            'AVRO_SCHEMA_INVALID',
            `${what} does not parse: ${(error as Error).message}`,
          ),
          cache: true,
        };
      }
    }
    return { ok: true };
  };
  const refs = await loadReferences(schema.references, 1);
  if (!refs.ok) return refs;
  try {
    return {
      ok: true,
      type: avro.Type.forSchema(JSON.parse(schema.schema) as avro.Schema, { registry: named }),
    };
  } catch (error) {
    return {
      ok: false,
      failure: failureOf(
        'undecodable',
        'AVRO_SCHEMA_INVALID',
        `${writer} does not parse as Avro: ${(error as Error).message}`,
      ),
      cache: true,
    };
  }
}

function lookupFailure(
  lookup: Extract<SchemaLookup, { ok: false }>,
  what: string,
): { ok: false; failure: Failure; cache: false } {
  switch (lookup.reason) {
    case 'not-found':
      return {
        ok: false,
        failure: failureOf(
          'undecodable',
          'AVRO_SCHEMA_UNKNOWN',
          `the schema registry does not know ${what}: ${lookup.message}`,
        ),
        cache: false,
      };
    case 'unauthorized':
      return {
        ok: false,
        failure: failureOf('credentials', 'SCHEMA_REGISTRY_AUTH', lookup.message),
        cache: false,
      };
    case 'unavailable':
      return {
        ok: false,
        failure: failureOf('transient', 'SCHEMA_REGISTRY_UNAVAILABLE', lookup.message),
        cache: false,
      };
  }
}

function failureOf(family: Failure['family'], code: string, message: string): Failure {
  // avsc's messages may quote the value (or a whole schema): never a 10 MB value, never escape codes.
  return failure(family, 'decode', [{ code, message: shownValue(message, 400) }]);
}

function undecodable(code: string, message: string): { ok: false; failure: Failure } {
  return { ok: false, failure: failureOf('undecodable', code, message) };
}
