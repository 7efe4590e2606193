import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  financialYear,
  formatIrpDateTime,
  istDaysBetween,
  parseIrpDate,
  parseIrpDateTime,
} from '../../../src/irp/dates.js';
import {
  gstinCheckCharacter,
  hasGstinShape,
  hasStructuredGstinForm,
  hasValidGstinCheckCharacter,
} from '../../../src/irp/gstin.js';

describe('GSTIN check character (README §10)', () => {
  it('verifies the documented example', () =>
    expect(hasValidGstinCheckCharacter('27AAPFU0939F1ZV')).toBe(true));

  it("flags NIC's own sample GSTINs, which the IRP nevertheless accepts", () => {
    for (const g of ['29AWGPV7107B1Z1', '37ARZPT4384Q1MT', '02AMBPG7773M002', '24AAFCD5862R005']) {
      expect(hasGstinShape(g)).toBe(true);
      expect(hasValidGstinCheckCharacter(g)).toBe(false);
    }
  });

  it('any 14 characters completed with their check character verify; any other last character does not', () => {
    const chars = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...chars), minLength: 14, maxLength: 14 }),
        fc.constantFrom(...chars),
        (first14, other) => {
          const check = gstinCheckCharacter(first14)!;
          expect(hasValidGstinCheckCharacter(first14 + check)).toBe(true);
          if (other !== check) expect(hasValidGstinCheckCharacter(first14 + other)).toBe(false);
        },
      ),
    );
  });

  it('knows the structured forms only as advice', () => {
    expect(hasStructuredGstinForm('27AAPFU0939F1ZV')).toBe(true);
    expect(hasStructuredGstinForm('02AMBPG7773M002')).toBe(false);
    expect(hasGstinShape('URP')).toBe(false);
  });
});

describe('IRP dates (IST)', () => {
  it('parses dd/MM/yyyy as IST midnight and rejects impossible dates', () => {
    expect(parseIrpDate('01/04/2025')?.toISOString()).toBe('2025-03-31T18:30:00.000Z');
    expect(parseIrpDate('29/02/2023')).toBeUndefined();
    expect(parseIrpDate('29/02/2024')).toBeDefined();
    expect(parseIrpDate('1/4/2025')).toBeUndefined();
  });

  it('round-trips yyyy-MM-dd HH:mm:ss in IST', () => {
    const t = new Date('2023-10-03T09:38:39Z');
    expect(formatIrpDateTime(t)).toBe('2023-10-03 15:08:39');
    expect(parseIrpDateTime('2023-10-03 15:08:39')?.getTime()).toBe(t.getTime());
  });

  it('counts IST calendar days, not 24-hour spans', () => {
    expect(istDaysBetween(new Date('2025-04-01T18:29:00Z'), new Date('2025-04-01T18:31:00Z'))).toBe(1);
  });

  it('derives the financial year', () => {
    expect(financialYear('03/01/2020')).toBe('2019-20');
    expect(financialYear('01/04/2099')).toBe('2099-00');
  });
});
