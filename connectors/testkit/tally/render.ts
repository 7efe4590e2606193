/**
 * Renders a scenario as the Tally bridge would publish a voucher: item lines with Tally's quantity and
 * rate texts, and one duty ledger per tax type whose amount Tally rounds once for the whole voucher
 * (so it may differ by a few paise from the sum of per-item roundings — the mapping's job to spread).
 */
import { stateName } from '../../../src/irp/masters/index.js';
import { decToString, paise, type Dec, type Paise } from '../../shared/decimal.js';
import { roundOffToRupee } from '../../shared/invoice.js';
import { compactDate, lookup, money, reverse } from '../render-util.js';
import { compute, dec, withoutPayment, type Party, type Scenario } from '../scenario.js';
import { COUNTRY_NAMES } from '../../shared/states.js';
import type { LedgerEntry, TallyVoucherEvent } from '../../tally/record.js';
import { TALLY_CANCEL_REASON, TALLY_TRANSPORT_MODE, TALLY_UNIT_TO_UQC } from '../../tally/tables.js';

const UNIT: Record<string, string> = {
  ...reverse(TALLY_UNIT_TO_UQC),
  NOS: 'Nos',
  PCS: 'Pcs',
  KGS: 'Kgs',
  LTR: 'Ltr',
  MTR: 'Mtr',
  SQM: 'Sqm',
  BOX: 'Box',
  BAG: 'Bags',
  BTL: 'Btl',
  CTN: 'Ctn',
  PAC: 'Pkt',
  DRM: 'Drum',
  QTL: 'Qtl',
  MTS: 'MT',
  THD: 'Th',
  PRS: 'Prs',
  GMS: 'Gms',
  OTH: 'Ct',
};
const COUNTRY = reverse(COUNTRY_NAMES);
const PARENT = { INV: 'Sales', CRN: 'Credit Note', DBN: 'Debit Note' } as const;

function nature(s: Scenario, intra: boolean): string {
  switch (s.supply) {
    case 'SEZWP':
      return 'Sales to SEZ - Taxable';
    case 'SEZWOP':
      return 'Sales to SEZ - LUT/Bond';
    case 'EXPWP':
      return 'Exports Taxable';
    case 'EXPWOP':
      return 'Exports - LUT/Bond';
    case 'DEXP':
      return 'Deemed Exports Taxable';
    default:
      return intra ? 'Sales Taxable' : 'Interstate Sales Taxable';
  }
}

const address = (p: Party) => [p.addr1, ...(p.addr2 ? [p.addr2] : []), p.city];
const stateOf = (p: Party) => (p.country === 'IN' ? stateName(p.stateCode)! : 'Not Applicable');

/** Σ base × rate / 100, rounded once: how a Tally duty ledger is computed. */
function ledgerTotal(parts: readonly { base: Paise; rate: Dec }[]): Paise {
  const scale = Math.max(0, ...parts.map((p) => p.rate.scale));
  const units = parts.reduce(
    (s, p) => s + BigInt(p.base) * p.rate.units * 10n ** BigInt(scale - p.rate.scale),
    0n,
  );
  return paise({ units, scale: scale + 4 });
}

