import { conservationSuite } from '../testkit/conservation.js';
import type { SalesInvoiceEvent } from './record.js';

conservationSuite('erpnext', {
  features: {
    lineCharges: false,
    itemRoundOff: false,
    foreignCurrency: true,
    headerDiscount: true,
    tcs: true,
  },
  // A GST row of a tax type the mapping does not know.
  hide(record, pick) {
    const r = record as SalesInvoiceEvent;
    const rows = r.doc.taxes.filter((t) => t.gst_tax_type && t.tax_amount !== 0);
    if (rows.length === 0) return false;
    rows[pick % rows.length]!.gst_tax_type = 'kerala_flood_cess';
    return true;
  },
});
