/** The connector registry as the pipeline and the CLI see it (connectors/registry.ts is the one list). */
import { connectorIds, getConnector } from '../../connectors/registry.js';
import type { Connector } from '../../connectors/types.js';

export function connectorById(id: string): Connector | undefined {
  return getConnector(id);
}

export function knownConnectorIds(): readonly string[] {
  return connectorIds;
}

/**
 * The connector a source config names, with the source's site tables (`tables`) merged over the
 * connector's defaults; or every problem, each with its path in the config.
 */
export function sourceConnector(config: {
  connector: string;
  tables?: unknown;
}): { ok: true; connector: Connector } | { ok: false; problems: string[] } {
  const connector = getConnector(config.connector);
  if (!connector) return { ok: false, problems: [`connector: unknown connector "${config.connector}"`] };
  if (config.tables === undefined) return { ok: true, connector };
  if (!connector.withTables)
    return { ok: false, problems: [`tables: the ${config.connector} connector has no site tables`] };
  return connector.withTables(config.tables);
}
