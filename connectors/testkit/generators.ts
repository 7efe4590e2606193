/**
 * One generator per connector: renders ERP-neutral scenarios (scenario.ts) in the ERP's record shape.
 * Test support, never production: the generator CLI, the generated regression fixtures, the demo
 * samples, the pipeline tests and the benchmarks use it. A registered connector without a generator
 * does not compile (the record below is keyed by every ConnectorId).
 */
import { canonicalExtraCases } from './canonical/extra-cases.js';
import { renderCanonical } from './canonical/render.js';
import { d365ExtraCases } from './d365/extra-cases.js';
import { erpnextExtraCases } from './erpnext/extra-cases.js';
import { renderErpnext } from './erpnext/render.js';
import { renderD365 } from './d365/render.js';
import { odooExtraCases } from './odoo/extra-cases.js';
import { renderOdoo } from './odoo/render.js';
import { oracleExtraCases } from './oracle/extra-cases.js';
import { renderOracle } from './oracle/render.js';
import type { ConnectorId } from '../registry.js';
import { sapExtraCases } from './sap/extra-cases.js';
import { renderSap } from './sap/render.js';
import { tallyExtraCases } from './tally/extra-cases.js';
import { renderTally } from './tally/render.js';
import { randomScenarios, type RandomOptions } from './random-scenario.js';
import type { Scenario } from './scenario.js';

export interface Generator {
  render(scenario: Scenario): unknown;
  /** ERP-specific fixtures beyond the shared cases (rejections above all), by fixture name. */
  extraCases(): Record<string, unknown>;
}

export const generators: Readonly<Record<ConnectorId, Generator>> = {
  sap: { render: renderSap, extraCases: sapExtraCases },
  oracle: { render: renderOracle, extraCases: oracleExtraCases },
  d365: { render: renderD365, extraCases: d365ExtraCases },
  tally: { render: renderTally, extraCases: tallyExtraCases },
  erpnext: { render: renderErpnext, extraCases: erpnextExtraCases },
  odoo: { render: renderOdoo, extraCases: odooExtraCases },
  canonical: { render: renderCanonical, extraCases: canonicalExtraCases },
};

/** The demo samples (`connectors/<id>/samples/`, written by write-samples.ts). */
export const SAMPLES = { count: 25, seed: 2025, asOf: '2025-03-28' } as const;

/** `count` reproducible records for a connector. */
export function generateRecords(id: ConnectorId, count: number, options: RandomOptions): unknown[] {
  const out: unknown[] = [];
  const scenarios = randomScenarios(options);
  for (let i = 0; i < count; i++) out.push(generators[id].render(scenarios.next().value as Scenario));
  return out;
}
