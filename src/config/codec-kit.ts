/**
 * The small kit the config codec is written in: io-ts codecs that also carry their documentation, so
 * one definition gives the decoder, the TypeScript type, the JSON Schema (config/source-config.schema.json)
 * and the reference in docs/configuration.md.
 *
 * - `section(name, doc, {key: field})`: an object whose keys are all known. A key it does not know is an
 *   error naming the key and the nearest known one ("did you mean …"), never silently dropped.
 * - `required(codec, doc)` / `optional(codec, doc, default)`: one key of a section.
 * - `check(base, name, predicate, expected, schema)`: a refinement with a readable "expected …" and the
 *   JSON Schema keywords that say the same thing to an editor.
 */
import * as t from 'io-ts';

/** JSON Schema keywords (draft 2020-12) a codec contributes to the generated schema. */
export type SchemaFragment = Record<string, unknown>;

export interface FieldDoc {
  /** One sentence: what the key means. */
  doc: string;
  /** The effective default, as the reference shows it (absent: required, or no default). */
  default?: string;
}

export interface Field<C extends t.Mixed = t.Mixed, R extends boolean = boolean> extends FieldDoc {
  codec: C;
  required: R;
}

export const required = <C extends t.Mixed>(codec: C, doc: string): Field<C, true> => ({
  codec,
  required: true,
  doc,
});

export const optional = <C extends t.Mixed>(
  codec: C,
  doc: string,
  defaultText?: string,
): Field<C, false> => ({
  codec,
  required: false,
  doc,
  ...(defaultText === undefined ? {} : { default: defaultText }),
});

type Fields = Record<string, Field>;
type RequiredKeys<F extends Fields> = { [K in keyof F]: F[K]['required'] extends true ? K : never }[keyof F];
type OptionalKeys<F extends Fields> = Exclude<keyof F, RequiredKeys<F>>;
type Flatten<T> = { [K in keyof T]: T[K] };
export type SectionOf<F extends Fields> = Flatten<
  { [K in RequiredKeys<F>]: t.TypeOf<F[K]['codec']> } & { [K in OptionalKeys<F>]?: t.TypeOf<F[K]['codec']> }
>;

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length]!;
}

/** The known key closest to `key` (case-insensitive edit distance ≤ a third of its length, at least 2). */
export function nearest(key: string, known: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of known) {
    const d = distance(key.toLowerCase(), name.toLowerCase());
    if (!best || d < best.d) best = { name, d };
  }
  return best && best.d <= Math.max(2, Math.floor(key.length / 3)) ? best.name : undefined;
}

const isRecord = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && !Array.isArray(u);

/** A config section: every key known, each documented. Unknown keys fail with a suggestion. */
export class SectionType<F extends Fields = Fields> extends t.Type<SectionOf<F>, SectionOf<F>, unknown> {
  readonly _tag = 'SectionType' as const;
  constructor(
    name: string,
    readonly doc: string,
    readonly fields: F,
  ) {
    super(
      name,
      (u): u is SectionOf<F> =>
        isRecord(u) &&
        Object.keys(u).every((k) => k in fields) &&
        Object.entries(fields).every(([k, f]) => (u[k] === undefined ? !f.required : f.codec.is(u[k]))),
      (u, c) => {
        if (!isRecord(u)) return t.failure(u, c, `expected a mapping (${name})`);
        const errors: t.ValidationError[] = [];
        const out: Record<string, unknown> = {};
        const known = Object.keys(fields);
        for (const key of Object.keys(u)) {
          if (key in fields) continue;
          const guess = nearest(key, known);
          errors.push({
            value: u[key],
            context: [...c, { key, type: this, actual: u[key] }],
            message: `unknown key "${key}"${guess ? `; did you mean "${guess}"?` : ''} (known: ${known.join(', ')})`,
          });
        }
        for (const [key, field] of Object.entries(fields)) {
          const value = u[key];
          const context = [...c, { key, type: field.codec, actual: value }];
          if (value === undefined || value === null) {
            if (field.required) errors.push({ value, context, message: `required (${field.doc})` });
            continue;
          }
          const r = field.codec.validate(value, context);
          if (r._tag === 'Left') errors.push(...r.left);
          else out[key] = r.right;
        }
        return errors.length > 0 ? t.failures(errors) : t.success(out as SectionOf<F>);
      },
      t.identity,
    );
  }
}

