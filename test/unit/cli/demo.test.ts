import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectorIds } from '../../../connectors/registry.js';
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
    expect(summary.connectors.map((c) => c.connector)).toEqual(connectorIds);
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

describe('irp-bridge demo --out never touches a file it did not create', () => {
  it('refuses a non-empty directory it did not make, with one line, and leaves it as it was', () => {
    const dir = mkdtempSync(join(tmpdir(), 'irp-demo-user-'));
    writeFileSync(join(dir, 'precious.txt'), 'mine');
    const r = runCli(['demo', '--out', dir, '--connector', 'canonical']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/refusing to write into .*not made by irp-bridge demo/);
    expect(readdirSync(dir)).toEqual(['precious.txt']);
  });

  it('re-runs into its own directory, replacing only its own files', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'irp-demo-again-')), 'out');
    expect(runCli(['demo', '--out', out, '--connector', 'canonical']).code).toBe(0);
    writeFileSync(join(out, 'notes.txt'), 'added by the user');
    const again = runCli(['demo', '--out', out, '--connector', 'canonical']);
    expect(again.code, again.stderr).toBe(0);
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('added by the user');
    // The results file was replaced, not appended to: 25 inputs, one output each at most.
    const lines = readFileSync(join(out, 'irp.canonical.results.ndjson'), 'utf8').trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(25);
  }, 120_000);

  it('refuses a file at an output path that it did not write', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'irp-demo-clash-')), 'out');
    expect(runCli(['demo', '--out', out, '--connector', 'canonical']).code).toBe(0);
    // The user replaces one of demo's outputs with a file of their own name-alike of another connector.
    writeFileSync(join(out, 'irp.sap.results.ndjson'), 'mine\n');
    const r = runCli(['demo', '--out', out, '--connector', 'sap']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/refusing to overwrite .*irp\.sap\.results\.ndjson/);
    expect(readFileSync(join(out, 'irp.sap.results.ndjson'), 'utf8')).toBe('mine\n');
  }, 120_000);
});

describe('irp-bridge --version', () => {
  it('prints the package version', () => {
    const r = runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
