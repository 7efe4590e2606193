import { describe, expect, it } from 'vitest';
import { brief } from '../../../src/cli/commands/consume.js';

describe('consume: one line per output record', () => {
  it('a result recovered in part says what it lacks', () => {
    const line = brief('results', 0, '7', 'k', {
      kind: 'generate',
      Irn: 'abc',
      AckNo: 112500000000007,
      recovered: true,
      partial: { missing: ['SignedInvoice', 'SignedQRCode'], unverified: [], reason: 'r', errors: [] },
    });
    expect(line).toBe(
      'results/0@7 k: generate Irn abc AckNo 112500000000007 (recovered) (partial: no SignedInvoice, SignedQRCode)',
    );
    expect(brief('results', 0, '8', null, { Irn: 'abc', AckNo: 1 })).toBe(
      'results/0@8 (no key): generate Irn abc AckNo 1',
    );
  });
});
