import { describe, expect, it } from 'vitest';
import { isUqc } from '../../src/irp/masters/index.js';
import { documentedSuite } from '../testkit/documented.js';
import { goldenSuite } from '../testkit/golden-suite.js';
import { ORACLE_UOM_TO_UQC } from './tables.js';

goldenSuite('oracle');
documentedSuite('oracle');

describe('oracle tables', () => {
  it('translates every UOM code to a UQC of the master', () => {
    for (const [uom, uqc] of Object.entries(ORACLE_UOM_TO_UQC)) expect(isUqc(uqc), uom).toBe(true);
  });
});