export function renderTally(s: Scenario): TallyVoucherEvent {
  const c = compute(s);
  const sign = s.docType === 'CRN' ? -1 : 1;
  const amt = (p: Paise) => money(p * sign);
  const half = (d: Dec): Dec => ({ units: d.units * 5n, scale: d.scale + 1 });
  const wop = withoutPayment(s);

  const ledgers: LedgerEntry[] = [];
  const plain = {
    APPROPRIATEFOR: '',
    GSTAPPROPRIATETO: '',
    EXCISEALLOCTYPE: '',
    HSNCODE: null,
    GSTRATE: null,
    GSTTYPEOFSUPPLY: null,
  };
  const ledger = (LEDGERNAME: string, TAXTYPE: string, amount: Paise, LEDGERTYPE = '') =>
    ledgers.push({ LEDGERNAME, ISPARTYLEDGER: 'No', TAXTYPE, LEDGERTYPE, AMOUNT: amt(amount), ...plain });
  let taxes = 0;
  if (!wop && !s.reverseCharge) {
    const add = (name: string, type: string, v: Paise) => {
      if (v === 0 && type !== 'Cess') return;
      ledger(name, type, v);
      taxes += v;
    };
    if (c.intra) {
      const share = ledgerTotal(c.lines.map((l) => ({ base: l.taxable, rate: half(l.gstRate) })));
      add('Output CGST', 'Central Tax', share);
      add(c.utgst ? 'Output UTGST' : 'Output SGST', c.utgst ? 'UT Tax' : 'State Tax', share);
    } else
      add(
        'Output IGST',
        'Integrated Tax',
        ledgerTotal(c.lines.map((l) => ({ base: l.taxable, rate: l.gstRate }))),
      );
    const cess =
      ledgerTotal(c.lines.map((l) => ({ base: l.taxable, rate: l.cessRate }))) +
      c.lines.reduce((t, l) => t + l.cessNonAdvl, 0);
    if (cess) add('Output Cess', 'Cess', cess);
  }
  const tcs = c.lines.reduce((t, l) => t + l.tcs, 0);
  if (tcs) ledger('TCS Payable', 'TCS', tcs);
  if (c.freight) ledger('Freight Outward', '', c.freight);
  if (c.headerDiscount) ledger('Discount Allowed', '', -c.headerDiscount);
  const before = c.lines.reduce((t, l) => t + l.taxable, 0) + taxes + tcs + c.freight - c.headerDiscount;
  const roundOff = s.roundToRupee ? roundOffToRupee(before) : 0;
  if (roundOff) ledger('Round Off', '', roundOff, 'Invoice Rounding');
  ledgers.unshift({
    LEDGERNAME: s.buyer.legalName,
    ISPARTYLEDGER: 'Yes',
    TAXTYPE: '',
    LEDGERTYPE: '',
    AMOUNT: amt(-(before + roundOff)),
    ...plain,
  });

  const ship = s.shipTo;
  return {
    REQUEST: s.kind === 'generate' ? 'GENERATE_IRN' : s.kind === 'cancel' ? 'CANCEL_IRN' : 'GENERATE_EWB',
    EVENTID: s.id,
    COMPANY: {
      NAME: s.seller.legalName,
      GSTIN: s.seller.gstin ?? null,
      ADDRESS: address(s.seller),
      STATENAME: stateOf(s.seller),
      PINCODE: String(s.seller.pin),
      PHONE: s.seller.phone ?? null,
      EMAIL: s.seller.email ?? null,
    },
    VOUCHER: {
      VOUCHERTYPENAME: s.docType === 'INV' ? 'Sales - GST' : PARENT[s.docType],
      VOUCHERTYPEPARENT: PARENT[s.docType],
      VOUCHERNUMBER: s.docNo,
      DATE: compactDate(s.docDate),
      PARTYLEDGERNAME: s.buyer.legalName,
      PARTYNAME: s.buyer.legalName,
      PARTYGSTIN: s.buyer.gstin ?? null,
      BASICBUYERADDRESS: address(s.buyer),
      STATENAME: stateOf(s.buyer),
      COUNTRYOFRESIDENCE: lookup(COUNTRY, s.buyer.country, 'country name'),
      PARTYPINCODE: s.buyer.country === 'IN' ? String(s.buyer.pin) : null,
      PLACEOFSUPPLY: s.pos === '96' ? 'Not Applicable' : stateName(s.pos)!,
      GSTREGISTRATIONTYPE: s.buyer.gstin ? 'Regular' : 'Unregistered',
      GSTNATUREOFTRANSACTION: nature(s, c.intra),
      ISREVERSECHARGEAPPLICABLE: s.reverseCharge ? 'Yes' : 'No',
      CONSIGNEE: ship
        ? {
            NAME: ship.legalName,
            GSTIN: ship.gstin ?? null,
            ADDRESS: address(ship),
            STATENAME: stateOf(ship),
            PINCODE: String(ship.pin),
            COUNTRYNAME: ship.country === 'IN' ? 'India' : lookup(COUNTRY, ship.country, 'country name'),
          }
        : null,
      ORIGINALINVOICENO: s.preceding?.docNo ?? null,
      ORIGINALINVOICEDATE: s.preceding ? compactDate(s.preceding.docDate) : null,
      PORTCODE: s.export?.port ?? null,
      SHIPPINGBILLNO: s.export?.shipBillNo ?? null,
      SHIPPINGBILLDATE: s.export?.shipBillDate ? compactDate(s.export.shipBillDate) : null,
      FOREIGNCURRENCY: s.export?.currency ?? null,
      IRN: s.cancel?.irn ?? s.ewb?.irn ?? null,
      ALLINVENTORYENTRIES: c.lines.map((l) => {
        const p = l.line.product;
        const unit = p.service && p.uqc === 'OTH' ? 'Hrs' : lookup(UNIT, p.uqc, 'Tally unit');
        return {
          STOCKITEMNAME: p.name,
          HSNCODE: p.hsn,
          GSTTYPEOFSUPPLY: p.service ? 'Services' : 'Goods',
          GSTRATE: decToString(l.gstRate),
          CESSRATE: l.cess ? decToString(l.cessRate) : null,
          CESSRATEPERUNIT: p.cessPerUnit && !wop ? decToString(dec(p.cessPerUnit)) : null,
          RATE: `${decToString(l.price)}/${unit}`,
          BILLEDQTY: ` ${decToString({ units: l.qty.units * BigInt(sign), scale: l.qty.scale })} ${unit}`,
          DISCOUNT: l.line.discountPct ?? '0',
          AMOUNT: amt(l.taxable),
          BATCHNAME: l.line.batch?.name ?? null,
        };
      }),
      LEDGERENTRIES: ledgers,
      UNITS: [],
    },
    CANCEL: s.cancel
      ? {
          REASON: lookup(reverse(TALLY_CANCEL_REASON), s.cancel.reason, 'cancel reason'),
          REMARKS: s.cancel.remark,
        }
      : null,
    EWAYBILL: s.ewb
      ? {
          TRANSPORTERID: s.ewb.transporterId ?? null,
          TRANSPORTERNAME: s.ewb.transporterName ?? null,
          MODE: lookup(reverse(TALLY_TRANSPORT_MODE), s.ewb.mode, 'transport mode'),
          DISTANCE: String(s.ewb.distance),
          DOCNO: s.ewb.transDocNo ?? null,
          DOCDATE: s.ewb.transDocDate ? compactDate(s.ewb.transDocDate) : null,
          VEHICLENUMBER: s.ewb.vehicleNo ?? null,
          VEHICLETYPE:
            s.ewb.vehicleType === 'O'
              ? 'Over Dimensional Cargo'
              : s.ewb.vehicleType === 'R'
                ? 'Regular'
                : null,
        }
      : null,
  };
}
