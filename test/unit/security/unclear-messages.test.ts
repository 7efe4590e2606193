/**
 * Issue 15, "173 unclear messages": the CLI and the sandbox judge the same bytes the same way, and neither
 * repeats a 10 MB value or a terminal escape code back to its reader.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  aesEcbEncrypt,
  decryptJsonPayload,
  generateAesKey,
  IrpCryptoError,
} from '../../../src/irp/crypto.js';
import { runCli } from '../../support/cli.js';
import { expectClear } from '../../support/fuzz.js';
import { invoiceSample } from '../../support/irp-samples.js';

const dir = mkdtempSync(join(tmpdir(), 'irp-unclear-'));
const SAMPLE = invoiceSample('nic-doc-sample-full.request.json') as Record<string, Record<string, unknown>>;

function invoiceWith(field: string, raw: Buffer): Buffer {
  const marker = '@@MARK@@';
  const doc = JSON.parse(JSON.stringify(SAMPLE)) as typeof SAMPLE;
  doc.BuyerDtls![field] = marker;
  const [before, after] = JSON.stringify(doc).split(marker) as [string, string];
  return Buffer.concat([Buffer.from(before, 'utf8'), raw, Buffer.from(after, 'utf8')]);
}

describe('the CLI and the sandbox judge invalid UTF-8 the same', () => {
  it('an invoice with an invalid UTF-8 sequence: sandbox refuses to decrypt it, validate exits 2', () => {
    const bytes = invoiceWith('LglNm', Buffer.from([0x41, 0xc3, 0x28, 0x42]));
    // What the sandbox does with the request's Data (src/irp/crypto.ts, used by its routes).
    const sek = generateAesKey();
    const data = aesEcbEncrypt(sek, bytes).toString('base64');
    expect(() => decryptJsonPayload(sek, data)).toThrow(IrpCryptoError);
    const file = join(dir, 'invalid-utf8.json');
    writeFileSync(file, bytes);
    const r = runCli(['validate', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('is not UTF-8 text');
  });
});

describe('CLI output of validate never echoes a huge value or escape codes', () => {
  it('a 10 MB HSN code and an escape-code unit are shown cut and escaped', () => {
    const doc = JSON.parse(JSON.stringify(SAMPLE)) as Record<string, unknown>;
    const items = doc.ItemList as Record<string, unknown>[];
    items[0]!.HsnCd = '9'.repeat(10 * 1024 * 1024);
    items[0]!.Unit = '\u001b[2J\u001b[31mBOX';
    const file = join(dir, 'hostile.json');
    writeFileSync(file, JSON.stringify(doc));
    for (const args of [
      ['validate', file],
      ['validate', file, '--json'],
    ]) {
      const r = runCli(args);
      expect(r.code).toBe(1);
      expect(r.stdout.length + r.stderr.length).toBeLessThan(20_000);
      // eslint-disable-next-line no-control-regex
      expect(r.stdout).not.toMatch(/\u001b/);
      for (const line of r.stdout.split('\n').filter((l) => l.trim() !== ''))
        expectClear(line, 'output line');
    }
  }, 60_000);
});
