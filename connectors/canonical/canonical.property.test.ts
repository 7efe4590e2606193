import { conservationSuite } from '../testkit/conservation.js';
import type { InvoiceEvent } from './record.js';

conservationSuite('canonical', {
  features: {
    lineCharges: true,
    itemRoundOff: false,
    foreignCurrency: false,
    headerDiscount: true,
    tcs: true,
  },
  // The producer drops a tax amount (beyond the IRP's ₹1 tolerance) from a line but not from its total:
  // refused, never registered smaller.
  hide(record, pick) {
    const r = record as InvoiceEvent;
    const taxed = r.lines.filter((l) => Number(l.igst) > 1 || Number(l.cgst) > 1);
    if (taxed.length === 0) return false;
    const l = taxed[pick % taxed.length]!;
    if (Number(l.igst) > 1) l.igst = '0.00';
    else l.cgst = '0.00';
    return true;
  },
});
