/**
 * The business cases every connector's golden fixtures cover, as scenarios with fixed parties (GSTINs
 * with valid check characters, PINs inside their state's range). Dated February 2025; validate with
 * {@link FIXTURE_NOW}.
 */
import { gstinCheckCharacter } from '../../src/irp/gstin.js';
import { PRODUCTS, type Product } from './catalog.js';
import { portParty } from './random-scenario.js';
import type { Party, Scenario, ScenarioLine } from './scenario.js';

/** The IRP's "today" for fixture validation: a few days after the fixture documents. */
export const FIXTURE_NOW = new Date('2025-02-20T06:30:00Z');

const gstinFor = (first14: string) => `${first14}${gstinCheckCharacter(first14)}`;

export const SELLER: Party = {
  gstin: gstinFor('29AAHCD4521K1Z'),
  legalName: 'Deccan Polymers Private Limited',
  tradeName: 'Deccan Polymers',
  addr1: 'Plot 42, Peenya Industrial Area, 2nd Phase',
  addr2: 'Near Peenya Metro Station',
  city: 'Bengaluru',
  pin: 560058,
  stateCode: '29',
  country: 'IN',
  phone: '8041234567',
  email: 'accounts@deccanpolymers.in',
};

export const BUYER_INTRA: Party = {
  gstin: gstinFor('29AAACK7731M1Z'),
  legalName: 'Kaveri Engineering Works Private Limited',
  addr1: 'Plot 118, Hebbal Industrial Area',
  city: 'Mysuru',
  pin: 570016,
  stateCode: '29',
  country: 'IN',
  email: 'purchase@kaveriengg.in',
};

export const BUYER_INTER: Party = {
  gstin: gstinFor('27AAFCS2290B1Z'),
  legalName: 'Sahyadri Agro Foods Limited',
  addr1: 'J-Block, Bhosari MIDC',
  city: 'Pune',
  pin: 411026,
  stateCode: '27',
  country: 'IN',
  phone: '2027123456',
};

export const SHIP_TO_INTER: Party = {
  gstin: gstinFor('27AAFCS2290B2Z'),
  legalName: 'Sahyadri Agro Foods Limited - Nagpur Depot',
  addr1: 'Plot 7, Hingna MIDC',
  city: 'Nagpur',
  pin: 440016,
  stateCode: '27',
  country: 'IN',
};

export const SEZ_BUYER: Party = {
  gstin: gstinFor('29AADCM6620Q1Z'),
  legalName: 'Manyata Tech Components SEZ Unit',
  addr1: 'Block D1, Manyata Embassy Business Park SEZ',
  city: 'Bengaluru',
  pin: 560045,
  stateCode: '29',
  country: 'IN',
};

export const FOREIGN_BUYER: Party = {
  legalName: 'Gulf Star Trading LLC',
  addr1: 'Jebel Ali Free Zone, Plot S30104',
  city: 'Dubai',
  pin: 999999,
  stateCode: '96',
  country: 'AE',
};

export const UT_SELLER: Party = {
  gstin: gstinFor('04AAECT1188H1Z'),
  legalName: 'Tricity Electricals Private Limited',
  addr1: 'Plot 212, Industrial Area Phase I',
  city: 'Chandigarh',
  pin: 160002,
  stateCode: '04',
  country: 'IN',
};

export const UT_BUYER: Party = {
  gstin: gstinFor('04AAFFC5512D1Z'),
  legalName: 'City Beautiful Builders LLP',
  addr1: 'SCO 33, Sector 17-C',
  city: 'Chandigarh',
  pin: 160017,
  stateCode: '04',
  country: 'IN',
};

const product = (code: string): Product => {
  const p = PRODUCTS.find((x) => x.code === code);
  if (!p) throw new Error(`no product ${code}`);
  return p;
};