export const section = <F extends Fields>(name: string, doc: string, fields: F): SectionType<F> =>
  new SectionType(name, doc, fields);

/** The JSON Schema a refinement adds to its base's, kept beside the codec so both say the same. */
export const schemaOf = new WeakMap<t.Mixed, SchemaFragment>();

/**
 * A refinement with a readable failure ("expected a URL (http or https)") and the JSON Schema keywords
 * that express it to an editor.
 */
export function check<C extends t.Mixed>(
  base: C,
  name: string,
  predicate: (value: t.TypeOf<C>) => boolean,
  expected: string,
  schema: SchemaFragment,
): t.RefinementC<C> {
  const refined = t.refinement(base, predicate, name);
  const withMessage = new t.RefinementType(
    name,
    refined.is,
    (u, c) => {
      const r = base.validate(u, c);
      // A list passes on its items' own errors; a scalar of the wrong type gets the readable message.
      if (r._tag === 'Left')
        return base instanceof t.ArrayType
          ? r
          : t.failure(u, c, `expected ${expected}, got ${showAs(base, u)}`);
      return predicate(r.right) ? r : t.failure(u, c, `expected ${expected}, got ${showAs(base, u)}`);
    },
    refined.encode,
    base,
    predicate,
  ) as t.RefinementC<C>;
  schemaOf.set(withMessage, schema);
  return withMessage;
}

/** A file path in the config: relative to the config file unless absolute (see `mapPaths`). */
export const path = check(t.string, 'Path', (s) => s.trim().length > 0, 'a file path', { minLength: 1 });

/**
 * `value` (decoded by `codec`) with every `path` value in it replaced by `fn(path)`: how the loader
 * makes every path relative to the config file, whatever section it sits in.
 */
export function mapPaths(codec: t.Mixed, value: unknown, fn: (p: string) => string): unknown {
  if (value === undefined || value === null) return value;
  if (codec === path) return fn(value as string);
  if (codec instanceof SectionType && isRecord(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const field = (codec.fields as Fields)[k];
      out[k] = field ? mapPaths(field.codec, v, fn) : v;
    }
    return out;
  }
  if (codec instanceof t.RefinementType) return mapPaths(codec.type as t.Mixed, value, fn);
  if (codec instanceof t.ArrayType && Array.isArray(value))
    return value.map((v) => mapPaths(codec.type as t.Mixed, v, fn));
  if (codec instanceof t.UnionType) {
    const member = (codec.types as t.Mixed[]).find((m) => m.is(value));
    return member ? mapPaths(member, value, fn) : value;
  }
  return value;
}

/** A value as an error may show it (short). Never used where a secret belongs. */
export function show(u: unknown): string {
  if (u === undefined) return 'nothing';
  // A URL's user:password@ is a secret written inline: never repeated.
  const value = typeof u === 'string' ? u.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/i, '$1***@') : u;
  const s = JSON.stringify(value) ?? String(value);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

/** A value by its kind only ("a text of 10 characters", "a list of 3"), never its content. */
export function kindOf(u: unknown): string {
  if (u === undefined) return 'nothing';
  if (u === null) return 'null';
  if (typeof u === 'string') return `a text of ${u.length} character(s)`;
  if (Array.isArray(u)) return `a list of ${u.length}`;
  if (typeof u === 'object') return 'a mapping';
  return `a ${typeof u}`;
}

/**
 * Whether a position of this type is a section, list, union or map: a value written there in the wrong
 * shape may be anything the section holds (a password among them), so errors name its kind only.
 */
export function isContainer(type: t.Decoder<unknown, unknown>): boolean {
  if (type instanceof t.RefinementType) return isContainer(type.type as t.Mixed);
  return (
    type instanceof SectionType ||
    type instanceof t.ArrayType ||
    type instanceof t.UnionType ||
    type instanceof t.DictionaryType ||
    type instanceof t.InterfaceType ||
    type instanceof t.PartialType
  );
}

/** {@link show} for scalars, {@link kindOf} where a container belongs. */
export function showAs(type: t.Decoder<unknown, unknown>, u: unknown): string {
  return isContainer(type) ? kindOf(u) : show(u);
}
