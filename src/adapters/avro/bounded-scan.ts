/**
 * A bounded pre-scan of Avro binary against the writer schema, run before avsc decodes anything.
 *
 * avsc trusts the lengths and counts it reads: a 16-byte record whose array declares 10^8 items makes it
 * allocate and loop until the process runs out of memory (its block counts have no bound). This walk
 * reads the same bytes the way Avro lays them out, allocates nothing, and refuses — before avsc runs —
 * any string or bytes longer than its limit or than what is left of the body, any array or map with more
 * items than its limit (or than the remaining bytes could hold), nesting deeper than the depth limit,
 * and overlong varints. Its own work is bounded by the body's length plus `maxArrayItems + maxMapEntries`
 * (items that take no bytes, such as nulls, count against one budget for the whole record).
 *
 * A body the scan passes is one avsc reads with bounded memory; whatever else is wrong with it (a bad
 * union branch index, trailing bytes) is still avsc's to report.
 */
import type avro from 'avsc';

export interface AvroLimits {
  /** Longest `string`, in bytes. */
  maxStringBytes: number;
  /** Longest `bytes` value. */
  maxBytesLength: number;
  /** Most items of one array (all its blocks together). */
  maxArrayItems: number;
  /** Most entries of one map. */
  maxMapEntries: number;
  /** Deepest nesting of records, arrays, maps and unions. */
  maxDepth: number;
}

/** The defaults (docs/security.md "Limits"): generous for any invoice an ERP sends, small for a process. */
export const DEFAULT_AVRO_LIMITS: AvroLimits = {
  maxStringBytes: 1024 * 1024,
  maxBytesLength: 1024 * 1024,
  maxArrayItems: 100_000,
  maxMapEntries: 100_000,
  maxDepth: 64,
};

/** Where the limit is set in a source config (for messages). */
const KEY: Record<keyof AvroLimits, string> = {
  maxStringBytes: 'avro.limits.maxStringBytes',
  maxBytesLength: 'avro.limits.maxBytesLength',
  maxArrayItems: 'avro.limits.maxArrayItems',
  maxMapEntries: 'avro.limits.maxMapEntries',
  maxDepth: 'avro.limits.maxDepth',
};

export type ScanResult = { ok: true } | { ok: false; code: 'AVRO_LIMIT' | 'AVRO_DECODE'; message: string };

class Stop extends Error {
  constructor(
    readonly code: 'AVRO_LIMIT' | 'AVRO_DECODE',
    message: string,
  ) {
    super(message);
  }
}

/** Just the parts of avsc's type classes the walk reads. */
interface ScanType {
  typeName: string;
  fields?: readonly { name: string; type: ScanType }[];
  types?: readonly ScanType[];
  itemsType?: ScanType;
  valuesType?: ScanType;
  underlyingType?: ScanType;
  size?: number;
  symbols?: readonly string[];
}

/** The fewest bytes one value of `type` takes (0 for null, empty records and the like). */
function minSize(type: ScanType, seen = new Set<ScanType>()): number {
  switch (baseName(type)) {
    case 'null':
      return 0;
    case 'boolean':
    case 'int':
    case 'long':
    case 'enum':
    case 'string':
    case 'bytes':
    case 'array':
    case 'map':
    case 'union':
      return 1;
    case 'float':
      return 4;
    case 'double':
      return 8;
    case 'fixed':
      return type.size ?? 0;
    case 'record': {
      if (seen.has(type)) return 0; // recursive: counted where the cycle is broken (a union or array)
      seen.add(type);
      let n = 0;
      for (const f of type.fields ?? []) n += minSize(f.type, seen);
      seen.delete(type);
      return n;
    }
    case 'logical':
      return minSize(type.underlyingType!, seen);
    default:
      return 1;
  }
}

function baseName(type: ScanType): string {
  const n = type.typeName;
  if (n === 'error') return 'record';
  if (n.startsWith('union:')) return 'union';
  if (n.startsWith('logical:')) return 'logical';
  if (n.startsWith('abstract:')) return 'long';
  return n;
}

/**
 * Scans `buf` as one value of `type` (the writer's type). Never throws, never allocates in proportion
 * to a declared length or count.
 */
