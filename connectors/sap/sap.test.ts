import { describe, expect, it } from 'vitest';
import { isStateCode, isUqc } from '../../src/irp/masters/index.js';
import { documentedSuite } from '../testkit/documented.js';
import { goldenSuite } from '../testkit/golden-suite.js';
import { SAP_REGION_TO_STATE, SAP_UNIT_TO_UQC } from './tables.js';

goldenSuite('sap');
documentedSuite('sap');

describe('sap tables', () => {
  it('translates every sales unit to a UQC of the master', () => {
    for (const [unit, uqc] of Object.entries(SAP_UNIT_TO_UQC)) expect(isUqc(uqc), unit).toBe(true);
  });
  it('translates every region to a GST state code of the master', () => {
    for (const [region, state] of Object.entries(SAP_REGION_TO_STATE))
      expect(isStateCode(state), region).toBe(true);
  });
});
