/**
 * io-ts codecs to JSON Schema (2020-12, the dialect of OpenAPI 3.1), so the API documentation and the
 * OpenAPI document describe exactly what the server's own codecs accept: lengths, patterns, ranges and
 * enumerations come from the constraint each scalar codec was built with (`codecConstraint`,
 * `IrpEnumType`), required and optional members from `t.type`/`t.partial`. Named object blocks
 * (`block('SellerDtls', …)`) become shared definitions referenced by `$ref`.
 */
import type * as t from 'io-ts';
import { codecConstraint, IrpEnumType } from '../../../irp/schema/constraints.js';

export type JsonSchema = { [key: string]: unknown };

export interface SchemaContext {
  /** Named definitions collected while converting; `$ref`s point at `${refPrefix}${name}`. */
  definitions: Map<string, JsonSchema>;
  refPrefix: string;
}

export function newSchemaContext(refPrefix = '#/components/schemas/'): SchemaContext {
  return { definitions: new Map(), refPrefix };
}

type AnyCodec = t.Type<unknown, unknown, unknown> & { _tag?: string; [key: string]: unknown };

/** `[Ii][Nn][Vv]`: a pattern that accepts a value in any case (JSON Schema regexes have no `(?i)`). */
function anyCase(value: string): string {
  return [...value]
    .map((c) => {
      const lower = c.toLowerCase();
      const upper = c.toUpperCase();
      if (lower !== upper) return `[${upper}${lower}]`;
      return c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
    })
    .join('');
}

function objectSchema(codec: AnyCodec, ctx: SchemaContext): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const visit = (c: AnyCodec): void => {
    switch (c._tag) {
      case 'ExactType':
        return visit(c.type as AnyCodec);
      case 'IntersectionType':
        return (c.types as AnyCodec[]).forEach(visit);
      case 'InterfaceType':
      case 'PartialType':
        for (const [name, member] of Object.entries(c.props as Record<string, AnyCodec>)) {
          properties[name] = toJsonSchema(member, ctx);
          if (c._tag === 'InterfaceType') required.push(name);
        }
        return;
      default:
        throw new Error(`cannot describe ${c.name} as an object`);
    }
  };
  visit(codec);
  const schema: JsonSchema = { type: 'object', properties };
  if (required.length > 0) schema.required = required;
  return schema;
}

function isObjectCodec(codec: AnyCodec): boolean {
  if (codec._tag === 'ExactType') return isObjectCodec(codec.type as AnyCodec);
  if (codec._tag === 'IntersectionType') return (codec.types as AnyCodec[]).every(isObjectCodec);
  return codec._tag === 'InterfaceType' || codec._tag === 'PartialType';
}

/** The JSON Schema of a codec; named exact blocks are collected into `ctx.definitions`. */
export function toJsonSchema(codec: t.Mixed | AnyCodec, ctx: SchemaContext): JsonSchema {
  const c = codec as AnyCodec;
  if (c instanceof IrpEnumType) {
    const values = c.values as readonly string[];
    return c.caseInsensitive
      ? {
          type: 'string',
          pattern: `^(${values.map(anyCase).join('|')})$`,
          description: `One of ${values.join(', ')}, in any case (bound upper-case, as NIC does).`,
        }
      : { type: 'string', enum: [...values] };
  }
  const constraint = codecConstraint(c);
  if (constraint?.kind === 'string') {
    const s: JsonSchema = { type: 'string' };
    if (constraint.values) s.enum = [...constraint.values];
    if (constraint.min !== undefined) s.minLength = constraint.min;
    if (constraint.max !== undefined) s.maxLength = constraint.max;
    if (constraint.pattern) s.pattern = constraint.pattern.source;
    return s;
  }
  if (constraint?.kind === 'number') {
    const s: JsonSchema = { type: 'number' };
    if (constraint.min !== undefined) s.minimum = constraint.min;
    if (constraint.max !== undefined) s.maximum = constraint.max;
    return s;
  }
  if (constraint?.kind === 'non-empty-array')
    return { ...toJsonSchema(c.type as AnyCodec, ctx), minItems: 1 };

  switch (c._tag) {
    case 'ExactType':
    case 'IntersectionType':
    case 'InterfaceType':
    case 'PartialType': {
      const named = c._tag === 'ExactType' && /^[A-Z][A-Za-z]*$/.test(c.name);
      if (!named) return objectSchema(c, ctx);
      if (!ctx.definitions.has(c.name)) {
        ctx.definitions.set(c.name, {}); // placeholder against recursion
        ctx.definitions.set(c.name, objectSchema(c, ctx));
      }
      return { $ref: `${ctx.refPrefix}${c.name}` };
    }
    case 'ArrayType':
      return { type: 'array', items: toJsonSchema(c.type as AnyCodec, ctx) };
    case 'RefinementType':
      return toJsonSchema(c.type as AnyCodec, ctx);
    case 'UnionType': {
      const members = (c.types as AnyCodec[]).map((m) => toJsonSchema(m, ctx));
      const simple = members.every((m) => Object.keys(m).length === 1 && typeof m.type === 'string');
      return simple ? { type: members.map((m) => m.type) } : { anyOf: members };
    }
    case 'StringType':
      return { type: 'string' };
    case 'NumberType':
      return { type: 'number' };
    case 'BooleanType':
      return { type: 'boolean' };
    case 'NullType':
      return { type: 'null' };
    case 'LiteralType':
      return { const: c.value };
    case 'KeyofType':
      return { type: 'string', enum: Object.keys(c.keys as Record<string, unknown>) };
    case 'UnknownRecordType':
      return { type: 'object' };
    case 'UnknownType':
      return {};
    default:
      if (isObjectCodec(c)) return objectSchema(c, ctx);
      throw new Error(`no JSON Schema for codec ${c.name} (${String(c._tag)})`);
  }
}