export function scanAvro(type: avro.Type, buf: Buffer, limits: AvroLimits = DEFAULT_AVRO_LIMITS): ScanResult {
  if (fastScan(planOf(type as unknown as ScanType), buf, limits)) return { ok: true };
  // Refused: the walk again, keeping the path, which says where and why.
  return pathScan(type, buf, limits);
}

/** The two walks apart, for the property test that holds them to the same verdict. */
export const scanWalks = {
  fast: (type: avro.Type, buf: Buffer, limits: AvroLimits = DEFAULT_AVRO_LIMITS): boolean =>
    fastScan(planOf(type as unknown as ScanType), buf, limits),
  withPath: (type: avro.Type, buf: Buffer, limits: AvroLimits = DEFAULT_AVRO_LIMITS): ScanResult =>
    pathScan(type, buf, limits),
};

function pathScan(type: avro.Type, buf: Buffer, limits: AvroLimits): ScanResult {
  const scanner = new Scanner(buf, limits);
  try {
    scanner.value(type as unknown as ScanType, 0);
    return { ok: true };
  } catch (error) {
    if (error instanceof Stop) return { ok: false, code: error.code, message: error.message };
    return { ok: false, code: 'AVRO_DECODE', message: `unreadable: ${(error as Error).message}` };
  }
}

class Scanner {
  private pos = 0;
  /** Items that take no bytes may be scanned at most this often in the whole record. */
  private budget: number;
  private readonly path: string[] = [];
  private readonly minSizes = new Map<ScanType, number>();

  constructor(
    private readonly buf: Buffer,
    private readonly limits: AvroLimits,
  ) {
    this.budget = buf.length + limits.maxArrayItems + limits.maxMapEntries;
  }

  private where(): string {
    return this.path.length ? this.path.join('') : 'the record';
  }

  private stop(code: 'AVRO_LIMIT' | 'AVRO_DECODE', message: string): never {
    throw new Stop(code, `${this.where().replace(/^\./, '')}: ${message}`);
  }

  private overLimit(what: string, n: number, key: keyof AvroLimits): never {
    this.stop('AVRO_LIMIT', `${what} ${n} exceeds ${KEY[key]} (${this.limits[key]})`);
  }

  private truncated(what: string): never {
    this.stop(
      'AVRO_DECODE',
      `the ${this.buf.length}-byte body ends before ${what} does (truncated or another schema)`,
    );
  }

  private remaining(): number {
    return this.buf.length - this.pos;
  }

