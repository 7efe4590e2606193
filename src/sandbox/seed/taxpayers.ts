/**
 * The GSTIN master the sandbox starts with: every GSTIN of the shared samples (so each sample invoice
 * can be submitted as is), the demo account's taxpayer and buyer, and one large taxpayer for the 30-day
 * rule. Names and addresses come from the samples where they have them.
 */
import type { Taxpayer } from '../store/taxpayers-repo.js';

type Seed = Pick<Taxpayer, 'gstin' | 'legalName' | 'stateCode'> & Partial<Taxpayer>;

function taxpayer(seed: Seed): Taxpayer {
  return {
    tradeName: seed.legalName,
    addrBnm: null,
    addrBno: null,
    addrFlno: null,
    addrSt: null,
    addrLoc: null,
    pincode: null,
    txpType: 'REG',
    status: 'ACT',
    portalStatus: null,
    blkStatus: null,
    dtReg: '2017-07-01',
    dtDReg: null,
    largeTaxpayer: false,
    ...seed,
  };
}

/** The demo account's own GSTIN (valid check character; Himachal Pradesh, like the samples' sellers). */
export const DEMO_GSTIN = '02AABCI2026B1ZL';
/** A demo buyer in another state (Karnataka), for inter-state demo invoices. */
export const DEMO_BUYER_GSTIN = '29AABCB2026E1Z6';
/** A supplier with AATO ≥ ₹10 crore: documents older than 30 days are refused (§8). */
export const DEMO_LARGE_TAXPAYER_GSTIN = '27AAPFU0939F1ZV';

export const SEED_TAXPAYERS: readonly Taxpayer[] = [
  taxpayer({
    gstin: DEMO_GSTIN,
    legalName: 'IRP BRIDGE DEMO TRADERS PRIVATE LIMITED',
    tradeName: 'IRP Bridge Demo Traders',
    addrBno: '12',
    addrSt: 'Mall Road',
    addrLoc: 'Shimla',
    stateCode: '02',
    pincode: 171001,
  }),
  taxpayer({
    gstin: DEMO_BUYER_GSTIN,
    legalName: 'IRP BRIDGE DEMO BUYER LLP',
    tradeName: 'IRP Bridge Demo Buyer',
    addrBno: '100',
    addrSt: 'MG Road',
    addrLoc: 'Bengaluru',
    stateCode: '29',
    pincode: 560001,
  }),
  taxpayer({
    gstin: DEMO_LARGE_TAXPAYER_GSTIN,
    legalName: 'IRP BRIDGE DEMO LARGE ENTERPRISES',
    addrLoc: 'Mumbai',
    stateCode: '27',
    pincode: 400001,
    largeTaxpayer: true,
  }),
  taxpayer({
    gstin: '01AMBPG7773M002',
    legalName: '_Test Indian Registered Company',
    tradeName: 'Test Indian Registered Company',
    addrBnm: 'Test Address - 1',
    addrLoc: 'Test City',
    stateCode: '01',
    pincode: 193501,
  }),
  taxpayer({
    gstin: '02AMBPG7773M002',
    legalName: 'Resilient Test',
    addrBnm: 'Shubhanpura',
    addrLoc: 'Vadodara',
    stateCode: '02',
    pincode: 171302,
  }),
  taxpayer({
    gstin: '36AMBPG7773M002',
    legalName: '_Test Registered Customer',
    tradeName: 'Test Registered Customer',
    addrBnm: 'Test Address - 3',
    addrLoc: 'Test City',
    stateCode: '36',
    pincode: 500055,
  }),
  taxpayer({
    gstin: '24AAFCD5862R005',
    legalName: 'NIC company pvt ltd',
    tradeName: 'NIC Industries',
    addrBnm: '5th block, kuvempu layout',
    addrLoc: 'GANDHINAGAR',
    stateCode: '24',
    pincode: 382010,
  }),
  taxpayer({
    gstin: '29AWGPV7107B1Z1',
    legalName: 'VIKASEXPORTS ',
    tradeName: 'VIKAS EXPORTS',
    addrBnm: 'RAMANAGARA',
    addrBno: '562160',
    addrFlno: '1st floor',
    addrSt: '6th main',
    addrLoc: 'CHANNAPATNA',
    stateCode: '29',
    pincode: 562160,
    dtReg: '2021-05-03',
  }),
  taxpayer({ gstin: '37ARZPT4384Q1MT', legalName: 'NIC SAMPLE TAXPAYER 37', stateCode: '37' }),
  taxpayer({ gstin: '12AWGPV7107B1Z1', legalName: 'XYZ EXPORTS (TRANSPORTER)', stateCode: '12' }),
];
