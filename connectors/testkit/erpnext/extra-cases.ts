/** ERPNext records beyond the shared cases: mostly ones that must be rejected, each with a defect real data shows. */
import { FIXTURE_CASES } from '../fixture-cases.js';
import type { SalesInvoiceEvent } from '../../erpnext/record.js';
import { renderErpnext } from './render.js';

const from = (id: string): SalesInvoiceEvent => renderErpnext(FIXTURE_CASES.find((c) => c.id === id)!);

export function erpnextExtraCases(): Record<string, SalesInvoiceEvent> {
  const unknownUnit = from('inter-state');
  unknownUnit.doc.items[0]!.uom = 'Sack';

  const missingGstin = from('inter-state');
  missingGstin.doc.billing_address_gstin = null;

  const unknownState = from('intra-state');
  unknownState.doc.company_address.gst_state_number = null;
  unknownState.doc.company_address.gst_state = null;
  unknownState.doc.company_address.state = 'Karnatak';

  // ERPNext's default naming series is longer than the IRP's 16 characters.
  const longName = from('inter-state');
  longName.doc.name = 'ACC-SINV-2025-00001';

  const unregistered = from('inter-state');
  unregistered.doc.gst_category = 'Unregistered';

  const taxRowMismatch = from('inter-state');
  taxRowMismatch.doc.taxes[0]!.tax_amount += 10;

  return {
    // india-compliance sends OTH for a UOM its map does not know: not a rejection.
    'unmapped-unit-as-oth': unknownUnit,
    'error-missing-gstin': missingGstin,
    'error-unknown-state': unknownState,
    'error-naming-series-too-long': longName,
    'error-unregistered-customer': unregistered,
    'error-tax-row-mismatch': taxRowMismatch,
  };
}
