/**
 * Party rules: state codes exist, GSTINs carry the state of the address they come with, PINs fall in
 * their state, supplier and recipient differ, and (where the caller knows the IRP's GSTIN master) both
 * are registered and active.
 */
import { finding, type Finding } from '../../errors.js';
import { gstinStateCode } from '../../gstin.js';
import {
  canonicalStateCode,
  isStateCode,
  OTHER_COUNTRY_STATE_CODE,
  pinBelongsToState,
} from '../../masters/index.js';
import { num } from '../money.js';
import type { Rule } from './types.js';

const isGstin = (g: unknown): g is string => typeof g === 'string' && g.length === 15;

export const stateCodeRules: Rule = (inv) => {
  const out: Finding[] = [];
  const check = (value: unknown, path: string, code: string, params: string[] = []) => {
    if (typeof value === 'string' && !isStateCode(value))
      out.push(finding(code, path, params, `${value} is not a state code`));
  };
  check(inv.SellerDtls?.Stcd, 'SellerDtls.Stcd', '2259');
  check(inv.BuyerDtls?.Stcd, 'BuyerDtls.Stcd', '2260');
  check(inv.BuyerDtls?.Pos, 'BuyerDtls.Pos', '2243', [inv.TranDtls?.SupTyp ?? '']);
  check(inv.DispDtls?.Stcd, 'DispDtls.Stcd', '2200', [String(inv.DispDtls?.Stcd)]);
  check(inv.ShipDtls?.Stcd, 'ShipDtls.Stcd', '2200', [String(inv.ShipDtls?.Stcd)]);
  return out;
};

export const gstinStateRules: Rule = (inv) => {
  const out: Finding[] = [];
  const seller = inv.SellerDtls;
  if (isGstin(seller?.Gstin) && typeof seller.Stcd === 'string' && isStateCode(seller.Stcd)) {
    if (gstinStateCode(seller.Gstin) !== canonicalStateCode(seller.Stcd))
      out.push(finding('2258', 'SellerDtls.Stcd'));
  }
  const buyer = inv.BuyerDtls;
  const exportLike = buyer?.Stcd === OTHER_COUNTRY_STATE_CODE || buyer?.Gstin === 'URP';
  if (!exportLike && isGstin(buyer?.Gstin) && typeof buyer.Stcd === 'string' && isStateCode(buyer.Stcd)) {
    if (gstinStateCode(buyer.Gstin) !== canonicalStateCode(buyer.Stcd))
      out.push(finding('2265', 'BuyerDtls.Stcd'));
  }
  if (isGstin(seller?.Gstin) && seller.Gstin === buyer?.Gstin) out.push(finding('2211', 'BuyerDtls.Gstin'));
  return out;
};

export const pinRules: Rule = (inv) => {
  const out: Finding[] = [];
  const blocks = [
    ['SellerDtls', inv.SellerDtls],
    ['BuyerDtls', inv.BuyerDtls],
    ['DispDtls', inv.DispDtls],
    ['ShipDtls', inv.ShipDtls],
  ] as const;
  for (const [name, party] of blocks) {
    const pin = num(party?.Pin);
    const state = party?.Stcd;
    if (pin === undefined || typeof state !== 'string') continue;
    if (state === OTHER_COUNTRY_STATE_CODE) continue; // foreign addresses use 999999
    if (pinBelongsToState(pin, state) === false)
      out.push(finding('2178', `${name}.Pin`, [state], `${pin} is not a PIN of state ${state}`));
  }
  return out;
};

/** Registration status from the IRP's GSTIN master (3028 not registered, 3029 inactive or cancelled). */
export const registrationRules: Rule = (inv, ctx) => {
  if (!ctx.taxpayerStatus) return [];
  const out: Finding[] = [];
  const parties = [
    ['SellerDtls.Gstin', inv.SellerDtls?.Gstin],
    ['BuyerDtls.Gstin', inv.BuyerDtls?.Gstin],
  ] as const;
  for (const [path, gstin] of parties) {
    if (!isGstin(gstin)) continue;
    const status = ctx.taxpayerStatus(gstin);
    if (status === 'UNKNOWN') out.push(finding('3028', path, [], `${gstin} is not registered`));
    else if (status !== undefined && status !== 'ACT' && status !== 'PRO')
      out.push(finding('3029', path, [], `${gstin} has status ${status}`));
  }
  return out;
};
