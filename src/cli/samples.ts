/**
 * The connectors' bundled sample events (connectors/<erp>/samples/events.ndjson, Avro JSON encoding) and
 * the parties in them, for the commands that use them: `demo` (the pipeline on files), `produce` (onto a
 * Kafka topic) and `sandbox --sample-accounts` (an IRP account for every sample seller).
 *
 * The sandbox plays GSTN's registry too: onboarding gives each sample supplier an API login and records
 * SEZ recipients as SEZ taxpayers, as registration with NIC and the GST common portal would.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectorIds, connectors } from '../../connectors/registry.js';
import { supplierGstin, type Connector } from '../../connectors/types.js';
import { JsonEventDecoder } from '../adapters/avro/json-decoder.js';
import type { AccountCredentials, SandboxAdmin } from '../sandbox/admin-client.js';

export function sampleFile(root: string, connectorId: string): string {
  return join(root, 'connectors', connectorId, 'samples', 'events.ndjson');
}

/** The sample events of a connector, one Avro-JSON text per event. */
export function readSampleLines(root: string, connectorId: string): string[] {
  const input = sampleFile(root, connectorId);
  if (!existsSync(input)) throw new Error(`no sample events at ${input}`);
  return readFileSync(input, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '');
}

export interface SampleParties {
  /** Supplier GSTINs (who need API logins). */
  sellers: string[];
  /** SEZ recipients (whom the registry must know as SEZ units). */
  sez: string[];
}

/** Suppliers and SEZ recipients of a connector's events (decoded and mapped as the pipeline would). */
export async function partiesOf(connector: Connector, lines: string[]): Promise<SampleParties> {
  const decoder = new JsonEventDecoder({ readerSchema: connector.avroSchema });
  const decoded = await Promise.all(lines.map((l) => decoder.decode(Buffer.from(l))));
  const sellers = new Set<string>();
  const sez = new Set<string>();
  for (const d of decoded) {
    if (!d.ok) continue;
    const m = connector.map(d.record);
    if (!m.ok) continue;
    sellers.add(supplierGstin(m.event));
    if (m.event.kind !== 'generate') continue;
    const inv = m.event.invoice;
    if (inv.TranDtls.SupTyp.startsWith('SEZ') && inv.BuyerDtls.Gstin !== 'URP') sez.add(inv.BuyerDtls.Gstin);
  }
  return { sellers: [...sellers].sort(), sez: [...sez].sort() };
}

/** The parties of every connector's samples (or of `ids`), merged. */
export async function sampleParties(
  root: string,
  ids: readonly string[] = connectorIds,
): Promise<SampleParties> {
  const sellers = new Set<string>();
  const sez = new Set<string>();
  for (const id of ids) {
    const connector = connectors[id as keyof typeof connectors] as Connector | undefined;
    if (!connector) throw new Error(`unknown connector ${id}`);
    const p = await partiesOf(connector, readSampleLines(root, id));
    p.sellers.forEach((g) => sellers.add(g));
    p.sez.forEach((g) => sez.add(g));
  }
  return { sellers: [...sellers].sort(), sez: [...sez].sort() };
}

/**
 * Onboards the parties on a sandbox: one API account per seller (user `<prefix>_<PAN part>`), SEZ
 * recipients recorded as SEZ taxpayers. Returns the sellers' credentials.
 */
export async function onboardParties(
  admin: SandboxAdmin,
  parties: SampleParties,
  prefix: string,
): Promise<AccountCredentials[]> {
  const credentials = [];
  for (const gstin of parties.sellers)
    credentials.push(await admin.createAccount(`${prefix}_${gstin.slice(0, 7)}`.toLowerCase(), gstin));
  for (const gstin of parties.sez)
    await admin.call('PUT', `taxpayers/${gstin}`, {
      txpType: 'SEZ',
      status: 'ACT',
      stateCode: gstin.slice(0, 2),
    });
  return credentials;
}
