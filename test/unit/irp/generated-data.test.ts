import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { allErrorCodes, irpMessage } from '../../../src/irp/errors.js';
import { isGstRate, isPort, isUqc, pinBelongsToState, stateName } from '../../../src/irp/masters/index.js';

describe('generated IRP data', () => {
  it('is up to date with data/irp', () => {
    expect(() =>
      execFileSync('npx', ['tsx', 'scripts/gen-irp-data.ts', '--check'], { stdio: 'pipe' }),
    ).not.toThrow();
  });

  it('carries the 244 catalogued codes and fills placeholders', () => {
    expect(allErrorCodes()).toHaveLength(244);
    expect(irpMessage('2283', '3')).toBe(
      'IRN details cannot be provided as it is generated more than 3 days prior',
    );
    expect(() => irpMessage('0000')).toThrow();
  });

  it('answers master look-ups', () => {
    expect(stateName('7')).toBe('Delhi');
    expect(isUqc('nos')).toBe(true);
    expect(isPort('INABG1')).toBe(true);
    expect(isGstRate(0.25)).toBe(true);
    expect(isGstRate(17)).toBe(false);
    expect(pinBelongsToState(171302, '02')).toBe(true);
    expect(pinBelongsToState(400001, '02')).toBe(false);
    expect(pinBelongsToState(500055, '36')).toBeUndefined(); // no prefix rows for Telangana: lenient
  });
});
