/**
 * One mutation of a clean sample per rule, each expecting its IRP code (and path). The bases are the
 * shared samples, so every rule is pinned against a real, accepted invoice.
 */
import { describe, expect, it } from 'vitest';
import { validateInvoice, type ValidationContext } from '../../../src/irp/validate/index.js';
import { dayAfter, invoiceSample, type Json } from '../../support/irp-samples.js';

const INTER = 'b2b-inter-state.request.json'; // seller 02 → POS 36, IGST 18 %
const INTRA = 'b2b-intra-state.fixture.request.json'; // seller 02 → POS 02, CGST + SGST 9 %
const EXPORT = 'export-expwop.fixture.request.json';
const FULL = 'nic-doc-sample-full.request.json'; // every block, cess, state cess, OthChrg, RndOffAmt
const CREDIT = 'credit-note.request.json';

interface Case {
  rule: string;
  base: string;
  mutate: (inv: Json) => void;
  code: string;
  path?: string;
  ctx?: (inv: Json) => Partial<ValidationContext>;
}

const item0 = (inv: Json) => inv.ItemList[0];

const cases: Case[] = [
  // schema: required fields, patterns, lengths, enums, ranges
  {
    rule: 'supplier GSTIN required',
    base: INTER,
    mutate: (i) => delete i.SellerDtls.Gstin,
    code: '2155',
    path: 'SellerDtls.Gstin',
  },
  {
    rule: 'recipient GSTIN required',
    base: INTER,
    mutate: (i) => delete i.BuyerDtls.Gstin,
    code: '2214',
    path: 'BuyerDtls.Gstin',
  },
  {
    rule: 'PIN and state required',
    base: INTER,
    mutate: (i) => delete i.SellerDtls.Pin,
    code: '2215',
    path: 'SellerDtls.Pin',
  },
  {
    rule: 'legal name required',
    base: INTER,
    mutate: (i) => delete i.BuyerDtls.LglNm,
    code: '2216',
    path: 'BuyerDtls.LglNm',
  },
  {
    rule: 'location required',
    base: INTER,
    mutate: (i) => delete i.SellerDtls.Loc,
    code: '2217',
    path: 'SellerDtls.Loc',
  },
  {
    rule: 'GSTIN shape',
    base: INTER,
    mutate: (i) => (i.BuyerDtls.Gstin = '36ambpg7773m002'),
    code: '3028',
    path: 'BuyerDtls.Gstin',
  },
  {
    rule: 'document date format',
    base: INTER,
    mutate: (i) => (i.DocDtls.Dt = '2023-10-02'),
    code: '2144',
    path: 'DocDtls.Dt',
  },
  {
    rule: 'calendar date',
    base: INTER,
    mutate: (i) => (i.DocDtls.Dt = '31/02/2023'),
    code: '2144',
    path: 'DocDtls.Dt',
  },
  {
    rule: 'document type enum',
    base: INTER,
    mutate: (i) => (i.DocDtls.Typ = 'BIL'),
    code: '2161',
    path: 'DocDtls.Typ',
  },
  {
    rule: 'reverse charge enum',
    base: INTER,
    mutate: (i) => (i.TranDtls.RegRev = 'X'),
    code: '2159',
    path: 'TranDtls.RegRev',
  },
  {
    rule: 'IgstOnIntra enum',
    base: INTER,
    mutate: (i) => (i.TranDtls.IgstOnIntra = 'YES'),
    code: '2263',
    path: 'TranDtls.IgstOnIntra',
  },
  {
    rule: 'supply type enum (no B2C)',
    base: INTER,
    mutate: (i) => (i.TranDtls.SupTyp = 'B2C'),
    code: '2140',
    path: 'TranDtls.SupTyp',
  },
  {
    rule: 'document number pattern',
    base: INTER,
    mutate: (i) => (i.DocDtls.No = '0123'),
    code: '2140',
    path: 'DocDtls.No',
  },
  {
    rule: 'document number length',
    base: INTER,
    mutate: (i) => (i.DocDtls.No = 'A'.repeat(17)),
    code: '2140',
    path: 'DocDtls.No',
  },
  {
    rule: 'double quote in text',
    base: INTER,
    mutate: (i) => (i.BuyerDtls.Addr1 = 'Block "A"'),
    code: '2140',
    path: 'BuyerDtls.Addr1',
  },
  {
    rule: 'item list not empty',
    base: INTER,
    mutate: (i) => (i.ItemList = []),
    code: '2228',
    path: 'ItemList',
  },
  {
    rule: 'HSN pattern',
    base: INTER,
    mutate: (i) => (item0(i).HsnCd = '12345'),
    code: '2176',
    path: 'ItemList[0].HsnCd',
  },
  {
    rule: 'unit pattern',
    base: INTER,
    mutate: (i) => (item0(i).Unit = 'N0S'),
    code: '2177',
    path: 'ItemList[0].Unit',
  },
  {
    rule: 'PIN range',
    base: INTER,
    mutate: (i) => (i.BuyerDtls.Pin = 12345),
    code: '2140',
    path: 'BuyerDtls.Pin',
  },
  {
    rule: 'round-off range',
    base: INTER,
    mutate: (i) => (i.ValDtls.RndOffAmt = 100),
    code: '2140',
    path: 'ValDtls.RndOffAmt',
  },
  {
    rule: 'amounts not negative',
    base: INTER,
    mutate: (i) => (item0(i).Discount = -1),
    code: '2140',
    path: 'ItemList[0].Discount',
  },
  {
    rule: 'amount is a number',
    base: INTER,
    mutate: (i) => (item0(i).TotAmt = 'lots'),
    code: '2140',
    path: 'ItemList[0].TotAmt',
  },
  {
    rule: 'empty payload',
    base: INTER,
    mutate: (i) => Object.keys(i).forEach((k) => delete i[k]),
    code: '2255',
    path: '',
  },
  {
    rule: 'port code pattern',
    base: EXPORT,
    mutate: (i) => (i.ExpDtls.Port = 'IN-ABG'),
    code: '2201',
    path: 'ExpDtls.Port',
  },
  {
    rule: 'country code pattern',
    base: FULL,
    mutate: (i) => (i.ExpDtls.CntCode = 'UAE'),
    code: '2202',
    path: 'ExpDtls.CntCode',
  },
  // masters
  {
    rule: 'unit from UQC master',
    base: INTER,
    mutate: (i) => (item0(i).Unit = 'ABCD'),
    code: '2177',
    path: 'ItemList[0].Unit',
  },
  {
    rule: 'GST rate slab',
    base: INTER,
    mutate: (i) => {
      item0(i).GstRt = 17;
      item0(i).IgstAmt = 204;
      item0(i).TotItemVal = 1404;
      i.ValDtls.IgstVal = 204;
      i.ValDtls.TotInvVal = 1404;
    },
    code: '2240',
    path: 'ItemList[0].GstRt',
  },
  {
    rule: 'seller state code exists',
    base: INTER,
    mutate: (i) => (i.SellerDtls.Stcd = '25'),
    code: '2259',
    path: 'SellerDtls.Stcd',
  },
  {
    rule: 'recipient state code exists',
    base: INTER,
    mutate: (i) => (i.BuyerDtls.Stcd = '39'),
    code: '2260',
    path: 'BuyerDtls.Stcd',
  },
  {
    rule: 'POS is a state',
    base: INTER,
    mutate: (i) => (i.BuyerDtls.Pos = '98'),
    code: '2243',
    path: 'BuyerDtls.Pos',
  },
  {
    rule: 'ship-to state exists',
    base: FULL,
    mutate: (i) => (i.ShipDtls.Stcd = '98'),
    code: '2200',
    path: 'ShipDtls.Stcd',
  },
  {
    rule: 'PIN belongs to state',
    base: INTER,
    mutate: (i) => (i.SellerDtls.Pin = 400001),
    code: '2178',
    path: 'SellerDtls.Pin',
  },
  {
    rule: 'port from master',
    base: EXPORT,
    mutate: (i) => (i.ExpDtls.Port = 'INZZZ9'),
    code: '2201',
    path: 'ExpDtls.Port',
  },
  {
    rule: 'currency from master',
    base: FULL,
    mutate: (i) => (i.ExpDtls.ForCur = 'XYZ'),
    code: '2203',
    path: 'ExpDtls.ForCur',
  },
  // parties
  {
    rule: 'supplier GSTIN state = Stcd',
    base: INTER,
    mutate: (i) => {
      i.SellerDtls.Stcd = '03';
      i.SellerDtls.Pin = 141001;
    },
    code: '2258',
    path: 'SellerDtls.Stcd',
  },
  {
    rule: 'recipient GSTIN state = Stcd',
    base: INTER,
    mutate: (i) => {
      i.BuyerDtls.Stcd = '29';
      i.BuyerDtls.Pin = 560001;
    },
    code: '2265',
    path: 'BuyerDtls.Stcd',
  },
  {
    rule: 'supplier ≠ recipient',
    base: INTER,
    mutate: (i) => {
      i.BuyerDtls.Gstin = i.SellerDtls.Gstin;
      i.BuyerDtls.Stcd = '02';
      i.BuyerDtls.Pin = 171302;
    },
    code: '2211',
    path: 'BuyerDtls.Gstin',
  },
  {
    rule: 'recipient registered',
    base: INTER,
    mutate: () => {},
    ctx: () => ({ taxpayerStatus: (g) => (g.startsWith('36') ? 'UNKNOWN' : 'ACT') }),
    code: '3028',
    path: 'BuyerDtls.Gstin',
  },
  {
    rule: 'recipient active',
    base: INTER,
    mutate: () => {},
    ctx: () => ({ taxpayerStatus: (g) => (g.startsWith('36') ? 'CNL' : 'ACT') }),
    code: '3029',
    path: 'BuyerDtls.Gstin',
  },
  {
    rule: 'SEZ supplier cannot generate',
    base: INTER,
    mutate: () => {},
    ctx: () => ({ taxpayerType: (g) => (g.startsWith('02') ? 'SEZ' : 'REG') }),
    code: '2231',
    path: 'SellerDtls.Gstin',
  },
  {
    rule: 'SEZ supply needs SEZ recipient',
    base: INTER,
    mutate: (i) => (i.TranDtls.SupTyp = 'SEZWP'),
    ctx: () => ({ taxpayerType: () => 'REG' }),
    code: '2247',
    path: 'BuyerDtls.Gstin',
  },
  {
    rule: 'B2B recipient not SEZ',
    base: INTER,
    mutate: () => {},
    ctx: () => ({ taxpayerType: (g) => (g.startsWith('36') ? 'SEZ' : 'REG') }),
    code: '2246',
    path: 'BuyerDtls.Gstin',
  },
  {
    rule: 'e-commerce GSTIN is TCS',
    base: INTER,
    mutate: (i) => (i.TranDtls.EcmGstin = '29AWGPV7107B1Z1'),
    code: '2195',
    path: 'TranDtls.EcmGstin',
  },
  // supply type
  {
    rule: 'B2B recipient not URP',
    base: INTER,
    mutate: (i) => (i.BuyerDtls.Gstin = 'URP'),
    code: '2212',
    path: 'BuyerDtls.Gstin',
  },
  {
    rule: 'deemed export recipient not URP',
    base: INTER,
    mutate: (i) => {
      i.TranDtls.SupTyp = 'DEXP';
      i.BuyerDtls.Gstin = 'URP';
    },
    code: '2171',
    path: 'BuyerDtls.Gstin',
  },
  {
    rule: 'B2B POS not 96',
    base: INTER,
    mutate: (i) => (i.BuyerDtls.Pos = '96'),
    code: '2242',
    path: 'BuyerDtls.Pos',
  },
  {
    rule: 'export recipient is URP',
    base: EXPORT,
    mutate: (i) => (i.BuyerDtls.Gstin = '36AMBPG7773M002'),
    code: '2248',
    path: 'BuyerDtls.Gstin',
  },
  {
    rule: 'export POS is 96',
    base: EXPORT,
    mutate: (i) => (i.BuyerDtls.Pos = '36'),
    code: '2229',
    path: 'BuyerDtls.Pos',
  },
  {
    rule: 'export is not intra-state',
    base: EXPORT,
    mutate: (i) => (i.BuyerDtls.Pos = '02'),
    code: '2181',
    path: 'BuyerDtls.Pos',
  },
  {
    rule: 'export recipient state is 96',
    base: EXPORT,
    mutate: (i) => {
      i.BuyerDtls.Stcd = '36';
      i.BuyerDtls.Pin = 500001;
    },
    code: '2261',
    path: 'BuyerDtls.Stcd',
  },
  {
    rule: 'export needs country code',
    base: EXPORT,
    mutate: (i) => delete i.ExpDtls.CntCode,
    code: '2208',
    path: 'ExpDtls.CntCode',
  },
  {
    rule: 'export has no CGST/SGST',
    base: EXPORT,
    mutate: (i) => {
      Object.assign(item0(i), { CgstAmt: 9, SgstAmt: 9, TotItemVal: 100018 });
      Object.assign(i.ValDtls, { CgstVal: 9, SgstVal: 9, TotInvVal: 100018 });
    },
    code: '2180',
    path: 'ItemList[0].CgstAmt',
  },
  {
    rule: 'reverse charge only B2B/SEZ',
    base: EXPORT,
    mutate: (i) => (i.TranDtls.RegRev = 'Y'),
    code: '2162',
    path: 'TranDtls.RegRev',
  },
  {
    rule: 'SEZ has no CGST/SGST',
    base: INTRA,
    mutate: (i) => (i.TranDtls.SupTyp = 'SEZWP'),
    code: '2237',
    path: 'ItemList[0].CgstAmt',
  },
  {
    rule: 'intra-state has no IGST',
    base: INTRA,
    mutate: (i) => {
      Object.assign(item0(i), { CgstAmt: 0, SgstAmt: 0, IgstAmt: 252 });
      Object.assign(i.ValDtls, { CgstVal: 0, SgstVal: 0, IgstVal: 252 });
    },
    code: '2172',
    path: 'ItemList[0].IgstAmt',
  },
  {
    rule: 'intra-state CGST = SGST',
    base: INTRA,
    mutate: (i) => {
      Object.assign(item0(i), { CgstAmt: 125.5, SgstAmt: 126.5 });
      Object.assign(i.ValDtls, { CgstVal: 125.5, SgstVal: 126.5 });
    },
    code: '2227',
    path: 'ItemList[0].SgstAmt',
  },
  {
    rule: 'intra-state needs CGST/SGST',
    base: INTRA,
    mutate: (i) => {
      Object.assign(item0(i), { CgstAmt: 0, SgstAmt: 0, TotItemVal: 1400 });
      Object.assign(i.ValDtls, { CgstVal: 0, SgstVal: 0, TotInvVal: 1400 });
    },
    code: '2241',
    path: 'ItemList[0].CgstAmt',
  },
  {
    rule: 'CGST/SGST match the rate',
    base: INTRA,
    mutate: (i) => {
      Object.assign(item0(i), { CgstAmt: 70, SgstAmt: 70, TotItemVal: 1540 });
      Object.assign(i.ValDtls, { CgstVal: 70, SgstVal: 70, TotInvVal: 1540 });
    },
    code: '2234',
    path: 'ItemList[0].CgstAmt',
  },
  {
    rule: 'inter-state has no CGST/SGST',
    base: INTER,
    mutate: (i) => {
      Object.assign(item0(i), { IgstAmt: 0, CgstAmt: 108, SgstAmt: 108 });
      Object.assign(i.ValDtls, { IgstVal: 0, CgstVal: 108, SgstVal: 108 });
    },
    code: '2174',
    path: 'ItemList[0].CgstAmt',
  },
  {
    rule: 'IGST matches the rate',
    base: INTER,
    mutate: (i) => {
      Object.assign(item0(i), { IgstAmt: 100, TotItemVal: 1300 });
      Object.assign(i.ValDtls, { IgstVal: 100, TotInvVal: 1300 });
    },
    code: '2235',
    path: 'ItemList[0].IgstAmt',
  },
  {
    rule: 'IGST on intra needs POS = supplier state',
    base: INTER,
    mutate: (i) => (i.TranDtls.IgstOnIntra = 'Y'),
    code: '2262',
    path: 'BuyerDtls.Pos',
  },
  // items
  {
    rule: 'unique SlNo',
    base: FULL,
    mutate: (i) => {
      const copy = structuredClone(item0(i));
      i.ItemList.push(copy);
      for (const k of ['AssVal', 'IgstVal', 'CesVal', 'StCesVal']) i.ValDtls[k] *= 2;
      i.ValDtls.TotInvVal = 12897.7 * 2 + 20 - 10 + 0.3;
    },
    code: '2233',
    path: 'ItemList[1].SlNo',
  },
  {
    rule: 'item limit',
    base: INTER,
    mutate: () => {},
    ctx: () => ({ maxItems: 0 }),
    code: '2173',
    path: 'ItemList',
  },
  {
    rule: 'goods need a quantity',
    base: INTER,
    mutate: (i) => delete item0(i).Qty,
    code: '2238',
    path: 'ItemList[0].Qty',
  },
  {
    rule: 'goods need a unit',
    base: INTER,
    mutate: (i) => delete item0(i).Unit,
    code: '2239',
    path: 'ItemList[0].Unit',
  },
  {
    rule: 'AssAmt = TotAmt − Discount',
    base: FULL,
    mutate: (i) => (item0(i).Discount = 20),
    code: '2193',
    path: 'ItemList[0].AssAmt',
  },
  {
    rule: 'TotItemVal = AssAmt + taxes + OthChrg',
    base: FULL,
    mutate: (i) => (item0(i).OthChrg = 15),
    code: '2194',
    path: 'ItemList[0].TotItemVal',
  },
  {
    rule: 'cess matches its rate',
    base: FULL,
    mutate: (i) => (item0(i).CesRt = 6),
    code: '2266',
    path: 'ItemList[0].CesAmt',
  },
  {
    rule: 'state cess matches its rate',
    base: FULL,
    mutate: (i) => (item0(i).StateCesRt = 10),
    code: '2267',
    path: 'ItemList[0].StateCesAmt',
  },
  // totals
  {
    rule: 'AssVal = Σ AssAmt',
    base: FULL,
    mutate: (i) => (i.ValDtls.AssVal += 2),
    code: '2182',
    path: 'ValDtls.AssVal',
  },
  {
    rule: 'SgstVal = Σ SgstAmt',
    base: INTRA,
    mutate: (i) => (i.ValDtls.SgstVal = 130),
    code: '2183',
    path: 'ValDtls.SgstVal',
  },
  {
    rule: 'CgstVal = Σ CgstAmt',
    base: INTRA,
    mutate: (i) => (i.ValDtls.CgstVal = 120),
    code: '2184',
    path: 'ValDtls.CgstVal',
  },
  {
    rule: 'IgstVal = Σ IgstAmt',
    base: INTER,
    mutate: (i) => (i.ValDtls.IgstVal = 210),
    code: '2185',
    path: 'ValDtls.IgstVal',
  },
  {
    rule: 'CesVal = Σ (CesAmt + CesNonAdvlAmt)',
    base: FULL,
    mutate: (i) => (i.ValDtls.CesVal = 498.94),
    code: '2186',
    path: 'ValDtls.CesVal',
  },
  {
    rule: 'StCesVal = Σ (StateCesAmt + StateCesNonAdvlAmt)',
    base: FULL,
    mutate: (i) => (i.ValDtls.StCesVal = 1197.46),
    code: '2187',
    path: 'ValDtls.StCesVal',
  },
  {
    rule: 'TotInvVal = Σ TotItemVal + OthChrg − Discount + RndOffAmt',
    base: FULL,
    mutate: (i) => (i.ValDtls.TotInvVal = 12906.9),
    code: '2189',
    path: 'ValDtls.TotInvVal',
  },
  {
    rule: 'discount below invoice value',
    base: INTER,
    mutate: (i) => {
      i.ValDtls.Discount = 1416;
      i.ValDtls.TotInvVal = 0;
    },
    code: '2220',
    path: 'ValDtls.Discount',
  },
  // document
  {
    rule: 'credit note names its invoice',
    base: CREDIT,
    mutate: (i) => delete i.RefDtls,
    code: '2191',
    path: 'RefDtls.PrecDocDtls',
  },
  {
    rule: 'document date not in the future',
    base: INTER,
    mutate: () => {},
    ctx: (i) => ({ now: new Date(dayAfter(i).getTime() - 3 * 86_400_000) }),
    code: '2218',
    path: 'DocDtls.Dt',
  },
  {
    rule: '30-day window for large taxpayers',
    base: INTER,
    mutate: () => {},
    ctx: (i) => ({ now: new Date(dayAfter(i).getTime() + 29 * 86_400_000), isLargeTaxpayer: () => true }),
    code: '2305',
    path: 'DocDtls.Dt',
  },
];

