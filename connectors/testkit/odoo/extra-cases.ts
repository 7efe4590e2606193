/** Odoo records beyond the shared cases: rejections, each with a defect real Odoo data can carry. */
import type { AccountMoveEvent } from '../../odoo/record.js';
import { FIXTURE_CASES } from '../fixture-cases.js';
import { renderOdoo } from './render.js';

const from = (id: string): AccountMoveEvent => renderOdoo(FIXTURE_CASES.find((c) => c.id === id)!);
const firstProduct = (r: AccountMoveEvent) => r.move.line_ids.find((l) => l.display_type === 'product')!;

export function odooExtraCases(): Record<string, AccountMoveEvent> {
  // A unit whose l10n_in_code is not a UQC (a typo in the UoM form).
  const unknownUnit = from('inter-state');
  firstProduct(unknownUnit).product_uom_id = { id: 77, name: 'Sack', l10n_in_code: 'SAK-SACKS' };

  const missingGstin = from('inter-state');
  missingGstin.move.company_id.partner_id.vat = null;

  // The place of supply left empty (a move created by import, l10n_in_state_id not computed).
  const noPlaceOfSupply = from('intra-state');
  noPlaceOfSupply.move.l10n_in_state_id = null;

  const noHsn = from('inter-state');
  firstProduct(noHsn).l10n_in_hsn_code = null;

  // The move's total disagrees with its lines (an event built from stale data).
  const totalMismatch = from('intra-state');
  totalMismatch.move.amount_total_signed += 250;

  const draft = from('intra-state');
  draft.move.state = 'draft';

  const vendorBill = from('intra-state');
  vendorBill.move.move_type = 'in_invoice';

  return {
    'error-unknown-unit': unknownUnit,
    'error-missing-gstin': missingGstin,
    'error-no-place-of-supply': noPlaceOfSupply,
    'error-no-hsn': noHsn,
    'error-total-mismatch': totalMismatch,
    'error-draft-move': draft,
    'error-vendor-bill': vendorBill,
  };
}