export interface SchemaRow {
  /** `SellerDtls.Gstin`, `ItemList[].HsnCd`. */
  path: string;
  depth: number;
  type: string;
  required: boolean;
  constraints: string;
}

/** A flat, readable table of a schema for the documentation pages. */
export function schemaRows(
  schema: JsonSchema,
  definitions: Map<string, JsonSchema>,
  prefix = '',
  depth = 0,
): SchemaRow[] {
  const resolve = (s: JsonSchema): JsonSchema => {
    const ref = s.$ref;
    if (typeof ref !== 'string') return s;
    return definitions.get(ref.slice(ref.lastIndexOf('/') + 1)) ?? {};
  };
  const target = resolve(schema);
  const rows: SchemaRow[] = [];
  const properties = (target.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((target.required ?? []) as string[]);
  for (const [name, raw] of Object.entries(properties)) {
    const path = prefix ? `${prefix}.${name}` : name;
    const member = resolve(raw);
    const isArray = member.type === 'array';
    const item = isArray ? resolve((member.items ?? {}) as JsonSchema) : member;
    rows.push({
      path: isArray ? `${path}[]` : path,
      depth,
      type: typeName(member, item),
      required: required.has(name),
      constraints: describe(member, item),
    });
    if (item.type === 'object')
      rows.push(...schemaRows(item, definitions, isArray ? `${path}[]` : path, depth + 1));
  }
  return rows;
}

function typeName(member: JsonSchema, item: JsonSchema): string {
  const base = (s: JsonSchema) =>
    Array.isArray(s.type) ? s.type.join(' | ') : String(s.type ?? (s.anyOf ? 'any of' : 'any'));
  return member.type === 'array' ? `array of ${base(item)}` : base(member);
}

function describe(member: JsonSchema, item: JsonSchema): string {
  const parts: string[] = [];
  if (member.type === 'array' && member.minItems !== undefined)
    parts.push(`at least ${String(member.minItems)} item`);
  const s = item;
  if (Array.isArray(s.enum)) parts.push(`one of ${s.enum.join(', ')}`);
  if (typeof s.description === 'string') parts.push(s.description);
  if (s.minLength !== undefined || s.maxLength !== undefined)
    parts.push(
      s.minLength === s.maxLength
        ? `${String(s.minLength)} characters`
        : `${String(s.minLength ?? 0)}–${String(s.maxLength ?? '∞')} characters`,
    );
  if (s.pattern && !s.description) parts.push(`pattern ${String(s.pattern)}`);
  if (s.minimum !== undefined || s.maximum !== undefined)
    parts.push(`${String(s.minimum ?? '−∞')} to ${String(s.maximum ?? '∞')}`);
  return parts.join('; ');
}