  /** A zig-zag varint as a number (precision lost beyond 2^53 does not matter: it is only compared). */
  private long(): number {
    let n = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) this.truncated('a number');
      const b = this.buf[this.pos++]!;
      n += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
      scale *= 128;
    }
    this.stop('AVRO_DECODE', 'a number longer than 10 bytes');
  }

  private skip(n: number, what: string): void {
    if (n > this.remaining()) this.truncated(what);
    this.pos += n;
  }

  private sized(kind: 'string' | 'bytes'): void {
    const n = this.long();
    if (n < 0) this.stop('AVRO_DECODE', `a ${kind} of negative length ${n}`);
    const key = kind === 'string' ? 'maxStringBytes' : 'maxBytesLength';
    if (n > this.limits[key]) this.overLimit(`a ${kind} of length`, n, key);
    this.skip(n, `a ${kind} of ${n} bytes`);
  }

  private min(type: ScanType): number {
    let n = this.minSizes.get(type);
    if (n === undefined) {
      n = minSize(type);
      this.minSizes.set(type, n);
    }
    return n;
  }

  /** Arrays and maps: blocks of `count` items, a negative count followed by the block's byte size. */
  private blocks(kind: 'array' | 'map', item: ScanType, depth: number): void {
    const key = kind === 'array' ? 'maxArrayItems' : 'maxMapEntries';
    const itemMin = kind === 'map' ? 1 + this.min(item) : this.min(item);
    let total = 0;
    for (;;) {
      let count = this.long();
      if (count === 0) return;
      if (count < 0) {
        count = -count;
        const size = this.long();
        if (size < 0) this.stop('AVRO_DECODE', `a block of negative size ${size}`);
      }
      total += count;
      if (total > this.limits[key])
        this.overLimit(kind === 'array' ? 'an array of' : 'a map of', total, key);
      if (itemMin > 0 && count * itemMin > this.remaining())
        this.truncated(`${kind === 'array' ? 'an array' : 'a map'} block of ${count} item(s)`);
      if (itemMin === 0) {
        this.budget -= count;
        if (this.budget < 0) this.overLimit(`${kind} items that take no bytes, beyond the record's budget, a block of`, count, key);
      }
      const base = total - count;
      for (let i = 0; i < count; i++) {
        this.path.push(kind === 'array' ? `[${base + i}]` : `{${base + i}}`);
        if (kind === 'map') this.sized('string');
        this.value(item, depth + 1);
        this.path.pop();
      }
    }
  }

  value(type: ScanType, depth: number): void {
    if (depth > this.limits.maxDepth) this.overLimit('nesting at depth', depth, 'maxDepth');
    switch (baseName(type)) {
      case 'null':
        return;
      case 'boolean':
        return this.skip(1, 'a boolean');
      case 'int':
      case 'long': {
        this.long();
        return;
      }
      case 'float':
        return this.skip(4, 'a float');
      case 'double':
        return this.skip(8, 'a double');
      case 'string':
        return this.sized('string');
      case 'bytes':
        return this.sized('bytes');
      case 'fixed':
        return this.skip(type.size ?? 0, `a fixed of ${type.size} bytes`);
      case 'enum': {
        const i = this.long();
        const n = type.symbols?.length ?? 0;
        if (i < 0 || i >= n) this.stop('AVRO_DECODE', `enum index ${i} outside 0–${n - 1}`);
        return;
      }
      case 'union': {
        const i = this.long();
        const branches = type.types ?? [];
        if (i < 0 || i >= branches.length)
          this.stop('AVRO_DECODE', `union branch ${i} outside 0–${branches.length - 1}`);
        return this.value(branches[i]!, depth + 1);
      }
      case 'record':
        for (const f of type.fields ?? []) {
          this.path.push(`.${f.name}`);
          this.value(f.type, depth + 1);
          this.path.pop();
        }
        return;
      case 'array':
        return this.blocks('array', type.itemsType!, depth);
      case 'map':
        return this.blocks('map', type.valuesType!, depth);
      case 'logical':
        return this.value(type.underlyingType!, depth);
      default:
        this.stop('AVRO_DECODE', `unsupported Avro type ${type.typeName}`);
    }
  }
}

/*
 * The walk without the path. Every record on the hot path passes the scan, and building `.field` and
 * `[i]` strings for each value it visits cost more than the walk itself; so a record is first walked
 * over a plan compiled once per writer type (kinds as numbers, logical types unwrapped, minimum item
 * sizes computed), with the same checks in the same order, and only a record this walk refuses is
 * walked again by {@link Scanner} for the message. A property test holds the two walks to the same
 * verdict.
 */

const NULL = 0;
const BOOLEAN = 1;
const VARINT = 2;
const FLOAT = 3;
const DOUBLE = 4;
const STRING = 5;
const BYTES = 6;
const FIXED = 7;
const ENUM = 8;
const UNION = 9;
const RECORD = 10;
const ARRAY = 11;
const MAP = 12;
const UNSUPPORTED = 13;

interface Plan {
  kind: number;
  /** fixed: its size; enum: the number of symbols; array and map: the fewest bytes of one item. */
  n: number;
  /** record: its fields' plans; union: its branches'; array and map: [the item's]. */
  children: Plan[];
}

const KINDS: Record<string, number> = {
  null: NULL,
  boolean: BOOLEAN,
  int: VARINT,
  long: VARINT,
  float: FLOAT,
  double: DOUBLE,
  string: STRING,
  bytes: BYTES,
  fixed: FIXED,
  enum: ENUM,
  union: UNION,
  record: RECORD,
  array: ARRAY,
  map: MAP,
};

const plans = new WeakMap<ScanType, Plan>();

