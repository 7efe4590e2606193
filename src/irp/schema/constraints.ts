/**
 * io-ts codecs for the constrained scalars of the IRP schema (lengths, patterns, enums, ranges). A failed
 * constraint reports NIC's schema wording as the io-ts message, which the validator turns into a finding.
 *
 * Coercions, chosen leniently because NIC's (.NET) binder performs them and ERPs send them: a number
 * where the schema wants a string ("Stcd": 2, "SlNo": 1) becomes its decimal text, and a numeric string
 * where it wants a number ("Pin": "171302") becomes the number. Both are noted by the normaliser.
 */
import * as t from 'io-ts';

export interface StringConstraint {
  min?: number;
  max?: number;
  pattern?: RegExp;
  values?: readonly string[];
}

export interface NumberConstraint {
  min?: number;
  max?: number;
}

/** What a codec of this module enforces, for documentation (JSON Schema, OpenAPI, the portal). */
export type CodecConstraint =
  | ({ kind: 'string' } & StringConstraint)
  | ({ kind: 'number' } & NumberConstraint)
  | { kind: 'non-empty-array' };

const constraints = new WeakMap<object, CodecConstraint>();

function documented<T extends object>(codec: T, constraint: CodecConstraint): T {
  constraints.set(codec, constraint);
  return codec;
}

/** What a codec made by `irpString`, `irpNumber` or `nonEmptyArray` enforces (enums: `IrpEnumType`). */
export function codecConstraint(codec: object): CodecConstraint | undefined {
  return constraints.get(codec);
}

/** Why a constrained value failed, in words an ERP team can act on. */
export function describeStringProblem(value: string, c: StringConstraint): string | undefined {
  if (c.values && !c.values.includes(value)) return `must be one of ${c.values.join(', ')}`;
  if (c.min !== undefined && value.length < c.min) return `must be at least ${c.min} characters`;
  if (c.max !== undefined && value.length > c.max) return `must be at most ${c.max} characters`;
  if (c.pattern && !c.pattern.test(value)) return `must match ${c.pattern.source}`;
  return undefined;
}

export function describeNumberProblem(value: number, c: NumberConstraint): string | undefined {
  if (!Number.isFinite(value)) return 'must be a finite number';
  if (c.min !== undefined && value < c.min) return `must be at least ${c.min}`;
  if (c.max !== undefined && value > c.max) return `must be at most ${c.max}`;
  return undefined;
}

export function irpString(name: string, c: StringConstraint): t.Type<string, string, unknown> {
  const codec = new t.Type<string, string, unknown>(
    name,
    (u): u is string => typeof u === 'string' && describeStringProblem(u, c) === undefined,
    (u, ctx) => {
      const value = typeof u === 'number' && Number.isFinite(u) ? String(u) : u;
      if (typeof value !== 'string') return t.failure(u, ctx, 'must be a string');
      const problem = describeStringProblem(value, c);
      return problem ? t.failure(u, ctx, problem) : t.success(value);
    },
    t.identity,
  );
  return documented(codec, { kind: 'string', ...c });
}

/**
 * An enumerated string. With `caseInsensitive`, any casing binds and the value is upper-cased: NIC's
 * schema writes `DocDtls.Typ` and `TranDtls.SupTyp` with the `(?i)` flag, its sandbox accepted
 * `Typ: "inv"` and signed `DocTyp: "INV"` (RECORD.md §1), so the IRN, the signed invoice and the QR all
 * see the upper-case value. The normaliser applies the same mapping (`bindInput`) so that business
 * rules reading the undecoded invoice agree with the decoder.
 */
export class IrpEnumType<V extends string> extends t.Type<V, V, unknown> {
  /** The value as the IRP binds it before validation (upper-cased when case-insensitive). */
  readonly bindInput: (u: unknown) => unknown;

  constructor(
    name: string,
    readonly values: readonly V[],
    readonly caseInsensitive: boolean,
  ) {
    const inner = irpString(name, { values });
    const bindInput = (u: unknown): unknown => {
      if (!caseInsensitive || typeof u !== 'string') return u;
      const upper = u.toUpperCase();
      return (values as readonly string[]).includes(upper) ? upper : u;
    };
    super(
      name,
      (u): u is V => typeof u === 'string' && (values as readonly string[]).includes(u),
      (u, ctx) => inner.validate(bindInput(u), ctx) as t.Validation<V>,
      t.identity,
    );
    this.bindInput = bindInput;
  }
}

export function irpEnum<V extends string>(
  name: string,
  values: readonly V[],
  options: { caseInsensitive?: boolean } = {},
): IrpEnumType<V> {
  return new IrpEnumType(name, values, options.caseInsensitive ?? false);
}

export function irpNumber(name: string, c: NumberConstraint): t.Type<number, number, unknown> {
  const codec = new t.Type<number, number, unknown>(
    name,
    (u): u is number => typeof u === 'number' && describeNumberProblem(u, c) === undefined,
    (u, ctx) => {
      const value = typeof u === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(u) ? Number(u) : u;
      if (typeof value !== 'number') return t.failure(u, ctx, 'must be a number');
      const problem = describeNumberProblem(value, c);
      return problem ? t.failure(u, ctx, problem) : t.success(value);
    },
    t.identity,
  );
  return documented(codec, { kind: 'number', ...c });
}

/** An object block: required and optional properties, unknown properties stripped. */
export function block<R extends t.Props, O extends t.Props>(name: string, required: R, optional: O) {
  return t.exact(t.intersection([t.type(required), t.partial(optional)]), name);
}

/** A JSON array with a minimum length (the schema's ItemList needs one item). */
export function nonEmptyArray<C extends t.Mixed>(item: C, name: string) {
  return documented(
    t.refinement(t.array(item), (items) => items.length > 0, name),
    { kind: 'non-empty-array' },
  );
}
