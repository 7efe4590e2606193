import type { AccountMoveEvent } from './record.js';
import { conservationSuite } from '../testkit/conservation.js';

conservationSuite('odoo', {
  // Odoo has no charge booked inside an item's value and rounds once per document; freight is a line.
  features: {
    lineCharges: false,
    itemRoundOff: false,
    foreignCurrency: true,
    headerDiscount: true,
    tcs: true,
    chargesAsItems: true,
  },
  // A journal item of a kind the mapping does not read (display_type epd, Odoo 17's early-payment
  // discount lines) carrying a product line's value: beyond the IRP's ₹1 it must be refused.
  hide(record, pick) {
    const r = record as AccountMoveEvent;
    const valued = r.move.line_ids.filter((l) => l.display_type === 'product' && Math.abs(l.balance) > 1);
    if (valued.length === 0) return false;
    valued[pick % valued.length]!.display_type = 'epd';
    return true;
  },
});
