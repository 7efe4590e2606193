/**
 * Binds an incoming JSON document to the canonical property names of a codec, the way the IRP does
 * (README §1, inferred): names match case-insensitively (`FininsBr` → `FinInsBr`, `username` →
 * `UserName`), `null` stands for an absent optional field, and unknown properties are ignored. The walk
 * reads the structure from the io-ts codec itself, so the codecs stay the single source of truth.
 */
import type * as t from 'io-ts';

type Shape =
  | { kind: 'object'; props: ReadonlyMap<string, { name: string; shape: Shape }> }
  | { kind: 'array'; item: Shape }
  | { kind: 'scalar'; bind?: (value: unknown) => unknown };

/** What the normaliser changed, so a validator can tell the sender. */
export interface NormalizeNote {
  path: string;
  kind: 'renamed' | 'null-dropped' | 'unknown-dropped';
  from?: string;
}

const shapes = new WeakMap<t.Mixed, Shape>();

interface Introspectable {
  _tag?: string;
  props?: t.Props;
  types?: t.Mixed[];
  type?: t.Mixed;
  /** Scalars that bind their input (case-insensitive enums, constraints.ts). */
  bindInput?: (value: unknown) => unknown;
}

function shapeOf(codec: t.Mixed): Shape {
  const cached = shapes.get(codec);
  if (cached) return cached;
  const c = codec as unknown as Introspectable;
  let shape: Shape;
  switch (c._tag) {
    case 'ExactType':
    case 'RefinementType':
    case 'ReadonlyType':
      shape = shapeOf(c.type!);
      break;
    case 'ArrayType':
    case 'ReadonlyArrayType':
      shape = { kind: 'array', item: shapeOf(c.type!) };
      break;
    case 'InterfaceType':
    case 'PartialType':
    case 'IntersectionType': {
      const props = new Map<string, { name: string; shape: Shape }>();
      const collect = (part: Introspectable) => {
        if (part._tag === 'IntersectionType')
          part.types!.forEach((p) => collect(p as unknown as Introspectable));
        else if (part._tag === 'ExactType') collect(part.type as unknown as Introspectable);
        else
          for (const [name, sub] of Object.entries(part.props ?? {}))
            props.set(name.toLowerCase(), { name, shape: shapeOf(sub) });
      };
      collect(c);
      shape = { kind: 'object', props };
      break;
    }
    default:
      shape = c.bindInput ? { kind: 'scalar', bind: c.bindInput } : { kind: 'scalar' };
  }
  shapes.set(codec, shape);
  return shape;
}

const join = (path: string, key: string | number) =>
  typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;

function bind(value: unknown, shape: Shape, path: string, notes: NormalizeNote[]): unknown {
  if (shape.kind === 'array') {
    return Array.isArray(value) ? value.map((v, i) => bind(v, shape.item, join(path, i), notes)) : value;
  }
  if (shape.kind === 'scalar') return shape.bind ? shape.bind(value) : value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return value;
  }
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(value)) {
    const target = shape.props.get(key.toLowerCase());
    if (!target) {
      notes.push({ path: join(path, key), kind: 'unknown-dropped' });
      continue;
    }
    const at = join(path, target.name);
    if (raw === null || raw === undefined) {
      notes.push({ path: at, kind: 'null-dropped' });
      continue;
    }
    // An exact spelling wins over a case variant that arrived in the same object.
    if (target.name in out && key !== target.name) continue;
    if (key !== target.name) notes.push({ path: at, kind: 'renamed', from: key });
    out[target.name] = bind(raw, target.shape, at, notes);
  }
  return out;
}

/**
 * A check compiled from a codec: true exactly when `normalizeToCodec` would change nothing (canonical
 * names only, no nulls, nothing unknown) and the codec accepts every value as it stands (its own `is`,
 * refinements included), so decoding returns the input itself. What a connector hands the validator is
 * almost always canonical; this one pass lets the validator skip the normaliser and the io-ts decoder
 * for it, with the same result.
 */
