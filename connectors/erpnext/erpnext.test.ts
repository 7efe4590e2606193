import { describe, expect, it } from 'vitest';
import { isUqc } from '../../src/irp/masters/index.js';
import { documentedSuite } from '../testkit/documented.js';
import { goldenSuite } from '../testkit/golden-suite.js';
import { ERPNEXT_UOM_TO_UQC } from './tables.js';

goldenSuite('erpnext');
documentedSuite('erpnext');

describe('erpnext tables', () => {
  it('translates every UOM to a UQC of the master', () => {
    for (const [uom, uqc] of Object.entries(ERPNEXT_UOM_TO_UQC)) expect(isUqc(uqc), uom).toBe(true);
  });
});
