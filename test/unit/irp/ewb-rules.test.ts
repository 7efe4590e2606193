import { describe, expect, it } from 'vitest';
import { planEwb, type EwbFacts } from '../../../src/irp/ewb/rules.js';
import { pinToPinDistanceKm } from '../../../src/irp/ewb/distance.js';

// 2022-09-16 19:29 IST, the EwbDt of NIC's sample response.
const now = new Date(Date.UTC(2022, 8, 16, 13, 59));
const facts: EwbFacts = {
  docType: 'INV',
  docDate: '16/09/2022',
  supplyType: 'B2B',
  hasGoods: true,
  dispatchFrom: { Pin: 193501, Stcd: '01' },
  shipTo: { Pin: 500055, Stcd: '36' },
  shipToGiven: true,
  now,
};
const road = { TransMode: '1', VehNo: 'GJ07DL9009', VehType: 'R' };
const code = (input: Record<string, unknown>, f: Partial<EwbFacts> = {}) => {
  const r = planEwb(input, { ...facts, ...f });
  return r.ok ? 'ok' : r.error.ErrorCode;
};

describe('planEwb', () => {
  it('validity is one day per 200 km ending 23:59 IST (NIC sample: 2467 km → 13 days)', () => {
    const system = pinToPinDistanceKm(193501, 500055)!;
    const r = planEwb({ ...road, Distance: 0 }, facts);
    expect(r.ok && r.plan.distance).toBe(system);
    expect(r.ok && r.plan.autoCalculated).toBe(true);
    const days = Math.ceil(system / 200);
    const expected = new Date(Date.UTC(2022, 8, 16 + days, 23, 59) - 330 * 60_000);
    expect(r.ok && r.plan.validTill?.toISOString()).toBe(expected.toISOString());
  });

  it('over-dimensional cargo travels 20 km a day; Part A alone has no validity yet', () => {
    const r = planEwb(
      { TransMode: '1', VehNo: 'KA12ER1234', VehType: 'O', Distance: 40 },
      { ...facts, shipTo: { Pin: 193501, Stcd: '01' } },
    );
    expect(r.ok && r.plan.validTill?.toISOString()).toBe(
      new Date(Date.UTC(2022, 8, 18, 23, 59) - 330 * 60_000).toISOString(),
    );
    const partA = planEwb({ TransId: '12AWGPV7107B1Z1', Distance: 0 }, facts);
    expect(partA.ok && partA.plan.validTill).toBeNull();
  });

  it('first failing rule wins, in NIC order (4019 before 4010, as in NIC samples)', () => {
    expect(code({ Distance: 0 }, { docType: 'CRN' })).toBe('4019');
    expect(code({ ...road }, { docType: 'DBN' })).toBe('4010');
    expect(code({ ...road }, { hasGoods: false })).toBe('4009');
    expect(code({ ...road, VehNo: 'KA 12 ER 1234' })).toBe('ok');
    expect(code({ ...road, VehNo: 'K@1' })).toBe('4014');
    expect(code({ ...road, VehType: 'X' })).toBe('4020');
    expect(code({ TransMode: '4', VehNo: 'SHIP1', VehType: 'R' })).toBe('4039');
    expect(code({ TransMode: '3', TransDocNo: 'AWB', TransDocDt: '2022-09-16' })).toBe('4017');
    expect(code({ TransMode: '3', TransDocNo: 'AWB', TransDocDt: '15/09/2022' })).toBe('4021');
    expect(code({ ...road }, { supplyType: 'EXPWOP', shipToGiven: false })).toBe('4031');
    expect(code({ ...road }, { shipTo: { Pin: 999999, Stcd: '96' } })).toBe('4032');
    expect(code({ ...road }, { dispatchFrom: { Pin: 999999, Stcd: '01' } })).toBe('4036');
    expect(code({ ...road, Distance: 'far' })).toBe('4006');
  });

  it('strict: a declared distance must be within ±10 % of the estimate', () => {
    const strict = { distanceCheck: 'strict' as const };
    const system = pinToPinDistanceKm(193501, 500055)!;
    expect(code({ ...road, Distance: Math.round(system * 1.09) }, strict)).toBe('ok');
    expect(code({ ...road, Distance: Math.round(system * 1.2) }, strict)).toBe('4013');
    // NIC's own sample route passes the strict check: 193501 → 500055 reported as 2467 km (EWBPPD).
    expect(code({ ...road, Distance: 2467 }, strict)).toBe('ok');
  });

  it('lenient (default): any declared distance within the published limits, the estimate reported', () => {
    const system = pinToPinDistanceKm(193501, 500055)!;
    const r = planEwb({ ...road, Distance: Math.round(system * 1.6) }, facts);
    expect(r.ok && r.plan).toMatchObject({ distance: Math.round(system * 1.6), estimate: system });
    expect(code({ ...road, Distance: 4001 })).toBe('4038');
    expect(code({ ...road, Distance: 120 }, { shipTo: facts.dispatchFrom })).toBe('4013'); // same PIN: ≤ 100
    // A prefix without geography (9x, Army Postal Service): no estimate; 0 cannot be filled in.
    expect(code({ ...road, Distance: 0 }, { shipTo: { Pin: 900001, Stcd: '36' } })).toBe('4013');
    expect(code({ ...road, Distance: 300 }, { shipTo: { Pin: 900001, Stcd: '36' } })).toBe('ok');
  });
});

describe('pinToPinDistanceKm', () => {
  it('is symmetric, undefined for the same PIN, and grows with differing prefixes', () => {
    expect(pinToPinDistanceKm(560001, 110001)).toBe(pinToPinDistanceKm(110001, 560001));
    expect(pinToPinDistanceKm(560001, 560001)).toBeUndefined();
    expect(pinToPinDistanceKm(560001, 560034)!).toBeLessThan(100);
    expect(pinToPinDistanceKm(560001, 110001)!).toBeGreaterThan(400);
  });

  it('between regions: great circle between the PIN-region centroids × 1.3', () => {
    expect(pinToPinDistanceKm(193501, 500055)).toBe(2459); // NIC's sample: 2467 km
    expect(pinToPinDistanceKm(110001, 400001)).toBe(1488); // Delhi → Mumbai (road ≈ 1,400 km)
    expect(pinToPinDistanceKm(110001, 900001)).toBeUndefined();
  });
});
