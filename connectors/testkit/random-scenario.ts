/**
 * Seeded, realistic scenarios: a small company group selling to a few dozen customers, mostly B2B goods
 * with a tail of services, SEZ, exports, credit/debit notes, cancellations and e-way bill requests.
 * The same seed always yields the same events.
 */
import { gstinCheckCharacter } from '../../src/irp/gstin.js';
import {
  FOREIGN_BUYERS,
  NAME_PARTS,
  PLACES,
  PORT_ADDRESSES,
  PRODUCTS,
  SEZ_PLACES,
  type Place,
  type Product,
} from './catalog.js';
import type { SupplyType } from '../../src/irp/schema/invoice.js';
import { Rng } from './prng.js';
import { reverse } from './render-util.js';
import { STATE_ABBREVIATIONS } from '../shared/states.js';
import type { Party, Scenario, ScenarioLine } from './scenario.js';

/** A valid-format GSTIN with a correct check character (README §10) for a state and entity type. */
export function makeGstin(rng: Rng, stateCode: string, entity = 'C'): string {
  const pan = `${rng.letters(3)}${entity}${rng.letters(1)}${rng.digits(4)}${rng.letters(1)}`;
  const first14 = `${stateCode}${pan}${rng.int(1, 9)}Z`;
  return `${first14}${gstinCheckCharacter(first14)}`;
}

export function makeCompany(rng: Rng, place: Place): Party {
  const name = `${rng.pick(NAME_PARTS.first)} ${rng.pick(NAME_PARTS.second)} ${rng.pick(NAME_PARTS.suffix)}`;
  const slug = name.split(' ').slice(0, 2).join('').toLowerCase();
  return {
    gstin: makeGstin(rng, place.stateCode),
    legalName: name,
    tradeName: name.split(' ').slice(0, 2).join(' '),
    addr1: `Plot ${rng.int(1, 420)}, ${place.street}`,
    city: place.city,
    pin: place.pin,
    stateCode: place.stateCode,
    country: 'IN',
    phone: `9${rng.digits(9)}`,
    email: `accounts@${slug}.in`,
  };
}

export function foreignParty(rng: Rng): { party: Party; buyer: (typeof FOREIGN_BUYERS)[number] } {
  const b = rng.pick(FOREIGN_BUYERS);
  return {
    buyer: b,
    party: {
      legalName: b.name,
      addr1: b.addr1,
      city: b.city,
      pin: 999999,
      stateCode: '96',
      country: b.country,
    },
  };
}

export function portParty(port: string, exporter: Party): Party {
  const p = PORT_ADDRESSES[port]!;
  return {
    legalName: exporter.legalName,
    addr1: p.street,
    city: p.city,
    pin: p.pin,
    stateCode: p.stateCode,
    country: 'IN',
  };
}

function amountIn(rng: Rng, [lo, hi]: [number, number], decimals: number): string {
  const v = lo + rng.next() * (hi - lo);
  return v.toFixed(decimals);
}

export function randomLine(
  rng: Rng,
  product: Product,
  opts: { discount: boolean; tcs: boolean },
): ScenarioLine {
  const line: ScenarioLine = {
    product,
    qty: amountIn(rng, product.qty, product.qtyDecimals ?? 0),
    unitPrice: amountIn(rng, product.price, 2),
  };
  if (opts.discount) line.discountPct = String(rng.pick([2, 2.5, 5, 7.5, 10, 12, 15]));
  if (opts.tcs) line.tcsPct = '0.1';
  if (!product.service && rng.chance(0.1)) line.batch = { name: `B${rng.digits(6)}` };
  return line;
}

/** Share of each supply type among new invoices: mostly domestic B2B, a tail of SEZ and exports. */
const SUPPLY_MIX: readonly [SupplyType, number][] = [
  ['B2B', 0.82],
  ['SEZWP', 0.04],
  ['SEZWOP', 0.03],
  ['EXPWP', 0.04],
  ['EXPWOP', 0.05],
  ['DEXP', 0.02],
];

function weighted<T>(roll: number, mix: readonly [T, number][]): T {
  let acc = 0;
  for (const [value, share] of mix) if (roll < (acc += share)) return value;
  return mix[mix.length - 1]![0];
}

/** Vehicle registrations start with the state's letters (KA, MH …), which the abbreviations table holds. */
const VEHICLE_PREFIX = reverse(STATE_ABBREVIATIONS);

const isoDay = (base: string, minusDays: number) =>
  new Date(Date.parse(`${base}T00:00:00Z`) - minusDays * 86_400_000).toISOString().slice(0, 10);

export interface RandomOptions {
  seed: number;
  /** Latest document date (ISO); documents fall in the 20 days before it. */
  asOf?: string;
}

