/**
 * Site tables: the code tables a mapping reads (units, regions, condition types, tax component names,
 * natures of transaction …) as data with defaults, overridable per source in the source config's
 * `tables` section — so two SAP systems with different customising run one build. Every table maps an
 * ERP key to a value the mapping understands; a source's entries are merged over the defaults (add or
 * replace a key), and every value is checked (a UQC of the IRP master, a GST state code, a known role)
 * before the source starts.
 */
import { canonicalStateCode, isStateCode, isUqc } from '../../src/irp/masters/index.js';

export type Table<V extends string = string> = Readonly<Record<string, V>>;

/** One table: what it maps, which values it may hold, how its keys compare, and its defaults. */
export interface TableSpec<V extends string> {
  doc: string;
  /** What a value must be, in words (for the error), and the check. */
  values: { what: string; is: (v: string) => v is V; list?: readonly V[] };
  /** How keys compare: the ERP's spelling is normalised the same way on both sides. */
  key: (k: string) => string;
  defaults: Table<V>;
}

export type TableSpecs = Record<string, TableSpec<string>>;
export type TablesOf<S extends TableSpecs> = {
  readonly [K in keyof S]: S[K] extends TableSpec<infer V> ? Table<V> : never;
};

export const exactKey = (k: string): string => k.trim();
export const caseInsensitiveKey = (k: string): string => k.trim().toLowerCase();

export const uqcValue = {
  what: 'a UQC of the IRP unit master (NOS, KGS, OTH …)',
  is: (v: string): v is string => isUqc(v),
};
export const stateValue = {
  what: 'a GST state code of the IRP state master (01–38, 97)',
  is: (v: string): v is string => isStateCode(v) && canonicalStateCode(v) === v,
};
export function oneOf<const V extends string>(values: readonly V[]) {
  return {
    what: `one of ${values.join(', ')}`,
    is: (v: string): v is V => values.includes(v as V),
    list: values,
  };
}

/** Looks a key up the way the table compares keys. */
export function lookup<V extends string>(
  table: Table<V>,
  spec: TableSpec<V>,
  key: string | null | undefined,
): V | undefined {
  if (key === null || key === undefined) return undefined;
  const k = spec.key(key);
  return Object.hasOwn(table, k) ? table[k] : undefined;
}

/** The defaults with their keys normalised. */
export function defaultTables<S extends TableSpecs>(specs: S): TablesOf<S> {
  return Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => [
      name,
      Object.fromEntries(Object.entries(spec.defaults).map(([k, v]) => [spec.key(k), v])),
    ]),
  ) as TablesOf<S>;
}

/**
 * A source's tables: its overrides merged over the defaults, or every problem (with its path in the
 * config, `tables.units.KRT: …`) at once.
 */
export function resolveTables<S extends TableSpecs>(
  specs: S,
  overrides: unknown,
): { ok: true; tables: TablesOf<S> } | { ok: false; problems: string[] } {
  const tables = defaultTables(specs) as Record<string, Record<string, string>>;
  if (overrides === undefined || overrides === null) return { ok: true, tables: tables as TablesOf<S> };
  const problems: string[] = [];
  if (typeof overrides !== 'object' || Array.isArray(overrides))
    return { ok: false, problems: ['tables: expected a mapping of table name → { ERP key: value }'] };
  for (const [name, entries] of Object.entries(overrides)) {
    const spec = specs[name];
    if (!spec) {
      problems.push(
        `tables.${name}: not a table of this connector (tables: ${Object.keys(specs).join(', ')})`,
      );
      continue;
    }
    if (typeof entries !== 'object' || entries === null || Array.isArray(entries)) {
      problems.push(`tables.${name}: expected a mapping of ERP key → value`);
      continue;
    }
    const merged = { ...tables[name] };
    for (const [k, v] of Object.entries(entries)) {
      if (typeof v !== 'string' || !spec.values.is(v))
        problems.push(`tables.${name}.${k}: ${JSON.stringify(v)} is not ${spec.values.what}`);
      else merged[spec.key(k)] = v;
    }
    tables[name] = merged;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, tables: tables as TablesOf<S> };
}
