/**
 * Renders a scenario as SAP would publish it: pricing conditions per item carrying the values SAP's
 * pricing computed (half-up to the paisa per condition), header conditions for freight, header discount
 * and the DIFF rounding condition.
 */
import { decToAvroBytes, paise, type Dec, type Paise } from '../../shared/decimal.js';
import { compactDate, eventTs, lookup, numericId, reverse } from '../render-util.js';
import { compute, dec, type Party, type Scenario } from '../scenario.js';
import { SCALE, type BillingDocumentEvent, type Partner, type PricingElement } from '../../sap/record.js';
import { SAP_REGION_TO_STATE, SAP_UNIT_TO_UQC } from '../../sap/tables.js';

const UNIT = reverse(SAP_UNIT_TO_UQC, { PCS: 'ST', NOS: 'EA', OTH: 'CT' });
const REGION = reverse(SAP_REGION_TO_STATE);
const DOC = { INV: ['M', 'F2'], CRN: ['O', 'G2'], DBN: ['P', 'L2'] } as const;

const amt = (p: Paise) => decToAvroBytes({ units: BigInt(p), scale: 2 }, SCALE.amount);
const rate = (d: Dec) => decToAvroBytes(d, SCALE.rate);
const qty = (d: Dec) => decToAvroBytes(d, SCALE.quantity);

function address(p: Party) {
  return {
    NAME1: p.legalName,
    STREET: p.addr1,
    STR_SUPPL1: p.addr2 ?? null,
    CITY1: p.city,
    POST_CODE1: p.country === 'IN' ? String(p.pin) : '00000',
    REGION: p.country === 'IN' ? lookup(REGION, p.stateCode, 'SAP region') : '',
    TEL_NUMBER: p.phone ? `+91 ${p.phone}` : null,
    SMTP_ADDR: p.email ?? null,
  };
}

function partner(role: string, p: Party): Partner {
  return {
    PARVW: role,
    KUNNR: numericId(p.gstin ?? p.legalName, 10, '0000'),
    NAME2: null,
    LAND1: p.country,
    STCD3: p.gstin ?? null,
    ...address(p),
  };
}

