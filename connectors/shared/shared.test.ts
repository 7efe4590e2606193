import { describe, expect, it } from 'vitest';
import {
  decFromAvroBytes,
  decFromNumber,
  decToAvroBytes,
  decToString,
  parseDec,
  percentOf,
  rescale,
} from './decimal.js';
import { dateFromCompact, dateFromEpochDays, dateFromIso, docKey } from './doc.js';
import { Issues } from './issues.js';
import { stateFromAbbreviation, stateFromName } from './states.js';

describe('decimal', () => {
  it('reads Avro decimal bytes, negative ones included, and writes them back', () => {
    for (const text of ['0', '1.00', '-1.00', '127.99', '-128.00', '804.60', '-46087.00', '99999999999.99']) {
      const d = parseDec(text)!;
      expect(decToString(decFromAvroBytes(decToAvroBytes(d, 2), 2))).toBe(
        decToString({ units: rescale(d, 2), scale: 2 }),
      );
    }
    expect(decToString(decFromAvroBytes(Buffer.from([0xff, 0x38]), 2))).toBe('-2.00');
  });
  it('takes a double at its shortest spelling, so 0.1 + 0.2 style noise never appears', () => {
    expect(decToString(decFromNumber(804.6)!)).toBe('804.6');
    expect(decToString(decFromNumber(1e21)!)).toBe('1000000000000000000000');
    expect(decToString(decFromNumber(1.5e-7)!)).toBe('0.00000015');
  });
  it('rounds half-up away from zero, or half-even when asked', () => {
    expect(rescale(parseDec('2.345')!, 2)).toBe(235n);
    expect(rescale(parseDec('-2.345')!, 2)).toBe(-235n);
    expect(rescale(parseDec('2.345')!, 2, 'half-even')).toBe(234n);
    expect(rescale(parseDec('2.341')!, 2, 'up')).toBe(235n);
    expect(percentOf(10001, parseDec('9')!)).toBe(900); // 100.01 × 9 % = 9.0009
  });
  it('refuses text that is not a decimal', () => {
    for (const bad of ['', '1,000.00', 'abc', '.', '1.2.3']) expect(parseDec(bad)).toBeUndefined();
  });
});

describe('document helpers', () => {
  it('converts each ERP date spelling and rejects impossible dates with the path', () => {
    const issues = new Issues();
    expect(dateFromCompact(issues, '20250214', 'FKDAT')).toBe('14/02/2025');
    expect(dateFromIso(issues, '2025-02-14T00:00:00Z', 'InvoiceDate')).toBe('14/02/2025');
    expect(dateFromEpochDays(issues, 20133, 'TransactionDate')).toBe('14/02/2025');
    expect(dateFromCompact(issues, '20250231', 'FKDAT')).toBeUndefined();
    expect(issues.errors).toEqual([
      { code: 'MAP_INVALID_DATE', path: 'FKDAT', message: '"20250231" is not a yyyyMMdd date' },
    ]);
  });
  it('keys a document by supplier, type, upper-cased number and financial year', () => {
    expect(docKey('29AAHCD4521K1ZH', 'INV', 'dp/2425/1', '31/03/2025')).toBe(
      '29AAHCD4521K1ZH/INV/DP/2425/1/2024-25',
    );
    expect(docKey('29AAHCD4521K1ZH', 'INV', 'dp/2425/1', '01/04/2025')).toBe(
      '29AAHCD4521K1ZH/INV/DP/2425/1/2025-26',
    );
  });
});

describe('state spellings', () => {
  it('knows abbreviations and old and new names', () => {
    expect(stateFromAbbreviation('ka')).toBe('29');
    expect(stateFromAbbreviation('TG')).toBe('36');
    expect(stateFromName('Orissa')).toBe('21');
    expect(stateFromName('Dadra & Nagar Haveli and Daman & Diu')).toBe('26');
    expect(stateFromName('Andaman and Nicobar Islands')).toBe('35');
    expect(stateFromName('Bombay')).toBeUndefined();
  });
});
