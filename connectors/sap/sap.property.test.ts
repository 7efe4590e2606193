import { conservationSuite } from '../testkit/conservation.js';
import { decFromAvroBytes } from '../shared/decimal.js';
import type { BillingDocumentEvent } from './record.js';

conservationSuite('sap', {
  features: { lineCharges: true, itemRoundOff: true, foreignCurrency: true, headerDiscount: true, tcs: true },
  // A condition type this system's tables do not know (a site Z condition), carrying part of the value.
  hide(record, pick) {
    const r = record as BillingDocumentEvent;
    const valued = r.PRCD_ELEMENTS.filter((c) => decFromAvroBytes(c.KWERT, 2).units !== 0n && c.KSTAT === '');
    if (valued.length === 0) return false;
    valued[pick % valued.length]!.KSCHL = 'ZZ99';
    return true;
  },
});