const line = (
  code: string,
  qty: string,
  unitPrice: string,
  extra: Partial<ScenarioLine> = {},
): ScenarioLine => ({
  product: product(code),
  qty,
  unitPrice,
  ...extra,
});

const base = (id: string, over: Partial<Scenario>): Scenario => ({
  id,
  kind: 'generate',
  docType: 'INV',
  docNo: `DP/2425/${id.length}${id.charCodeAt(0)}`,
  docDate: '2025-02-14',
  supply: 'B2B',
  reverseCharge: false,
  seller: SELLER,
  buyer: BUYER_INTER,
  pos: '27',
  lines: [line('FG-1001', '1200', '7.45')],
  roundToRupee: true,
  creditDays: 30,
  ...over,
});

const INVOICE_IRN = 'a5c12dbd92ae1d0bbe6c1bd6a0b3c4f5e8a9b2c7d4e1f6a3b8c5d2e9f0a7b4c1';

/** Many lines of mixed goods: the 100+ line case. */
function manyLines(n: number): ScenarioLine[] {
  const goods = PRODUCTS.filter((p) => !p.service && !p.cessPerUnit);
  return Array.from({ length: n }, (_, i) => {
    const p = goods[i % goods.length]!;
    return line(
      p.code,
      String(1 + ((i * 7) % 23)),
      `${(p.price[0] + i * 1.37).toFixed(2)}`,
      i % 5 === 0 ? { discountPct: '5' } : {},
    );
  });
}