/** An endless, reproducible stream of scenarios. */
export function* randomScenarios({ seed, asOf = '2025-03-28' }: RandomOptions): Generator<Scenario> {
  const rng = new Rng(seed);
  const sellers = [0, 1, 2].map(() => makeCompany(rng, rng.pick(PLACES)));
  const customers = Array.from({ length: 40 }, () => makeCompany(rng, rng.pick(PLACES)));
  const sezUnits = SEZ_PLACES.map((p) => makeCompany(rng, p));
  const issued: Scenario[] = [];
  const counters = new Map<string, number>();
  const goods = PRODUCTS.filter((p) => !p.service);
  const services = PRODUCTS.filter((p) => p.service);

  for (let n = 1; ; n++) {
    const roll = rng.next();
    const previous = issued.length > 0 ? rng.pick(issued) : undefined;
    if (previous && roll < 0.06) {
      yield {
        ...previous,
        id: `evt-${seed}-${n}`,
        kind: 'cancel',
        cancel: {
          reason: rng.pick(['1', '2', '3', '4'] as const),
          remark: rng.pick([
            'Duplicate invoice raised',
            'Wrong rate keyed in',
            'Order cancelled by customer',
            'Customer requested re-issue',
          ]),
        },
      };
      continue;
    }
    if (
      previous &&
      previous.docType === 'INV' &&
      previous.lines.some((l) => !l.product.service) &&
      roll < 0.12
    ) {
      yield {
        ...previous,
        id: `evt-${seed}-${n}`,
        kind: 'ewb',
        ewb: {
          distance: rng.int(0, 1) === 0 ? 0 : rng.int(12, 1800),
          mode: '1',
          vehicleType: 'R',
          vehicleNo: `${VEHICLE_PREFIX[previous.seller.stateCode] ?? 'MH'}${rng.digits(2)}${rng.letters(2)}${rng.digits(4)}`,
          transporterName: 'Blue Dart Surface Logistics',
        },
      };
      continue;
    }

    const docType = previous && rng.chance(0.12) ? 'CRN' : previous && rng.chance(0.06) ? 'DBN' : 'INV';
    const base = docType === 'INV' ? undefined : previous;
    const seller = base?.seller ?? rng.pick(sellers);
    const supplyRoll = rng.next();
    const supply = base?.supply ?? weighted(supplyRoll, SUPPLY_MIX);
    const key = `${seller.gstin}/${docType}`;
    const seq = (counters.get(key) ?? 0) + 1;
    counters.set(key, seq);
    const drawn = isoDay(asOf, rng.int(0, 19));
    const docDate = base && base.docDate > drawn ? base.docDate : drawn;

    let buyer: Party;
    let pos: string;
    let shipTo: Party | undefined;
    let exp: Scenario['export'];
    if (base) {
      ({ buyer, pos, shipTo, export: exp } = base);
    } else if (supply === 'EXPWP' || supply === 'EXPWOP') {
      const f = foreignParty(rng);
      buyer = f.party;
      pos = '96';
      shipTo = portParty(f.buyer.port, seller);
      exp = {
        country: f.buyer.country,
        currency: f.buyer.currency,
        port: f.buyer.port,
        shipBillNo: rng.digits(7),
        shipBillDate: docDate,
        exchangeRate: rng.pick(['83.2150', '22.6500', '90.4125', '61.8800']),
      };
    } else if (supply === 'SEZWP' || supply === 'SEZWOP') {
      buyer = rng.pick(sezUnits);
      pos = buyer.stateCode;
    } else {
      const local = customers.filter((c) => c.stateCode === seller.stateCode);
      buyer = local.length > 0 && rng.chance(0.45) ? rng.pick(local) : rng.pick(customers);
      pos = buyer.stateCode;
      // Delivered to another of the customer's sites in the same state: SAP taxes by the ship-to region,
      // the other ERPs by the bill-to state, and both agree only then (other states: hand-written fixtures).
      const sameState = customers.filter((c) => c.stateCode === buyer.stateCode && c !== buyer);
      if (sameState.length > 0 && rng.chance(0.15)) shipTo = rng.pick(sameState);
    }

    const count = rng.chance(0.02) ? rng.int(100, 150) : rng.int(1, 12);
    const serviceDoc = rng.chance(0.15);
    const gta = supply === 'B2B' && serviceDoc && rng.chance(0.25);
    const tcs = docType === 'INV' && docDate < '2025-04-01' && rng.chance(0.05);
    const pool = gta ? services.filter((p) => p.hsn === '996511') : serviceDoc ? services : goods;
    const lines = base
      ? base.lines.slice(0, rng.int(1, Math.min(3, base.lines.length))).map(({ tcsPct: _tcs, ...l }) => ({
          ...l,
          qty: l.product.service ? l.qty : String(Math.max(1, Math.floor(Number(l.qty) / 4))),
        }))
      : Array.from({ length: count }, () =>
          randomLine(rng, rng.pick(pool), { discount: rng.chance(0.25), tcs }),
        );
    const reverseCharge = base?.reverseCharge ?? gta;
    const prefix = { INV: 'INV', CRN: 'CRN', DBN: 'DBN' }[docType];

    const scenario: Scenario = {
      id: `evt-${seed}-${n}`,
      kind: 'generate',
      docType,
      docNo: `${prefix}/2425/${String(seq).padStart(5, '0')}`,
      docDate,
      supply,
      reverseCharge,
      seller,
      buyer,
      pos,
      lines,
      roundToRupee: rng.chance(0.7),
      creditDays: rng.pick([0, 15, 30, 45, 60]),
    };
    if (shipTo) scenario.shipTo = shipTo;
    if (exp) scenario.export = exp;
    if (rng.chance(0.15)) scenario.freight = amountIn(rng, [250, 4500], 2);
    if (rng.chance(0.05)) scenario.headerDiscount = amountIn(rng, [50, 500], 2);
    if (docType !== 'INV' && previous)
      scenario.preceding = { docNo: previous.docNo, docDate: previous.docDate };
    if (docType === 'INV') issued.push(scenario);
    yield scenario;
  }
}
