import { describe, expect, it } from 'vitest';
import { hasValidGstinCheckCharacter } from '../../src/irp/gstin.js';
import { pinBelongsToState } from '../../src/irp/masters/index.js';
import { FIXTURE_CASES } from './fixture-cases.js';
import { randomScenarios } from './random-scenario.js';

describe('generated parties', () => {
  it('have check-digit-valid GSTINs whose state matches the address and PIN', () => {
    const it = randomScenarios({ seed: 3 });
    const parties = [...FIXTURE_CASES.flatMap((s) => [s.seller, s.buyer])];
    for (let i = 0; i < 200; i++) {
      const s = it.next().value!;
      parties.push(s.seller, s.buyer, ...(s.shipTo ? [s.shipTo] : []));
    }
    for (const p of parties.filter((x) => x.gstin)) {
      expect(hasValidGstinCheckCharacter(p.gstin!), p.gstin).toBe(true);
      expect(p.gstin!.slice(0, 2)).toBe(p.stateCode);
      expect(p.gstin).toMatch(/^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$/);
      expect(pinBelongsToState(p.pin, p.stateCode), `${p.pin} in ${p.stateCode}`).not.toBe(false);
    }
  });
});
