/**
 * SAP billing document → IRP. Money comes from the pricing conditions (PRCD_ELEMENTS), which is where
 * SAP computes and rounds it; VBRP.NETWR and VBRP.MWSBP are used only to cross-check that no tax
 * condition went unmapped. See README.md for the field map.
 */
import { isUqc } from '../../src/irp/masters/index.js';
import type { ExpDtls } from '../../src/irp/schema/invoice.js';
import { decFromAvroBytes, paise, toNumber, ZERO, type Dec } from '../shared/decimal.js';
import { dateFromCompact, docNumber } from '../shared/doc.js';
import { cancelEvent, documentRef, ewbEvent, isExport, supplyType } from '../shared/events.js';
import {
  assembleInvoice,
  checkTaxHeads,
  exportDtls,
  generateEvent,
  NO_MONEY,
  postTax,
  precedingInvoice,
  type HeaderMoney,
  type Line,
  type LineMoney,
  type LineRates,
} from '../shared/invoice.js';
import { given, Issues } from '../shared/issues.js';
import { buyerDtls, compact, gstin, sellerDtls, shipDtls, text, type PartyInput } from '../shared/parties.js';
import type { DocType, MapResult } from '../types.js';
import {
  SCALE,
  type Address,
  type BillingDocumentEvent,
  type Partner,
  type PricingElement,
} from './record.js';
import { CONDITION_ROLES, SAP_REGION_TO_STATE, SAP_UNIT_TO_UQC, VBTYP_TO_DOC_TYPE } from './tables.js';

const amount = (b: Buffer): Dec => decFromAvroBytes(b, SCALE.amount);
const HEADER_ITEM = '000000';

export function mapBillingDocument(r: BillingDocumentEvent): MapResult {
  const issues = new Issues();
  const docType =
    VBTYP_TO_DOC_TYPE[r.VBRK.VBTYP] ??
    issues.add(
      'MAP_UNKNOWN_DOC_TYPE',
      'VBRK.VBTYP',
      `SD document category ${JSON.stringify(r.VBRK.VBTYP)} (FKART ${r.VBRK.FKART}) is not an invoice, credit or debit memo`,
    );
  const docNo = docNumber(issues, r.VBRK.XBLNR, 'VBRK.XBLNR');
  const docDate = dateFromCompact(issues, r.VBRK.FKDAT, 'VBRK.FKDAT');
  const sellerGstin = gstin(issues, r.SELLER.GSTIN, 'SELLER.GSTIN', 'supplier');
  const ref = () => documentRef(sellerGstin!, docType!, docNo!, docDate!, r.IRN?.IRN);

  if (r.EVENT === 'CANCELED') {
    const c = r.CANCEL;
    return cancelEvent(issues, ref, c && { reason: c.REASON, remark: c.REMARK }, {
      request: 'CANCEL',
      missing: 'a cancellation needs CANCEL.REASON and CANCEL.REMARK',
      reason: 'CANCEL.REASON',
      remark: 'CANCEL.REMARK',
    });
  }
  if (r.EVENT === 'EWB_REQUESTED') {
    const e = r.EWB;
    return ewbEvent(
      issues,
      ref,
      e && {
        distance: e.DISTANCE,
        mode: e.TRANS_MODE,
        transId: e.TRANSPORTER_GSTIN,
        transName: e.TRANSPORTER_NAME,
        transDocNo: e.TRANS_DOC_NO,
        transDocDt: e.TRANS_DOC_DATE
          ? dateFromCompact(issues, e.TRANS_DOC_DATE, 'EWB.TRANS_DOC_DATE')
          : undefined,
        vehNo: e.VEHICLE_NO,
        vehType: e.VEHICLE_TYPE,
      },
      {
        request: 'EWB',
        missing: 'an e-way bill request needs the EWB transport data',
        distance: 'EWB.DISTANCE',
        mode: 'EWB.TRANS_MODE',
        transId: 'EWB.TRANSPORTER_GSTIN',
        vehType: 'EWB.VEHICLE_TYPE',
      },
    );
  }
  return generate(r, issues, docType, docNo, docDate, sellerGstin);
}