function planOf(type: ScanType): Plan {
  return plans.get(type) ?? compile(type, new Map());
}

function compile(type: ScanType, compiling: Map<ScanType, Plan>): Plan {
  let t = type;
  while (baseName(t) === 'logical') t = t.underlyingType!;
  const known = plans.get(t) ?? compiling.get(t);
  if (known) return known;
  const plan: Plan = { kind: KINDS[baseName(t)] ?? UNSUPPORTED, n: 0, children: [] };
  compiling.set(t, plan); // before the children: a recursive type refers back to this plan
  switch (plan.kind) {
    case FIXED:
      plan.n = t.size ?? 0;
      break;
    case ENUM:
      plan.n = t.symbols?.length ?? 0;
      break;
    case UNION:
      plan.children = (t.types ?? []).map((b) => compile(b, compiling));
      break;
    case RECORD:
      plan.children = (t.fields ?? []).map((f) => compile(f.type, compiling));
      break;
    case ARRAY:
      plan.n = minSize(t.itemsType!);
      plan.children = [compile(t.itemsType!, compiling)];
      break;
    case MAP:
      plan.n = 1 + minSize(t.valuesType!);
      plan.children = [compile(t.valuesType!, compiling)];
      break;
  }
  plans.set(t, plan);
  if (t !== type) plans.set(type, plan);
  return plan;
}

/** Thrown (one instance, no stack) to leave the fast walk; the slow walk then says why. */
const REFUSED = new Error('refused by the bounded scan');

/** The same checks as {@link Scanner}, over a plan: true when the body passes them. */
function fastScan(plan: Plan, buf: Buffer, limits: AvroLimits): boolean {
  let pos = 0;
  let budget = buf.length + limits.maxArrayItems + limits.maxMapEntries;
  const end = buf.length;

  const long = (): number => {
    let n = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) throw REFUSED;
      const b = buf[pos++]!;
      n += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
      scale *= 128;
    }
    throw REFUSED;
  };
  const skip = (n: number): void => {
    if (n > end - pos) throw REFUSED;
    pos += n;
  };
  const sized = (max: number): void => {
    const n = long();
    if (n < 0 || n > max) throw REFUSED;
    skip(n);
  };
  const blocks = (p: Plan, limit: number, depth: number): void => {
    const item = p.children[0]!;
    const itemMin = p.n;
    let total = 0;
    for (;;) {
      let count = long();
      if (count === 0) return;
      if (count < 0) {
        count = -count;
        if (long() < 0) throw REFUSED;
      }
      total += count;
      if (total > limit) throw REFUSED;
      if (itemMin > 0 && count * itemMin > end - pos) throw REFUSED;
      if (itemMin === 0) {
        budget -= count;
        if (budget < 0) throw REFUSED;
      }
      for (let i = 0; i < count; i++) {
        if (p.kind === MAP) sized(limits.maxStringBytes);
        value(item, depth + 1);
      }
    }
  };
  const value = (p: Plan, depth: number): void => {
    if (depth > limits.maxDepth) throw REFUSED;
    switch (p.kind) {
      case NULL:
        return;
      case BOOLEAN:
        return skip(1);
      case VARINT:
        long();
        return;
      case FLOAT:
        return skip(4);
      case DOUBLE:
        return skip(8);
      case STRING:
        return sized(limits.maxStringBytes);
      case BYTES:
        return sized(limits.maxBytesLength);
      case FIXED:
        return skip(p.n);
      case ENUM: {
        const i = long();
        if (i < 0 || i >= p.n) throw REFUSED;
        return;
      }
      case UNION: {
        const i = long();
        const branch = p.children[i];
        if (i < 0 || branch === undefined) throw REFUSED;
        return value(branch, depth + 1);
      }
      case RECORD:
        for (const f of p.children) value(f, depth + 1);
        return;
      case ARRAY:
        return blocks(p, limits.maxArrayItems, depth);
      case MAP:
        return blocks(p, limits.maxMapEntries, depth);
      default:
        throw REFUSED;
    }
  };

  try {
    value(plan, 0);
    return true;
  } catch {
    return false;
  }
}