export function renderSap(s: Scenario): BillingDocumentEvent {
  const c = compute(s);
  const cond: PricingElement[] = [];
  // Steps of a typical India pricing procedure: price 10, discounts 20, pre-tax charges 30, GST 100,
  // cess 110, TCS 200, post-tax charges 900, rounding 950.
  const push = (
    KPOSN: string,
    STUNR: number,
    KSCHL: string,
    KOAID: 'A' | 'B' | 'D',
    KRECH: string,
    KBETR: Dec,
    base: Paise,
    value: Paise,
  ) =>
    cond.push({
      KPOSN,
      STUNR,
      KSCHL,
      KRECH,
      KBETR: rate(KBETR),
      KPEIN: 1,
      KMEIN: '',
      KAWRT: amt(base),
      KWERT: amt(value),
      KINAK: '',
      KSTAT: '',
      KOAID,
    });
  const half = (d: Dec): Dec => ({ units: d.units * 5n, scale: d.scale + 1 });
  const posnrOf = (i: number) => String((i + 1) * 10).padStart(6, '0');
  const nonTax = new Map<string, Paise>();
  const taxOf = new Map<string, Paise>();
  const add = (m: Map<string, Paise>, k: string, v: Paise) => m.set(k, (m.get(k) ?? 0) + v);

  const items = c.lines.map((l, i) => {
    const posnr = posnrOf(i);
    const p = l.line.product;
    push(posnr, 10, 'PR00', 'B', 'C', l.price, paise(l.qty), l.gross);
    if (l.discount)
      push(
        posnr,
        20,
        l.line.discountPct === '100' ? 'R100' : 'K007',
        'A',
        'A',
        { units: -dec(l.line.discountPct!).units, scale: dec(l.line.discountPct!).scale },
        l.gross,
        -l.discount,
      );
    if (l.charge) push(posnr, 30, 'ZFRT', 'A', 'B', { units: BigInt(l.charge), scale: 2 }, 0, l.charge);
    if (c.intra) {
      push(posnr, 100, 'JOCG', 'D', 'A', half(l.gstRate), l.taxable, l.cgst);
      push(posnr, 101, c.utgst ? 'JOUG' : 'JOSG', 'D', 'A', half(l.gstRate), l.taxable, l.sgst);
    } else push(posnr, 102, 'JOIG', 'D', 'A', l.gstRate, l.taxable, l.igst);
    if (l.cess) push(posnr, 110, 'ZCMP', 'D', 'A', l.cessRate, l.taxable, l.cess);
    if (l.cessNonAdvl) push(posnr, 111, 'ZCMQ', 'D', 'C', dec(p.cessPerUnit!), paise(l.qty), l.cessNonAdvl);
    if (l.tcs)
      push(
        posnr,
        200,
        'JTC1',
        'D',
        'A',
        dec(l.line.tcsPct!),
        l.taxable + l.igst + l.cgst + l.sgst + l.cess + l.cessNonAdvl,
        l.tcs,
      );
    add(nonTax, posnr, l.taxable);
    add(taxOf, posnr, l.igst + l.cgst + l.sgst + l.cess + l.cessNonAdvl + l.tcs);
    return {
      POSNR: posnr,
      MATNR: p.code,
      ARKTX: p.name,
      FKIMG: qty(l.qty),
      VRKME: p.service && p.uqc === 'OTH' ? 'H' : lookup(UNIT, p.uqc, 'SAP unit'),
      NETWR: amt(0),
      MWSBP: amt(0),
      WERKS: '1000',
      STEUC: p.hsn,
      PSTYV: p.service ? 'TAD' : 'TAN',
      EAN11: p.barcode ?? null,
      CHARG: l.line.batch?.name ?? null,
      HERKL: null,
      AUBEL: numericId(s.docNo, 10, '0010'),
    };
  });
  // Post-tax header amounts: at header level (KPOSN 000000), or distributed onto the first item the
  // way SAP distributes header conditions (DIFF, post-tax freight, header discount).
  const headerAt = s.roundOffAt === 'item' ? posnrOf(0) : '000000';
  const post = (STUNR: number, KSCHL: string, KOAID: 'A', value: Paise) => {
    push(headerAt, STUNR, KSCHL, KOAID, 'B', { units: BigInt(value), scale: 2 }, 0, value);
    if (headerAt !== '000000') add(nonTax, headerAt, value);
  };
  if (c.freight) post(900, 'ZFRT', 'A', c.freight);
  if (c.headerDiscount) post(910, 'ZHDS', 'A', -c.headerDiscount);
  if (c.roundOff) post(950, 'DIFF', 'A', c.roundOff);
  for (const item of items) {
    item.NETWR = amt(nonTax.get(item.POSNR) ?? 0);
    item.MWSBP = amt(taxOf.get(item.POSNR) ?? 0);
  }

  const [VBTYP, FKART] = DOC[s.docType];
  const partners = [partner('AG', s.buyer), partner('RE', s.buyer), partner('RG', s.buyer)];
  if (s.shipTo)
    partners.push({
      ...partner('WE', s.shipTo),
      KUNNR: numericId(`${s.shipTo.pin}${s.shipTo.legalName.length}`, 10, '0000'),
    });
  const sum = (f: (l: (typeof c.lines)[number]) => Paise) => c.lines.reduce((t, l) => t + f(l), 0);
  return {
    EVENT: s.kind === 'generate' ? 'CREATED' : s.kind === 'cancel' ? 'CANCELED' : 'EWB_REQUESTED',
    EVENT_ID: s.id,
    EVENT_TS: eventTs(s.docDate),
    VBRK: {
      VBELN: numericId(s.docNo, 10, '0090'),
      FKART,
      VBTYP,
      FKDAT: compactDate(s.docDate),
      WAERK: s.currency?.code ?? 'INR',
      KURRF: s.currency ? decToAvroBytes(dec(s.currency.rate), SCALE.exchangeRate) : null,
      BUKRS: '1000',
      BUPLA: `B${s.seller.stateCode}1`,
      XBLNR: s.docNo,
      KUNAG: partners[0]!.KUNNR,
      KUNRG: partners[0]!.KUNNR,
      NETWR: amt(sum((l) => l.taxable) + c.freight - c.headerDiscount + c.roundOff),
      MWSBK: amt(sum((l) => l.igst + l.cgst + l.sgst + l.cess + l.cessNonAdvl + l.tcs)),
      ZTERM: s.creditDays ? `NT${s.creditDays}` : '0001',
      SFAKN: null,
      ZZSUPTYP: s.supply,
      ZZRCM: s.reverseCharge ? 'X' : '',
      ZZECMGSTIN: null,
      ZZIGSTONINTRA: '',
    },
    SELLER: { BUPLA: `B${s.seller.stateCode}1`, GSTIN: s.seller.gstin!, ...address(s.seller) },
    PARTNERS: partners,
    VBRP: items,
    PRCD_ELEMENTS: cond,
    PRECEDING: s.preceding
      ? [
          {
            VBELN: numericId(s.preceding.docNo, 10, '0090'),
            XBLNR: s.preceding.docNo,
            FKDAT: compactDate(s.preceding.docDate),
          },
        ]
      : [],
    EXPORT: s.export
      ? {
          LAND1: s.export.country,
          PORT_CODE: s.export.port,
          SHIPBILL_NO: s.export.shipBillNo ?? null,
          SHIPBILL_DATE: s.export.shipBillDate ? compactDate(s.export.shipBillDate) : null,
          FOREIGN_CURRENCY: s.export.currency,
        }
      : null,
    IRN:
      (s.cancel?.irn ?? s.ewb?.irn)
        ? {
            IRN: (s.cancel?.irn ?? s.ewb?.irn)!,
            ACK_NO: '112510012345678',
            ACK_DATE: `${s.docDate} 10:15:00`,
          }
        : null,
    CANCEL: s.cancel ? { REASON: s.cancel.reason, REMARK: s.cancel.remark } : null,
    EWB: s.ewb
      ? {
          TRANSPORTER_GSTIN: s.ewb.transporterId ?? null,
          TRANSPORTER_NAME: s.ewb.transporterName ?? null,
          TRANS_MODE: s.ewb.mode,
          DISTANCE: s.ewb.distance,
          TRANS_DOC_NO: s.ewb.transDocNo ?? null,
          TRANS_DOC_DATE: s.ewb.transDocDate ? compactDate(s.ewb.transDocDate) : null,
          VEHICLE_NO: s.ewb.vehicleNo ?? null,
          VEHICLE_TYPE: s.ewb.vehicleType ?? null,
        }
      : null,
  };
}
