/** Tally records beyond the shared cases: mostly ones that must be rejected, each with a defect real data shows. */
import { FIXTURE_CASES } from '../fixture-cases.js';
import type { TallyVoucherEvent } from '../../tally/record.js';
import { renderTally } from './render.js';

const from = (id: string): TallyVoucherEvent => renderTally(FIXTURE_CASES.find((c) => c.id === id)!);

export function tallyExtraCases(): Record<string, TallyVoucherEvent> {
  const unknownUnit = from('inter-state');
  unknownUnit.VOUCHER.ALLINVENTORYENTRIES[0]!.BILLEDQTY = ' 40 Sacks';
  unknownUnit.VOUCHER.ALLINVENTORYENTRIES[0]!.RATE = '2249.00/Sacks';

  const missingGstin = from('inter-state');
  missingGstin.VOUCHER.PARTYGSTIN = null;

  const unknownState = from('inter-state');
  unknownState.VOUCHER.PLACEOFSUPPLY = 'Bombay';

  const ledgerMismatch = from('intra-state');
  for (const l of ledgerMismatch.VOUCHER.LEDGERENTRIES) if (l.TAXTYPE === 'State Tax') l.AMOUNT = '3215.80';

  const wrongRate = from('inter-state');
  wrongRate.VOUCHER.ALLINVENTORYENTRIES[1]!.GSTRATE = '12';

  const receiptVoucher = from('inter-state');
  receiptVoucher.VOUCHER.VOUCHERTYPEPARENT = 'Receipt';
  receiptVoucher.VOUCHER.VOUCHERTYPENAME = 'Receipt';

  return {
    'error-unknown-unit': unknownUnit,
    'error-missing-gstin': missingGstin,
    'error-unknown-state': unknownState,
    'error-cgst-sgst-ledgers-differ': ledgerMismatch,
    'error-ledger-does-not-match-item-rates': wrongRate,
    'error-unknown-doc-type': receiptVoucher,
  };
}