describe('validation rules: one mutation per rule', () => {
  it.each(cases)('$rule → $code', ({ base, mutate, code, path, ctx }) => {
    const inv = invoiceSample(base);
    const now = dayAfter(inv);
    const before = validateInvoice(inv, { now });
    expect(before.errors, 'the base sample must be clean').toEqual([]);
    mutate(inv);
    const context = { now, ...(ctx?.(inv) ?? {}) };
    const result = validateInvoice(inv, context);
    expect(result.valid).toBe(false);
    const match = result.errors.find((e) => e.code === code);
    expect(match, `expected ${code} in ${JSON.stringify(result.errors)}`).toBeDefined();
    if (path !== undefined) expect(match!.path).toBe(path);
  });

  it('reports all findings at once, not the first', () => {
    const inv = invoiceSample(FULL);
    inv.DocDtls.Dt = '2020-08-01';
    inv.ItemList[0].Unit = 'ABCD';
    inv.ValDtls.TotInvVal = 1;
    inv.BuyerDtls.Pos = '96';
    const codes = validateInvoice(inv, { now: new Date('2020-09-01') }).errors.map((e) => e.code);
    expect(codes).toEqual(expect.arrayContaining(['2144', '2177', '2189', '2242']));
  });

  it('30-day window: day 29 passes, day 30 fails, small taxpayers never', () => {
    const inv = invoiceSample(INTER);
    const docDay = dayAfter(inv).getTime() - 86_400_000;
    const at = (days: number, large: boolean) =>
      validateInvoice(inv, {
        now: new Date(docDay + days * 86_400_000 + 3_600_000),
        isLargeTaxpayer: () => large,
      }).errors.map((e) => e.code);
    expect(at(29, true)).not.toContain('2305');
    expect(at(30, true)).toContain('2305');
    expect(at(400, false)).not.toContain('2305');
  });

  it('messages fill their placeholders from the catalogue', () => {
    const inv = invoiceSample(INTER);
    inv.BuyerDtls.Gstin = 'URP';
    const f = validateInvoice(inv, { now: dayAfter(inv) }).errors.find((e) => e.code === '2212');
    expect(f?.message).toBe('The recipient GSTIN cannot be URP for supply type B2B');
  });
});