function generate(
  r: BillingDocumentEvent,
  issues: Issues,
  docType: DocType | undefined,
  docNo: string | undefined,
  docDate: string | undefined,
  sellerGstin: string | undefined,
): MapResult {
  const k = r.VBRK;
  if (k.WAERK !== 'INR')
    issues.add(
      'MAP_UNSUPPORTED_CURRENCY',
      'VBRK.WAERK',
      `document currency ${k.WAERK}: bill in INR (the IRP takes INR amounts)`,
    );
  const supply = supplyType(issues, k.ZZSUPTYP, 'VBRK.ZZSUPTYP');
  const seller = sellerGstin
    ? sellerDtls(issues, party(r.SELLER, 'SELLER', 'SELLER.GSTIN', r.SELLER.GSTIN))
    : undefined;
  const buyerIdx = findPartner(r.PARTNERS, 'RE') ?? findPartner(r.PARTNERS, 'AG');
  if (buyerIdx === undefined)
    issues.add('MAP_MISSING_FIELD', 'PARTNERS', 'no bill-to (RE) or sold-to (AG) partner');
  const at = (i: number) => `PARTNERS[${i}]`;
  // Place of supply is the bill-to state: for bill-to-ship-to supplies (IGST Act s.10(1)(b)) that is
  // the law, and otherwise bill-to and ship-to are in the same state.
  const buyer =
    buyerIdx !== undefined && supply
      ? buyerDtls(issues, party(r.PARTNERS[buyerIdx]!, at(buyerIdx), `${at(buyerIdx)}.STCD3`), {
          exported: isExport(supply),
        })
      : undefined;
  const shipIdx = findPartner(r.PARTNERS, 'WE');
  const shipTo =
    shipIdx !== undefined &&
    buyerIdx !== undefined &&
    r.PARTNERS[shipIdx]!.KUNNR !== r.PARTNERS[buyerIdx]!.KUNNR
      ? shipDtls(issues, party(r.PARTNERS[shipIdx]!, at(shipIdx), `${at(shipIdx)}.STCD3`))
      : undefined;
  const lines = itemLines(issues, r);
  const header = headerMoney(r.PRCD_ELEMENTS);

  const preceding = precedingInvoice(
    issues,
    docType,
    r.PRECEDING
      ? {
          no: docNumber(issues, r.PRECEDING.XBLNR, 'PRECEDING.XBLNR'),
          date: dateFromCompact(issues, r.PRECEDING.FKDAT, 'PRECEDING.FKDAT'),
        }
      : undefined,
    { path: 'PRECEDING', message: 'a credit memo must reference the invoice it corrects' },
  );

  let exp: ExpDtls | undefined;
  if (supply && isExport(supply)) {
    const x = r.EXPORT;
    if (!x)
      issues.add(
        'MAP_MISSING_EXPORT_DETAILS',
        'EXPORT',
        'an export billing document needs the foreign trade data',
      );
    else
      exp = exportDtls(supply, {
        shipBNo: x.SHIPBILL_NO,
        shipBDt: x.SHIPBILL_DATE
          ? dateFromCompact(issues, x.SHIPBILL_DATE, 'EXPORT.SHIPBILL_DATE')
          : undefined,
        port: x.PORT_CODE,
        forCur: x.FOREIGN_CURRENCY,
        cntCode: given(x.LAND1),
      });
  }

  checkTaxHeads(issues, {
    supply,
    sellerState: seller?.Stcd,
    pos: buyer?.Pos,
    lines,
    posPath: `PARTNERS[${buyerIdx ?? 0}].REGION`,
  });
  return issues.result(() =>
    generateEvent(
      assembleInvoice({
        supply: supply!,
        reverseCharge: k.ZZRCM.trim() === 'X',
        ecmGstin: given(k.ZZECMGSTIN),
        docType: docType!,
        docNo: docNo!,
        docDate: docDate!,
        seller: seller!,
        buyer: buyer!,
        shipTo,
        lines: lines!,
        header,
        preceding,
        exp,
        pay: compact({ PayTerm: given(k.ZTERM) }),
      }),
    ),
  );
}

function findPartner(partners: readonly Partner[], role: string): number | undefined {
  const i = partners.findIndex((p) => p.PARVW === role);
  return i < 0 ? undefined : i;
}

function party(
  a: Address & { STCD3?: string | null; NAME2?: string | null },
  path: string,
  gstinPath: string,
  gstinValue?: string | null,
): PartyInput {
  return {
    gstin: gstinValue ?? a.STCD3,
    name: [a.NAME1, a.NAME2].filter(Boolean).join(' '),
    addr1: a.STREET,
    addr2: a.STR_SUPPL1,
    city: a.CITY1,
    pin: a.POST_CODE1,
    state: SAP_REGION_TO_STATE[a.REGION.trim()],
    stateRaw: a.REGION,
    phone: a.TEL_NUMBER,
    email: a.SMTP_ADDR,
    paths: {
      gstin: gstinPath,
      name: `${path}.NAME1`,
      city: `${path}.CITY1`,
      pin: `${path}.POST_CODE1`,
      state: `${path}.REGION`,
    },
  };
}