export const FIXTURE_CASES: readonly Scenario[] = [
  base('intra-state', {
    docNo: 'DP/2425/01001',
    buyer: BUYER_INTRA,
    pos: '29',
    lines: [
      line('FG-1001', '1200', '7.45'),
      line('FG-1010', '450', '33.80'),
      line('FG-1024', '300', '52.35'),
    ],
  }),
  base('inter-state', {
    docNo: 'DP/2425/01002',
    shipTo: SHIP_TO_INTER,
    lines: [
      line('FG-1002', '40', '2249.00'),
      line('FG-1003', '240', '154.50', { batch: { name: 'SF2502A' } }),
    ],
  }),
  base('services', {
    docNo: 'DP/2425/01003',
    lines: [line('SV-2001', '64', '2750.00'), line('SV-2002', '1', '185000.00')],
  }),
  base('discounts', {
    docNo: 'DP/2425/01004',
    buyer: BUYER_INTRA,
    pos: '29',
    lines: [
      line('FG-1011', '12', '61450.00', { discountPct: '7.5' }),
      line('FG-1004', '600', '84.90', { discountPct: '12' }),
      line('FG-1012', '80', '289.00'),
    ],
    headerDiscount: '1500.00',
  }),
  base('other-charges', {
    docNo: 'DP/2425/01005',
    lines: [
      line('FG-1006', '400', '365.00', { tcsPct: '0.1' }),
      line('FG-1019', '240', '182.40', { tcsPct: '0.1' }),
    ],
    freight: '3850.00',
  }),
  base('rounding', {
    docNo: 'DP/2425/01006',
    buyer: BUYER_INTRA,
    pos: '29',
    lines: [
      line('FG-1017', '3', '33.335'),
      line('FG-1014', '12.345', '6789.125'),
      line('FG-1018', '0.5', '0.05'),
    ],
  }),
  // Each line's CGST is exactly half a paisa over (9.495): per-line rounding and a document-level
  // ledger rounding (Tally) differ by a paisa, which the mapping must place on one line.
  base('half-paisa-taxes', {
    docNo: 'DP/2425/01013',
    buyer: BUYER_INTRA,
    pos: '29',
    lines: [line('FG-1019', '1', '105.50'), line('FG-1010', '1', '105.50'), line('FG-1001', '1', '105.50')],
    roundToRupee: false,
  }),
  base('cess', {
    docNo: 'DP/2425/01007',
    lines: [
      line('FG-1007', '2400', '21.50'),
      line('FG-1009', '12', '4650.00'),
      line('FG-1008', '2', '612500.00'),
    ],
  }),
  base('credit-note', {
    docType: 'CRN',
    docNo: 'DP/CN/2425/0041',
    docDate: '2025-02-17',
    lines: [line('FG-1002', '4', '2249.00')],
    preceding: { docNo: 'DP/2425/01002', docDate: '2025-02-14' },
  }),
  base('debit-note', {
    docType: 'DBN',
    docNo: 'DP/DN/2425/0007',
    docDate: '2025-02-18',
    buyer: BUYER_INTRA,
    pos: '29',
    lines: [line('FG-1010', '450', '1.20')],
    preceding: { docNo: 'DP/2425/01001', docDate: '2025-02-14' },
  }),
  base('export-with-payment', {
    docNo: 'DP/EX/2425/0012',
    supply: 'EXPWP',
    buyer: FOREIGN_BUYER,
    pos: '96',
    shipTo: portParty('INMAA1', SELLER),
    lines: [line('FG-1020', '120', '2150.00'), line('FG-1005', '600', '240.00')],
    export: {
      country: 'AE',
      currency: 'AED',
      port: 'INMAA1',
      shipBillNo: '4412786',
      shipBillDate: '2025-02-14',
      exchangeRate: '22.6500',
    },
  }),
  base('export-without-payment', {
    docNo: 'DP/EX/2425/0013',
    supply: 'EXPWOP',
    buyer: FOREIGN_BUYER,
    pos: '96',
    shipTo: portParty('INMAA1', SELLER),
    lines: [line('FG-1020', '80', '2150.00')],
    roundToRupee: false,
    export: {
      country: 'AE',
      currency: 'AED',
      port: 'INMAA1',
      shipBillNo: '4412790',
      shipBillDate: '2025-02-14',
      exchangeRate: '22.6500',
    },
  }),
  base('sez-with-payment', {
    docNo: 'DP/2425/01008',
    supply: 'SEZWP',
    buyer: SEZ_BUYER,
    pos: '29',
    lines: [line('FG-1011', '20', '58900.00')],
  }),
  base('sez-without-payment', {
    docNo: 'DP/2425/01009',
    supply: 'SEZWOP',
    buyer: SEZ_BUYER,
    pos: '29',
    lines: [line('FG-1004', '1000', '79.00')],
    roundToRupee: false,
  }),
  base('reverse-charge', {
    docNo: 'DP/2425/01010',
    reverseCharge: true,
    lines: [line('SV-2004', '2', '42500.00')],
  }),
  base('deemed-export', {
    docNo: 'DP/2425/01011',
    supply: 'DEXP',
    lines: [line('FG-1022', '12.5', '56400.00')],
  }),
  base('union-territory', {
    docNo: 'TE/2425/00077',
    seller: UT_SELLER,
    buyer: UT_BUYER,
    pos: '04',
    lines: [line('FG-1010', '1500', '31.20'), line('FG-1004', '200', '92.00')],
  }),
  base('many-lines', { docNo: 'DP/2425/01012', buyer: BUYER_INTRA, pos: '29', lines: manyLines(150) }),
  base('cancel', {
    kind: 'cancel',
    docNo: 'DP/2425/01002',
    cancel: { reason: '2', remark: 'Wrong rate keyed in for rice bags', irn: INVOICE_IRN },
  }),
  base('eway-bill', {
    kind: 'ewb',
    docNo: 'DP/2425/01002',
    shipTo: SHIP_TO_INTER,
    lines: [line('FG-1002', '40', '2249.00')],
    ewb: {
      distance: 0,
      mode: '1',
      vehicleNo: 'KA01AB1234',
      vehicleType: 'R',
      transporterId: gstinFor('29AAGCB1286Q1Z'),
      transporterName: 'Blue Dart Surface Logistics',
      irn: INVOICE_IRN,
    },
  }),
];
