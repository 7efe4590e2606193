/** The connector registry as the pipeline and the CLI see it (connectors/registry.ts is the one list). */
import { connectorIds, getConnector } from '../../connectors/registry.js';
import type { Connector } from '../../connectors/types.js';

export function connectorById(id: string): Connector | undefined {
  return getConnector(id);
}

export function knownConnectorIds(): readonly string[] {
  return connectorIds;
}
