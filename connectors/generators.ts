/**
 * One generator per connector: renders ERP-neutral scenarios (shared/scenario.ts) in the ERP's record
 * shape. Used by the generator CLI, the golden fixtures, the embedded demo and the benchmarks.
 */
import { canonicalExtraCases } from './canonical/extra-cases.js';
import { renderCanonical } from './canonical/render.js';
import { d365ExtraCases } from './d365/extra-cases.js';
import { erpnextExtraCases } from './erpnext/extra-cases.js';
import { renderErpnext } from './erpnext/render.js';
import { renderD365 } from './d365/render.js';
import { oracleExtraCases } from './oracle/extra-cases.js';
import { renderOracle } from './oracle/render.js';
import type { ConnectorId } from './registry.js';
import { sapExtraCases } from './sap/extra-cases.js';
import { renderSap } from './sap/render.js';
import { tallyExtraCases } from './tally/extra-cases.js';
import { renderTally } from './tally/render.js';
import { randomScenarios, type RandomOptions } from './shared/random-scenario.js';
import type { Scenario } from './shared/scenario.js';

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
  canonical: { render: renderCanonical, extraCases: canonicalExtraCases },
};

/** `count` reproducible records for a connector. */
export function generateRecords(id: ConnectorId, count: number, options: RandomOptions): unknown[] {
  const out: unknown[] = [];
  const scenarios = randomScenarios(options);
  for (let i = 0; i < count; i++) out.push(generators[id].render(scenarios.next().value as Scenario));
  return out;
}
