/** Canonical events beyond the shared cases: the full-featured document, and ones to reject. */
import { FIXTURE_CASES } from '../fixture-cases.js';
import type { InvoiceEvent } from '../../canonical/record.js';
import { renderCanonical } from './render.js';

const from = (id: string): InvoiceEvent => renderCanonical(FIXTURE_CASES.find((c) => c.id === id)!);
const days = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

export function canonicalExtraCases(): Record<string, InvoiceEvent> {
  // Every optional block the canonical event can carry: dispatch-from, batch with dates, attributes,
  // state cess, payment, remarks, and the e-way bill part sent with the IRN request.
  const full = from('inter-state');
  full.document.remarks = 'Supply against PO 4500012345';
  full.dispatchFrom = {
    ...full.seller,
    legalName: 'Deccan Polymers Warehouse Hoskote',
    address1: 'Survey 88, KIADB Hoskote',
    city: 'Hoskote',
    pin: 562114,
  };
  const l0 = full.lines[0]!;
  l0.batch = { name: 'RB2502', expiryDate: days('2026-01-31'), warrantyDate: null };
  l0.attributes = [{ name: 'Grain', value: 'Long' }];
  l0.serialNumber = 'SRL-0001';
  l0.originCountry = 'IN';
  full.transport = {
    transporterId: '29AAGCB1286Q1Z0',
    transporterName: 'Blue Dart Surface Logistics',
    mode: 'ROAD',
    distanceKm: 0,
    docNumber: 'LR-88121',
    docDate: days('2025-02-14'),
    vehicleNumber: 'KA 01 AB 1234',
    vehicleType: 'REGULAR',
  };

  const unknownUnit = from('inter-state');
  unknownUnit.lines[0]!.unit = 'SACK';

  const missingGstin = from('inter-state');
  missingGstin.buyer.gstin = null;

  const unknownState = from('inter-state');
  unknownState.buyer.stateCode = '28';

  const badTaxable = from('discounts');
  badTaxable.lines[0]!.taxableValue = '682195.00';

  const badAmount = from('inter-state');
  badAmount.lines[1]!.igst = '1,854.00';

  return {
    'full-featured': full,
    'error-unknown-unit': unknownUnit,
    'error-missing-gstin': missingGstin,
    'error-unknown-state': unknownState,
    'error-taxable-value-mismatch': badTaxable,
    'error-amount-not-decimal': badAmount,
  };
}
