/**
 * ERP records in plain JSON — "natural JSON", the shape an ERP export or a hand-written fixture has, not
 * Avro's JSON encoding — turned into what avsc encodes with the connector's schema: decimals (`bytes` with
 * logicalType decimal) as decimal texts (`"1180.00"`) or JSON numbers (read by their shortest spelling,
 * `1180.5` is 1180.5), `date` ints as ISO dates (`"2025-02-14"`), `timestamp-millis` as ISO instants or
 * numbers, union values plain (no `{"string": …}` wrapper), a field left out taking the schema's default
 * (null for the optional ones). A value that does not fit the schema throws with its JSON path.
 *
 * Used by `irp-bridge backfill` for the connector's JSON (src/adapters/avro/natural-json-decoder.ts) and by
 * the connectors' documented fixtures.
 */
import { decFromNumber, decToAvroBytes, parseDec, rescale } from '../../../connectors/shared/decimal.js';

type Schema = string | Schema[] | { type: unknown; [k: string]: unknown };

export function fromNaturalJson(schema: unknown, value: unknown, path = '$'): unknown {
  const named = new Map<string, Schema>();
  collectNames(schema as Schema, named);
  return convert(schema as Schema, value, path, named);
}

/**
 * Every named type of the schema, found before any value is read: a type defined inline where the
 * record holds null (an optional field) may be referenced by name further on.
 */
function collectNames(schema: Schema, named: Map<string, Schema>): void {
  if (typeof schema === 'string') return;
  if (Array.isArray(schema)) {
    for (const s of schema) collectNames(s, named);
    return;
  }
  const s = schema as Record<string, unknown> & { type: unknown };
  if (typeof s.name === 'string' && (s.type === 'record' || s.type === 'enum' || s.type === 'fixed')) {
    named.set(s.name, s);
    if (typeof s.namespace === 'string') named.set(`${s.namespace}.${s.name}`, s);
  }
  if (s.type === 'record') for (const f of s.fields as { type: Schema }[]) collectNames(f.type, named);
  else if (s.type === 'array') collectNames(s.items as Schema, named);
  else if (s.type === 'map') collectNames(s.values as Schema, named);
  else if (typeof s.type === 'object' && s.type !== null) collectNames(s.type as Schema, named);
}

function fail(path: string, message: string): never {
  throw new Error(`natural JSON ${path}: ${message}`);
}

function convert(schema: Schema, value: unknown, path: string, named: Map<string, Schema>): unknown {
  if (typeof schema === 'string') {
    const ref = named.get(schema);
    if (ref) return convert(ref, value, path, named);
    return primitive(schema, value, path);
  }
  if (Array.isArray(schema)) {
    if (value === null || value === undefined) {
      if (schema.includes('null')) return null;
      fail(path, 'null for a union without null');
    }
    const branches = schema.filter((s) => s !== 'null');
    const errors: string[] = [];
    for (const b of branches) {
      try {
        return convert(b, value, path, named);
      } catch (err) {
        errors.push((err as Error).message);
      }
    }
    return fail(path, `fits no branch of the union (${errors.join('; ')})`);
  }
  const s = schema as Record<string, unknown> & { type: unknown };
  if (typeof s.name === 'string') {
    named.set(s.name, s);
    if (typeof s.namespace === 'string') named.set(`${s.namespace}.${s.name}`, s);
  }
  switch (s.type) {
    case 'record': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'not an object');
      const obj = value as Record<string, unknown>;
      const fields = s.fields as { name: string; type: Schema; default?: unknown }[];
      const known = new Set(fields.map((f) => f.name));
      for (const k of Object.keys(obj))
        if (!known.has(k) && !k.startsWith('//')) fail(`${path}.${k}`, 'is not a field of the schema');
      const out: Record<string, unknown> = {};
      for (const f of fields) {
        const v = obj[f.name];
        if (v === undefined) {
          if (!('default' in f)) fail(`${path}.${f.name}`, 'is required (the schema has no default)');
          out[f.name] = f.default;
        } else out[f.name] = convert(f.type, v, `${path}.${f.name}`, named);
      }
      return out;
    }
    case 'array':
      if (!Array.isArray(value)) fail(path, 'not an array');
      return value.map((v, i) => convert(s.items as Schema, v, `${path}[${i}]`, named));
    case 'map':
      if (typeof value !== 'object' || value === null) fail(path, 'not an object');
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, convert(s.values as Schema, v, `${path}.${k}`, named)]),
      );
    case 'enum':
      if (typeof value !== 'string' || !(s.symbols as string[]).includes(value))
        fail(path, `${JSON.stringify(value)} is not one of ${(s.symbols as string[]).join(', ')}`);
      return value;
    default:
      if (s.logicalType === 'decimal' && s.type === 'bytes') {
        const d =
          typeof value === 'string' ? parseDec(value) : typeof value === 'number' ? decFromNumber(value) : undefined;
        if (!d) fail(path, `decimal text or number expected, got ${JSON.stringify(value)}`);
        const scale = Number(s.scale ?? 0);
        // Money is kept or refused: digits past the schema's scale would be rounded away.
        const exact = d.scale <= scale || rescale(d, scale) * 10n ** BigInt(d.scale - scale) === d.units;
        if (!exact) fail(path, `${JSON.stringify(value)} has more decimal places than the schema's scale (${scale})`);
        return decToAvroBytes(d, scale);
      }
      if (s.logicalType === 'date' && s.type === 'int') {
        if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) fail(path, 'ISO date expected');
        return Date.parse(`${value}T00:00:00Z`) / 86_400_000;
      }
      if (s.logicalType === 'timestamp-millis' && typeof value === 'string') {
        const t = Date.parse(value);
        if (Number.isNaN(t)) fail(path, 'ISO timestamp expected');
        return t;
      }
      return convert(s.type as Schema, value, path, named);
  }
}

function primitive(type: string, value: unknown, path: string): unknown {
  const ok =
    (type === 'string' && typeof value === 'string') ||
    (type === 'boolean' && typeof value === 'boolean') ||
    ((type === 'int' || type === 'long') && Number.isInteger(value)) ||
    ((type === 'double' || type === 'float') && typeof value === 'number') ||
    (type === 'null' && value === null);
  if (!ok) fail(path, `${JSON.stringify(value)} is not ${type}`);
  return value;
}
