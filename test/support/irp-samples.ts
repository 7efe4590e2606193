/**
 * The shared IRP samples (vendored in data/irp/samples) as test inputs. Fixtures whose document number
 * is a placeholder get a real one, and the export fixture's internal yyyy-mm-dd shipping-bill date is
 * put in NIC's dd/MM/yyyy form, as samples/README.md says they need.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseIrpDate } from '../../src/irp/dates.js';

export const SAMPLES_DIR = fileURLToPath(new URL('../../data/irp/samples/', import.meta.url));

export function readSample<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(`${SAMPLES_DIR}${name}`, 'utf8')) as T;
}

export function sampleNames(): string[] {
  return readdirSync(SAMPLES_DIR).filter((f) => f.endsWith('.json'));
}

/** Invoices the NIC sandbox registered, exactly as sent. */
export const REGISTERED_INVOICES = [
  'b2b-inter-state.request.json',
  'b2b-goods-with-ewb.request.json',
  'credit-note.request.json',
  'debit-note.request.json',
  'nic-doc-sample-full.request.json',
] as const;

export const FIXTURE_INVOICES = [
  'b2b-intra-state.fixture.request.json',
  'export-expwop.fixture.request.json',
] as const;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** A deep copy of a sample invoice, fixture placeholders filled in. */
export function invoiceSample(name: string): Json {
  const inv = readSample<Json>(name);
  if (name.includes('.fixture.')) {
    inv.DocDtls.No = 'TEST/0001';
    const shipBDt = inv.ExpDtls?.ShipBDt as string | undefined;
    if (shipBDt && /^\d{4}-\d{2}-\d{2}$/.test(shipBDt))
      inv.ExpDtls.ShipBDt = shipBDt.split('-').reverse().join('/');
  }
  return inv;
}

/** The IRP's "today" for a sample: the day after its document date, as when it was registered. */
export function dayAfter(inv: Json): Date {
  return new Date(parseIrpDate(inv.DocDtls.Dt as string)!.getTime() + 86_400_000);
}