type Check = (value: unknown) => boolean;

const checks = new WeakMap<t.Mixed, Check>();

interface Checkable extends Introspectable {
  is: (u: unknown) => boolean;
  predicate?: (u: unknown) => boolean;
}

function checkOf(codec: t.Mixed): Check {
  const cached = checks.get(codec);
  if (cached) return cached;
  const c = codec as unknown as Checkable;
  let check: Check;
  switch (c._tag) {
    case 'ExactType':
    case 'ReadonlyType':
      check = checkOf(c.type!);
      break;
    case 'RefinementType': {
      const inner = checkOf(c.type!);
      const predicate = c.predicate!;
      check = (u) => inner(u) && predicate(u);
      break;
    }
    case 'ArrayType':
    case 'ReadonlyArrayType': {
      const item = checkOf(c.type!);
      check = (u) => {
        if (!Array.isArray(u)) return false;
        for (let i = 0; i < u.length; i++) if (!(i in u) || !item(u[i])) return false;
        return true;
      };
      break;
    }
    case 'InterfaceType':
    case 'PartialType':
    case 'IntersectionType': {
      const props = new Map<string, Check>();
      const required: string[] = [];
      const collect = (part: Introspectable) => {
        if (part._tag === 'IntersectionType')
          part.types!.forEach((p) => collect(p as unknown as Introspectable));
        else if (part._tag === 'ExactType') collect(part.type as unknown as Introspectable);
        else
          for (const [name, sub] of Object.entries(part.props ?? {})) {
            props.set(name, checkOf(sub));
            if (part._tag === 'InterfaceType') required.push(name);
          }
      };
      collect(c);
      check = (u) => {
        if (u === null || typeof u !== 'object' || Array.isArray(u)) return false;
        const o = u as Record<string, unknown>;
        for (const key of Object.keys(o)) {
          const sub = props.get(key);
          const v = o[key];
          if (sub === undefined || v === null || v === undefined || !sub(v)) return false;
        }
        for (const name of required) if (!Object.prototype.hasOwnProperty.call(o, name)) return false;
        return true;
      };
      break;
    }
    default:
      check = (u) => c.is(u);
  }
  checks.set(codec, check);
  return check;
}

/** Whether `input` is already what `normalizeToCodec` and then `codec.decode` would make of it. */
export function isCanonical(codec: t.Mixed, input: unknown): boolean {
  return checkOf(codec)(input);
}

/** The input with canonical names and without nulls or unknown properties, plus what was changed. */
export function normalizeToCodec(codec: t.Mixed, input: unknown): { value: unknown; notes: NormalizeNote[] } {
  const notes: NormalizeNote[] = [];
  return { value: bind(input, shapeOf(codec), '', notes), notes };
}

function conform(value: unknown, shape: Shape): unknown {
  switch (shape.kind) {
    case 'scalar':
      return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
        ? value
        : undefined;
    case 'array':
      return Array.isArray(value) ? value.map((v) => conform(v, shape.item)) : undefined;
    case 'object': {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
      const out: Record<string, unknown> = {};
      for (const { name, shape: sub } of shape.props.values()) {
        if (!Object.prototype.hasOwnProperty.call(value, name)) continue;
        const v = conform((value as Record<string, unknown>)[name], sub);
        if (v !== undefined) out[name] = v;
      }
      return out;
    }
  }
}

/**
 * The normalised input with every value of the wrong kind removed: a scalar position holds a string,
 * number or boolean, an object position a plain object, an array position an array. Business rules read
 * this when the schema decode failed, so an object where a number belongs (`{"toString": 1}`) is a schema
 * finding and never reaches a rule's arithmetic or text.
 */
export function conformToCodec(codec: t.Mixed, normalized: unknown): unknown {
  return conform(normalized, shapeOf(codec));
}
