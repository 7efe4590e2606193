/**
 * Fixtures written by hand from an ERP's own documentation (`connectors/<id>/fixtures/*.json`), never
 * rendered by the generator: each holds a record in the shape that ERP exports (natural JSON, see
 * natural-json.ts), the sources it follows, the arithmetic checked by hand against the ERP's totals,
 * and the expected outcome — the IRP invoice's fields (compared as a subset: every field written in the
 * expectation must match) or the exact list of mapping errors (code and ERP path).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateInvoice } from '../../src/irp/validate/index.js';
import { connectors, type ConnectorId } from '../registry.js';
import type { Connector, MapResult } from '../types.js';
import { decode, encode } from './avro-codec.js';
import { REPO_ROOT } from './docs-tables.js';
import { fromNaturalJson } from './natural-json.js';

export interface DocumentedFixture {
  name: string;
  title: string;
  /** The ERP documents (and versions) the record's shape and values follow. */
  sources: string[];
  /** The hand check: how the expected figures follow from the ERP's own totals. */
  check: string[];
  /** What the mapping did before the fix this fixture pins, when it pins one. */
  before?: string;
  record: unknown;
  /** Site tables for this source (the `connector` section of a source config), when not the defaults. */
  tables?: unknown;
  expect:
    { ok: true; event: Record<string, unknown> } | { ok: false; errors: { code: string; path: string }[] };
}

export function documentedDir(id: string): string {
  return join(REPO_ROOT, 'connectors', id, 'fixtures');
}

export function readDocumented(id: string): DocumentedFixture[] {
  const dir = documentedDir(id);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({
      name: f.slice(0, -'.json'.length),
      ...(JSON.parse(readFileSync(join(dir, f), 'utf8')) as Omit<DocumentedFixture, 'name'>),
    }));
}

/** Decodes the hand-written record through the connector's Avro schema and maps it (with its tables). */
export function mapDocumented(c: Connector, f: DocumentedFixture): MapResult {
  const record = fromNaturalJson(c.avroSchema, f.record);
  let connector = c;
  if (f.tables !== undefined) {
    const configured = c.withTables?.(f.tables);
    if (!configured?.ok) throw new Error(`${f.name}: tables ${JSON.stringify(configured)}`);
    connector = configured.connector;
  }
  return connector.map(decode(c.avroSchema, encode(c.avroSchema, record)));
}

/** The IRP's "today" for a fixture: the day after its document date. */
function dayAfter(docDate: string): Date {
  const [d, m, y] = docDate.split('/').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + 1, 6, 0));
}

export function documentedSuite(id: ConnectorId, atLeast = 10): void {
  const c = connectors[id];
  const fixtures = readDocumented(id);
  describe(`${id} fixtures written from the ERP's documentation`, () => {
    it(`has at least ${atLeast}, each citing its sources and its hand check`, () => {
      expect(fixtures.length).toBeGreaterThanOrEqual(atLeast);
      for (const f of fixtures) {
        expect(f.sources.length, f.name).toBeGreaterThan(0);
        expect(f.check.length, f.name).toBeGreaterThan(0);
      }
    });
    for (const f of fixtures)
      it(`${f.name}: ${f.title}`, () => {
        const result = JSON.parse(JSON.stringify(mapDocumented(c, f))) as MapResult;
        if (f.expect.ok) {
          expect(result.ok ? result.event : result.errors).toMatchObject(f.expect.event);
          if (result.ok && result.event.kind === 'generate') {
            const v = validateInvoice(result.event.invoice, {
              now: dayAfter(result.event.invoice.DocDtls.Dt),
            });
            expect(v.errors).toEqual([]);
          }
        } else {
          expect(
            result.ok ? result.event : result.errors.map((e) => ({ code: e.code, path: e.path })),
          ).toEqual(f.expect.errors);
        }
      });
  });
}
