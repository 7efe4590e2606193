import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';

describe('irp-bridge demo (the embedded default)', () => {
  it('runs every connector\u2019s samples through the pipeline against the in-process sandbox', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'irp-demo-')), 'out');
    const r = runCli(['demo', '--out', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as {
      connectors: { connector: string; irns: number; status: { counts: Record<string, number> } }[];
      files: string[];
    };
    expect(summary.connectors.map((c) => c.connector)).toEqual([
      'sap',
      'oracle',
      'd365',
      'tally',
      'erpnext',
      'canonical',
    ]);
    for (const c of summary.connectors) {
      const { in: taken, result, error, 'dead-letter': dead } = c.status.counts;
      expect(taken).toBe(25);
      expect(result! + error! + dead!).toBe(25); // one output per input
      expect(c.irns).toBeGreaterThan(15);
    }
    const results = readFileSync(join(out, 'irp.sap.results.ndjson'), 'utf8').trim().split('\n');
    const first = JSON.parse(results[0]!) as {
      key: string;
      value: { Irn: string; SignedQRCode: string; source: { offset: string } };
    };
    expect(first.value.Irn).toMatch(/^[0-9a-f]{64}$/);
    expect(first.value.SignedQRCode.split('.')).toHaveLength(3);
    expect(first.value.source.offset).toMatch(/^\d+$/);
  }, 120_000);
});
