/**
 * Every ERP connector, in one typed registry. Adding a connector is one line here; nothing registers
 * itself by being imported.
 */
import { canonicalConnector } from './canonical/index.js';
import { d365Connector } from './d365/index.js';
import { erpnextConnector } from './erpnext/index.js';
import { odooConnector } from './odoo/index.js';
import { oracleConnector } from './oracle/index.js';
import { sapConnector } from './sap/index.js';
import { tallyConnector } from './tally/index.js';
import type { Connector } from './types.js';

export const connectors = {
  sap: sapConnector,
  oracle: oracleConnector,
  d365: d365Connector,
  tally: tallyConnector,
  erpnext: erpnextConnector,
  odoo: odooConnector,
  canonical: canonicalConnector,
} as const satisfies Readonly<Record<string, Connector & { schemaFile: string }>>;

export type ConnectorId = keyof typeof connectors;

export const connectorIds = Object.keys(connectors) as ConnectorId[];

export function isConnectorId(id: string): id is ConnectorId {
  return Object.hasOwn(connectors, id);
}

/** The connector a source config names, or undefined for an unknown id. */
export function getConnector(id: string): Connector | undefined {
  return isConnectorId(id) ? connectors[id] : undefined;
}
