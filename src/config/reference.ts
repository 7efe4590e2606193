/**
 * What the config codec says about itself, in the two forms people read: a JSON Schema (for editors,
 * through the `# yaml-language-server: $schema=…` line of the shipped configs) and the Markdown
 * reference in docs/configuration.md. Both are generated from `SourceConfigCodec` by
 * `npm run config:generate`; test/unit/config/reference.test.ts fails when either is stale.
 */
import * as t from 'io-ts';
import { schemaOf, SectionType, type Field, type SchemaFragment } from './codec-kit.js';
import { ENV_OVERRIDES } from './load.js';
import { SourceConfigCodec } from './source-config.js';

export const SCHEMA_FILE = 'config/source-config.schema.json';
export const REFERENCE_FILE = 'docs/configuration.md';
export const REFERENCE_START =
  '<!-- generated from src/config/source-config.ts by `npm run config:generate`: start -->';
export const REFERENCE_END = '<!-- generated: end -->';

/** The JSON value of a documented default, when it is one (else the default stays in the text). */
function defaultValue(codec: t.Mixed, text: string | undefined): unknown {
  if (text === undefined) return undefined;
  const base = codec instanceof t.RefinementType ? (codec.type as t.Mixed) : codec;
  if (base instanceof t.KeyofType) return Object.hasOwn(base.keys, text) ? text : undefined;
  if (base instanceof t.NumberType) return /^\d+$/.test(text) ? Number(text) : undefined;
  if (base instanceof t.BooleanType) return text === 'true' ? true : text === 'false' ? false : undefined;
  return undefined;
}

function fieldSchema(field: Field): SchemaFragment {
  const schema = toJsonSchema(field.codec);
  const value = defaultValue(field.codec, field.default);
  const description =
    field.default !== undefined && value === undefined
      ? `${field.doc}. Default: ${field.default}.`
      : field.doc;
  return { description, ...schema, ...(value === undefined ? {} : { default: value }) };
}

/** JSON Schema (draft 2020-12) of a codec built from codec-kit and io-ts primitives. */
export function toJsonSchema(codec: t.Mixed): SchemaFragment {
  if (codec instanceof SectionType) {
    const fields = Object.entries(codec.fields as Record<string, Field>);
    return {
      type: 'object',
      title: codec.name,
      description: codec.doc,
      properties: Object.fromEntries(fields.map(([k, f]) => [k, fieldSchema(f)])),
      ...(fields.some(([, f]) => f.required)
        ? { required: fields.filter(([, f]) => f.required).map(([k]) => k) }
        : {}),
      additionalProperties: false,
    };
  }
  if (codec instanceof t.RefinementType)
    return { ...toJsonSchema(codec.type as t.Mixed), ...(schemaOf.get(codec) ?? {}) };
  if (codec instanceof t.ArrayType) return { type: 'array', items: toJsonSchema(codec.type as t.Mixed) };
  if (codec instanceof t.DictionaryType)
    return { type: 'object', additionalProperties: toJsonSchema(codec.codomain as t.Mixed) };
  if (codec instanceof t.UnionType)
    return { title: codec.name, oneOf: (codec.types as t.Mixed[]).map((m) => toJsonSchema(m)) };
  if (codec instanceof t.KeyofType) return { enum: Object.keys(codec.keys) };
  if (codec instanceof t.StringType) return { type: 'string' };
  if (codec instanceof t.NumberType) return { type: 'number' };
  if (codec instanceof t.BooleanType) return { type: 'boolean' };
  throw new Error(`reference: no JSON Schema for codec ${codec.name}; add a case in src/config/reference.ts`);
}

export function sourceConfigJsonSchema(): SchemaFragment {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    ...toJsonSchema(SourceConfigCodec),
  };
}

export function jsonSchemaText(): string {
  return `${JSON.stringify(sourceConfigJsonSchema(), null, 2)}\n`;
}

/** A codec's type as the reference shows it. */
function typeText(codec: t.Mixed): string {
  if (codec instanceof SectionType) return 'mapping';
  if (codec.name === 'SecretRef') return '[SecretRef](#secrets)';
  if (codec instanceof t.KeyofType)
    return Object.keys(codec.keys)
      .map((k) => `\`${k}\``)
      .join(' \\| ');
  if (codec instanceof t.RefinementType && codec.type instanceof t.ArrayType)
    return `list of ${typeText(codec.type.type as t.Mixed)}`;
  const names: Record<string, string> = {
    PositiveInteger: 'integer ≥ 1',
    NonNegativeInteger: 'integer ≥ 0',
    Port: 'port 0–65535',
    NonEmptyString: 'text',
    Path: 'path',
    Broker: '`host:port`',
    HttpUrl: 'http(s) URL',
    Topic: 'topic name',
    Gstin: 'GSTIN',
    EnvName: 'variable name',
    SiteTables: 'mapping of tables',
    string: 'text',
    boolean: 'boolean',
    number: 'number',
  };
  const name = names[codec.name];
  if (!name)
    throw new Error(`reference: no type text for codec ${codec.name}; add it in src/config/reference.ts`);
  return name;
}

function escape(cell: string): string {
  return cell.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** One row per key, depth first: `kafka.ssl.certFile`, `irp.credentials[].gstin`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function rows(section: SectionType<any>, prefix: string): string[] {
  const out: string[] = [];
  for (const [key, field] of Object.entries(section.fields as Record<string, Field>)) {
    const path = `${prefix}${key}`;
    const fallback = field.required
      ? '**required**'
      : field.default === undefined
        ? '–'
        : /\s/.test(field.default)
          ? field.default
          : `\`${field.default}\``;
    out.push(`| \`${path}\` | ${typeText(field.codec)} | ${escape(fallback)} | ${escape(field.doc)} |`);
    const inner =
      field.codec instanceof t.RefinementType && field.codec.type instanceof t.ArrayType
        ? { codec: field.codec.type.type as t.Mixed, suffix: '[].' }
        : { codec: field.codec, suffix: '.' };
    if (inner.codec instanceof SectionType) out.push(...rows(inner.codec, `${path}${inner.suffix}`));
  }
  return out;
}

/** The generated part of docs/configuration.md. */
export function markdownReference(): string {
  const lines = [
    REFERENCE_START,
    '',
    '| key | type | default | meaning |',
    '|---|---|---|---|',
    ...rows(SourceConfigCodec, ''),
    '',
    '### Environment overrides',
    '',
    'Each variable, when set and not empty, replaces the key in every source config (the environment wins',
    'over the file, 12-factor style); `check-config` names the variables it applied.',
    '',
    '| variable | key | meaning |',
    '|---|---|---|',
    ...ENV_OVERRIDES.map((o) => `| \`${o.variable}\` | \`${o.path.join('.')}\` | ${o.doc} |`),
    '',
    REFERENCE_END,
  ];
  return lines.join('\n');
}

/** `doc` with its generated part replaced by the current one. */
export function withReference(doc: string): string {
  const start = doc.indexOf(REFERENCE_START);
  const end = doc.indexOf(REFERENCE_END);
  if (start < 0 || end < start)
    throw new Error(`${REFERENCE_FILE}: the generated-reference markers are missing`);
  return doc.slice(0, start) + markdownReference() + doc.slice(end + REFERENCE_END.length);
}
