import { conservationSuite } from '../testkit/conservation.js';
import type { TallyVoucherEvent } from './record.js';

conservationSuite('tally', {
  features: {
    lineCharges: false,
    itemRoundOff: false,
    foreignCurrency: false,
    headerDiscount: true,
    tcs: true,
  },
  // Tally rounds each duty ledger once for the voucher: its party ledger and duty ledgers are the truth.
  erpFigures(record) {
    const r = record as TallyVoucherEvent;
    const p = (a: string) => Math.round(Number(a) * 100);
    const l = r.VOUCHER.LEDGERENTRIES;
    // Reverse charge: no duty ledgers (the recipient pays); the scenario's own figures apply.
    if (r.VOUCHER.ISREVERSECHARGEAPPLICABLE === 'Yes') return undefined;
    return {
      total: 0 - p(l.find((x) => x.ISPARTYLEDGER === 'Yes')!.AMOUNT),
      tax: l.filter((x) => x.TAXTYPE !== '' && x.TAXTYPE !== 'TCS').reduce((s, x) => s + p(x.AMOUNT), 0),
    };
  },
  // A duty ledger of a tax type the site's tables do not know.
  hide(record, pick) {
    const r = record as TallyVoucherEvent;
    const duty = r.VOUCHER.LEDGERENTRIES.filter((l) => l.TAXTYPE !== '' && Number(l.AMOUNT) !== 0);
    if (duty.length === 0) return false;
    duty[pick % duty.length]!.TAXTYPE = 'Kerala Flood Cess';
    return true;
  },
});
