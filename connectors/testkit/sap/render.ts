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
  const push = (KPOSN: string, KSCHL: string, KRECH: string, KBETR: Dec, base: Paise, value: Paise) =>
    cond.push({
      KPOSN,
      STUNR: cond.length * 10 + 10,
      KSCHL,
      KRECH,
      KBETR: rate(KBETR),
      KAWRT: amt(base),
      KWERT: amt(value),
      KINAK: '',
    });
  const half = (d: Dec): Dec => ({ units: d.units * 5n, scale: d.scale + 1 });

  const items = c.lines.map((l, i) => {
    const posnr = String((i + 1) * 10).padStart(6, '0');
    const p = l.line.product;
    push(posnr, 'PR00', 'C', l.price, paise(l.qty), l.gross);
    if (l.discount)
      push(
        posnr,
        'K007',
        'A',
        { units: -dec(l.line.discountPct!).units, scale: dec(l.line.discountPct!).scale },
        l.gross,
        -l.discount,
      );
    if (c.intra) {
      push(posnr, 'JOCG', 'A', half(l.gstRate), l.taxable, l.cgst);
      push(posnr, c.utgst ? 'JOUG' : 'JOSG', 'A', half(l.gstRate), l.taxable, l.sgst);
    } else push(posnr, 'JOIG', 'A', l.gstRate, l.taxable, l.igst);
    if (l.cess) push(posnr, 'ZCMP', 'A', l.cessRate, l.taxable, l.cess);
    if (l.cessNonAdvl) push(posnr, 'ZCMQ', 'C', dec(p.cessPerUnit!), paise(l.qty), l.cessNonAdvl);
    if (l.tcs)
      push(
        posnr,
        'JTC1',
        'A',
        dec(l.line.tcsPct!),
        l.taxable + l.igst + l.cgst + l.sgst + l.cess + l.cessNonAdvl,
        l.tcs,
      );
    return {
      POSNR: posnr,
      MATNR: p.code,
      ARKTX: p.name,
      FKIMG: qty(l.qty),
      VRKME: p.service && p.uqc === 'OTH' ? 'H' : lookup(UNIT, p.uqc, 'SAP unit'),
      NETWR: amt(l.taxable),
      MWSBP: amt(l.igst + l.cgst + l.sgst + l.cess + l.cessNonAdvl),
      WERKS: '1000',
      STEUC: p.hsn,
      PSTYV: p.service ? 'TAD' : 'TAN',
      EAN11: p.barcode ?? null,
      CHARG: l.line.batch?.name ?? null,
      HERKL: null,
      AUBEL: numericId(s.docNo, 10, '0010'),
    };
  });
  if (c.freight) push('000000', 'ZFRT', 'B', { units: BigInt(c.freight), scale: 2 }, 0, c.freight);
  if (c.headerDiscount)
    push('000000', 'ZHDS', 'B', { units: BigInt(-c.headerDiscount), scale: 2 }, 0, -c.headerDiscount);
  if (c.roundOff) push('000000', 'DIFF', 'B', { units: BigInt(c.roundOff), scale: 2 }, 0, c.roundOff);

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
      WAERK: 'INR',
      BUKRS: '1000',
      BUPLA: `B${s.seller.stateCode}1`,
      XBLNR: s.docNo,
      KUNAG: partners[0]!.KUNNR,
      KUNRG: partners[0]!.KUNNR,
      NETWR: amt(sum((l) => l.taxable)),
      MWSBK: amt(sum((l) => l.igst + l.cgst + l.sgst + l.cess + l.cessNonAdvl)),
      ZTERM: s.creditDays ? `NT${s.creditDays}` : '0001',
      SFAKN: null,
      ZZSUPTYP: s.supply,
      ZZRCM: s.reverseCharge ? 'X' : '',
      ZZECMGSTIN: null,
    },
    SELLER: { BUPLA: `B${s.seller.stateCode}1`, GSTIN: s.seller.gstin!, ...address(s.seller) },
    PARTNERS: partners,
    VBRP: items,
    PRCD_ELEMENTS: cond,
    PRECEDING: s.preceding
      ? {
          VBELN: numericId(s.preceding.docNo, 10, '0090'),
          XBLNR: s.preceding.docNo,
          FKDAT: compactDate(s.preceding.docDate),
        }
      : null,
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
