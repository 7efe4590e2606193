import { conservationSuite } from '../testkit/conservation.js';
import type { ReceivablesTransactionEvent } from './record.js';

conservationSuite('oracle', {
  features: {
    lineCharges: false,
    itemRoundOff: false,
    foreignCurrency: true,
    headerDiscount: true,
    tcs: true,
  },
  // A tax the site's tables do not name, or a line of a type the mapping does not place.
  hide(record, pick) {
    const r = record as ReceivablesTransactionEvent;
    const taxes = r.Lines.flatMap((l) => l.TaxLines).filter((x) => x.TaxAmount !== 0);
    const others = r.Lines.filter((l) => l.LineType !== 'LINE' && l.LineAmount !== 0);
    const n = taxes.length + others.length;
    if (n === 0) return false;
    const k = pick % n;
    if (k < taxes.length) taxes[k]!.Tax = 'KERALA FLOOD CESS';
    else others[k - taxes.length]!.LineType = 'MISC';
    return true;
  },
});
