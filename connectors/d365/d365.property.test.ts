import { conservationSuite } from '../testkit/conservation.js';
import type { SalesInvoiceEvent } from './record.js';

conservationSuite('d365', {
  features: {
    lineCharges: true,
    itemRoundOff: false,
    foreignCurrency: true,
    headerDiscount: true,
    tcs: true,
  },
  // A tax component the site's tables do not know.
  hide(record, pick) {
    const r = record as SalesInvoiceEvent;
    const valued = r.TaxTransactions.filter((t) => Number(t.TaxAmount) !== 0);
    if (valued.length === 0) return false;
    valued[pick % valued.length]!.TaxComponent = 'KFC';
    return true;
  },
});