function conditionsByItem(
  elements: readonly PricingElement[],
): Map<string, { c: PricingElement; path: string }[]> {
  const m = new Map<string, { c: PricingElement; path: string }[]>();
  elements.forEach((c, i) => {
    if (c.KINAK.trim() !== '') return; // inactive conditions never reached the document's value
    const list = m.get(c.KPOSN) ?? [];
    list.push({ c, path: `PRCD_ELEMENTS[${i}]` });
    m.set(c.KPOSN, list);
  });
  return m;
}

function headerMoney(elements: readonly PricingElement[]): HeaderMoney {
  const h: HeaderMoney = { othChrg: 0, discount: 0, roundOff: 0 };
  for (const { c } of conditionsByItem(elements).get(HEADER_ITEM) ?? []) {
    const v = paise(amount(c.KWERT));
    const role = CONDITION_ROLES[c.KSCHL];
    if (role === 'freight') h.othChrg += v;
    else if (role === 'headerDiscount') h.discount -= v;
    else if (role === 'roundOff') h.roundOff += v;
  }
  return h;
}

function itemLines(issues: Issues, r: BillingDocumentEvent): Line[] | undefined {
  const byItem = conditionsByItem(r.PRCD_ELEMENTS);
  const before = issues.errors.length;
  const lines = r.VBRP.map((item, i): Line | undefined => {
    const at = `VBRP[${i}]`;
    const money: LineMoney = { ...NO_MONEY };
    let price: Dec | undefined;
    const rates: LineRates = { gst: ZERO, cess: ZERO };
    for (const { c } of byItem.get(item.POSNR) ?? []) {
      const v = paise(amount(c.KWERT));
      const rate = decFromAvroBytes(c.KBETR, SCALE.rate);
      const role = CONDITION_ROLES[c.KSCHL];
      switch (role) {
        case 'price':
          money.gross += v;
          price = rate;
          break;
        case 'discount':
          money.discount -= v;
          break;
        case 'cgst':
        case 'sgst':
        case 'igst':
        case 'cess':
        case 'cessNonAdvl':
        case 'tcs':
          postTax(money, rates, role, v, rate);
          break;
        default:
          break;
      }
    }
    if (price === undefined)
      return issues.add(
        'MAP_MISSING_FIELD',
        `${at}.POSNR`,
        `no active price condition (PR00/PPR0) for item ${item.POSNR}`,
      );
    const net = paise(amount(item.NETWR));
    if (net !== money.gross - money.discount)
      issues.add(
        'MAP_TOTAL_MISMATCH',
        `${at}.NETWR`,
        `item net value ${net / 100} ≠ price ${money.gross / 100} − discounts ${money.discount / 100}: an unmapped discount condition?`,
      );
    const tax = money.cgst + money.sgst + money.igst + money.cess + money.cessNonAdvl;
    if (paise(amount(item.MWSBP)) !== tax)
      issues.add(
        'MAP_TAX_MISMATCH',
        `${at}.MWSBP`,
        `item tax ${paise(amount(item.MWSBP)) / 100} ≠ mapped tax conditions ${tax / 100}: an unmapped tax condition type?`,
      );
    const unit = SAP_UNIT_TO_UQC[item.VRKME.trim()];
    if (!unit || !isUqc(unit))
      issues.add('MAP_UNKNOWN_UNIT', `${at}.VRKME`, `sales unit ${JSON.stringify(item.VRKME)} has no UQC`);
    const hsn = item.STEUC.replace(/[.\s]/g, '');
    if (!hsn) issues.add('MAP_MISSING_FIELD', `${at}.STEUC`, 'HSN/SAC control code is required');
    return {
      facts: compact({
        SlNo: String(Number(item.POSNR)),
        PrdDesc: text(item.ARKTX, 3, 300),
        IsServc: hsn.startsWith('99') ? 'Y' : 'N',
        HsnCd: hsn,
        Barcde: text(item.EAN11, 3, 30),
        Qty: toNumber(decFromAvroBytes(item.FKIMG, SCALE.quantity), 3),
        Unit: unit,
        UnitPrice: toNumber(price, 3),
        GstRt: toNumber(rates.gst, 3),
        CesRt: toNumber(rates.cess, 3),
        OrdLineRef: text(item.AUBEL, 1, 50),
        OrgCntry: given(item.HERKL),
        BchDtls: text(item.CHARG, 3, 20) ? { Nm: text(item.CHARG, 3, 20)! } : undefined,
      }),
      money,
    };
  });
  return issues.errors.length > before ? undefined : (lines as Line[]);
}
