/** D365 records beyond the shared cases: mostly ones that must be rejected, each with a defect real data shows. */
import { FIXTURE_CASES } from '../fixture-cases.js';
import type { SalesInvoiceEvent } from '../../d365/record.js';
import { renderD365 } from './render.js';

const from = (id: string): SalesInvoiceEvent => renderD365(FIXTURE_CASES.find((c) => c.id === id)!);

export function d365ExtraCases(): Record<string, SalesInvoiceEvent> {
  const unknownUnit = from('inter-state');
  unknownUnit.Lines[1]!.SalesUnitSymbol = 'crate';

  const missingGstin = from('inter-state');
  missingGstin.Header.CustomerGSTIN = null;

  const unknownState = from('intra-state');
  unknownState.Header.CompanyAddressState = 'KAR';

  const mixedSigns = from('credit-note');
  mixedSigns.Lines.push({
    ...mixedSigns.Lines[0]!,
    LineNumber: 2,
    InvoicedQuantity: '1',
    LineAmount: '2249.00',
  });

  const totalMismatch = from('inter-state');
  totalMismatch.Header.TotalInvoiceAmount = '135392.00';

  const unregistered = from('inter-state');
  unregistered.Header.GSTCustomerType = 'Unregistered';

  return {
    'error-unknown-unit': unknownUnit,
    'error-missing-gstin': missingGstin,
    'error-unknown-state': unknownState,
    'error-mixed-signs-on-credit-note': mixedSigns,
    'error-total-mismatch': totalMismatch,
    'error-unregistered-customer': unregistered,
  };
}
