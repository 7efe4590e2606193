import { describe, expect, it } from 'vitest';
import { connectorIds, connectors } from '../registry.js';
import { caseInsensitiveKey, lookup, oneOf, resolveTables, uqcValue, type TableSpec } from './site-tables.js';

const SPECS = {
  units: {
    doc: 'unit → UQC',
    values: uqcValue,
    key: caseInsensitiveKey,
    defaults: { Kg: 'KGS' },
  } satisfies TableSpec<string>,
  roles: {
    doc: 'code → role',
    values: oneOf(['price', 'tax'] as const),
    key: (k: string) => k.trim(),
    defaults: { PR: 'price' },
  } satisfies TableSpec<'price' | 'tax'>,
};

describe('site tables', () => {
  it('merges a source’s entries over the defaults, keys compared the table’s way', () => {
    const r = resolveTables(SPECS, { units: { KRT: 'CTN', kg: 'KGS' }, roles: { ZT: 'tax' } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(lookup(r.tables.units, SPECS.units, 'krt')).toBe('CTN');
    expect(lookup(r.tables.units, SPECS.units, 'KG')).toBe('KGS');
    expect(lookup(r.tables.roles, SPECS.roles, 'PR')).toBe('price');
    expect(lookup(r.tables.roles, SPECS.roles, 'ZT')).toBe('tax');
    expect(lookup(r.tables.roles, SPECS.roles, 'toString')).toBeUndefined();
  });
  it('reports every bad entry with its path, and unknown tables', () => {
    const r = resolveTables(SPECS, { units: { KRT: 'CRATE' }, roles: { ZT: 'freight' }, colours: {} });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toEqual([
      'tables.units.KRT: "CRATE" is not a UQC of the IRP unit master (NOS, KGS, OTH …)',
      'tables.roles.ZT: "freight" is not one of price, tax',
      'tables.colours: not a table of this connector (tables: units, roles)',
    ]);
  });
  it.each(connectorIds)('%s: every default entry holds a value its table allows', (id) => {
    for (const [name, spec] of Object.entries(connectors[id].tables ?? {}))
      for (const [k, v] of Object.entries(spec.defaults))
        expect(spec.values.is(v), `${name}.${k} = ${v}`).toBe(true);
  });
});
