/**
 * Supply-type rules (README §9): who may be the recipient, where the place of supply may be, and which
 * tax heads an item may carry. Intra-state means the supplier's state equals the place of supply; SEZ
 * supplies and exports are always inter-state.
 */
import { finding, type Finding } from '../../errors.js';
import { canonicalStateCode, OTHER_COUNTRY_STATE_CODE } from '../../masters/index.js';
import { amt } from '../money.js';
import type { LooseInvoice, Rule } from './types.js';

const isExport = (t?: string) => t === 'EXPWP' || t === 'EXPWOP';
const isSez = (t?: string) => t === 'SEZWP' || t === 'SEZWOP';

export function isIntraState(inv: LooseInvoice): boolean {
  const type = inv.TranDtls?.SupTyp;
  const seller = inv.SellerDtls?.Stcd;
  const pos = inv.BuyerDtls?.Pos;
  if (isExport(type) || isSez(type) || typeof seller !== 'string' || typeof pos !== 'string') return false;
  return canonicalStateCode(seller) === canonicalStateCode(pos);
}

export const recipientRules: Rule = (inv) => {
  const out: Finding[] = [];
  const type = inv.TranDtls?.SupTyp;
  const buyer = inv.BuyerDtls;
  if (!type || !buyer) return out;
  const pos = typeof buyer.Pos === 'string' ? canonicalStateCode(buyer.Pos) : undefined;
  const stcd = typeof buyer.Stcd === 'string' ? canonicalStateCode(buyer.Stcd) : undefined;
  if (isExport(type)) {
    if (buyer.Gstin !== undefined && buyer.Gstin !== 'URP') out.push(finding('2248', 'BuyerDtls.Gstin'));
    if (pos !== undefined && pos !== OTHER_COUNTRY_STATE_CODE) {
      const sellerState = inv.SellerDtls?.Stcd;
      out.push(
        typeof sellerState === 'string' && canonicalStateCode(sellerState) === pos
          ? finding('2181', 'BuyerDtls.Pos')
          : finding('2229', 'BuyerDtls.Pos', [type]),
      );
    }
    if (stcd !== undefined && stcd !== OTHER_COUNTRY_STATE_CODE)
      out.push(finding('2261', 'BuyerDtls.Stcd', [type]));
    if (!inv.ExpDtls || !inv.ExpDtls.CntCode)
      out.push(finding('2208', 'ExpDtls.CntCode', [], 'ExpDtls.CntCode is mandatory for exports'));
    return out;
  }
  if (buyer.Gstin === 'URP') {
    out.push(
      type === 'DEXP' ? finding('2171', 'BuyerDtls.Gstin') : finding('2212', 'BuyerDtls.Gstin', [type]),
    );
  }
  if (pos === OTHER_COUNTRY_STATE_CODE) out.push(finding('2242', 'BuyerDtls.Pos', [type]));
  return out;
};

export const reverseChargeRule: Rule = (inv) => {
  const type = inv.TranDtls?.SupTyp;
  // RegRev=Y only for B2B and SEZ supplies.
  if (inv.TranDtls?.RegRev === 'Y' && type && (isExport(type) || type === 'DEXP'))
    return [finding('2162', 'TranDtls.RegRev')];
  return [];
};

export const ecommerceRule: Rule = (inv) => {
  const ecm = inv.TranDtls?.EcmGstin;
  // An e-commerce operator registers for TCS: its GSTIN carries `C` in the 14th place.
  if (typeof ecm === 'string' && ecm.length === 15 && ecm[13] !== 'C')
    return [finding('2195', 'TranDtls.EcmGstin')];
  return [];
};

export const sezRules: Rule = (inv, ctx) => {
  const out: Finding[] = [];
  const seller = inv.SellerDtls?.Gstin;
  const buyer = inv.BuyerDtls?.Gstin;
  const type = inv.TranDtls?.SupTyp;
  if (typeof seller === 'string' && ctx.taxpayerType?.(seller) === 'SEZ')
    out.push(finding('2231', 'SellerDtls.Gstin', [seller]));
  if (type && typeof buyer === 'string' && buyer !== 'URP') {
    const buyerType = ctx.taxpayerType?.(buyer);
    if (isSez(type) && buyerType !== undefined && buyerType !== 'SEZ')
      out.push(finding('2247', 'BuyerDtls.Gstin', [type]));
    if (type === 'B2B' && buyerType === 'SEZ') out.push(finding('2246', 'BuyerDtls.Gstin', [type]));
  }
  return out;
};

/** Which tax heads each item may carry, given the supply's geography. */
export const taxHeadRules: Rule = (inv) => {
  const out: Finding[] = [];
  const type = inv.TranDtls?.SupTyp;
  const items = Array.isArray(inv.ItemList) ? inv.ItemList : [];
  const intra = isIntraState(inv);
  const igstOnIntra = inv.TranDtls?.IgstOnIntra === 'Y';
  if (igstOnIntra && !intra && !isExport(type) && !isSez(type) && inv.BuyerDtls?.Pos && inv.SellerDtls?.Stcd)
    out.push(finding('2262', 'BuyerDtls.Pos'));
  items.forEach((item, i) => {
    const at = `ItemList[${i}]`;
    const sl = String(item?.SlNo ?? i + 1);
    const hsn = String(item?.HsnCd ?? '');
    const [igst, cgst, sgst] = [amt(item?.IgstAmt), amt(item?.CgstAmt), amt(item?.SgstAmt)];
    const hasSplit = cgst > 0 || sgst > 0;
    if (isExport(type)) {
      if (hasSplit) out.push(finding('2180', `${at}.CgstAmt`, [hsn]));
    } else if (isSez(type)) {
      if (hasSplit) out.push(finding('2237', `${at}.CgstAmt`, [hsn]));
    } else if (intra && !igstOnIntra) {
      if (igst > 0) out.push(finding('2172', `${at}.IgstAmt`, [sl]));
      if (cgst !== sgst) out.push(finding('2227', `${at}.SgstAmt`, [hsn]));
    } else if (hasSplit) {
      out.push(finding('2174', `${at}.CgstAmt`, [sl]));
    }
  });
  return out;
};
