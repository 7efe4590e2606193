import { describe, expect, it } from 'vitest';
import { isUqc } from '../../src/irp/masters/index.js';
import { documentedSuite } from '../testkit/documented.js';
import { goldenSuite } from '../testkit/golden-suite.js';
import { D365_UNIT_TO_UQC } from './tables.js';

goldenSuite('d365');
documentedSuite('d365');

describe('d365 tables', () => {
  it('translates every unit symbol to a UQC of the master', () => {
    for (const [unit, uqc] of Object.entries(D365_UNIT_TO_UQC)) expect(isUqc(uqc), unit).toBe(true);
  });
});
