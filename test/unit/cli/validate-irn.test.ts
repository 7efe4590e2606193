import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';
import { SAMPLES_DIR } from '../../support/irp-samples.js';

const dir = mkdtempSync(join(tmpdir(), 'irp-cli-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

describe('irp-bridge validate', () => {
  it('exits 0 with the JSON contract on a valid invoice', () => {
    const r = runCli([
      'validate',
      `${SAMPLES_DIR}b2b-inter-state.request.json`,
      '--json',
      '--today',
      '2023-10-03',
    ]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ valid: true, errors: [] });
    expect(Object.keys(out)).toEqual(['valid', 'errors', 'warnings']);
  });

  it('exits 1 with every finding on an invalid invoice read from stdin', () => {
    const inv = JSON.parse(readFileSync(`${SAMPLES_DIR}b2b-inter-state.request.json`, 'utf8'));
    inv.ValDtls.TotInvVal = 99;
    inv.ItemList[0].Unit = 'XYZW';
    const r = runCli(['validate', '-', '--json', '--today', '2023-10-03'], JSON.stringify(inv));
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.valid).toBe(false);
    expect(out.errors.map((e: { code: string }) => e.code)).toEqual(expect.arrayContaining(['2189', '2177']));
    for (const e of out.errors)
      expect(Object.keys(e)).toEqual(expect.arrayContaining(['code', 'message', 'path']));
  });

  it.each([
    ['not JSON', () => file('bad.json', '{"Version": '), /is not JSON/],
    ['an empty file', () => file('empty.json', ''), /is empty/],
    ['a missing file', () => join(dir, 'nope.json'), /no such file/],
    ['a JSON array', () => file('array.json', '[1, 2]'), /is not an invoice: the JSON is an array/],
    ['a JSON string', () => file('string.json', '"INV"'), /is not an invoice: the JSON is a string/],
    [
      'JSON nested 5000 levels deep (10 KB)',
      () => file('deep.json', `${'['.repeat(5000)}${']'.repeat(5000)}`),
      /is not an invoice: the JSON is an array/,
    ],
    [
      'an object nested 5000 levels deep',
      () => file('deep-object.json', `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`),
      /nested more than 64 levels deep/,
    ],
  ])('exits 2 with a clear message on %s, no stack trace', (_what, path, message) => {
    const r = runCli(['validate', path()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints human-readable findings without --json', () => {
    const r = runCli(['validate', `${SAMPLES_DIR}b2b-intra-state.fixture.request.json`]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/error {3}2140 {2}DocDtls\.No/);
  });
});

describe('irp-bridge irn', () => {
  it('prints the 64-character IRN NIC assigned', () => {
    const r = runCli([
      'irn',
      '--gstin',
      '02AMBPG7773M002',
      '--type',
      'INV',
      '--no',
      '9sQ5E2',
      '--date',
      '02/10/2023',
      '--as-of',
      '2023-10-03',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('2ecc42a8e81dcbbb56923e4bd046c861ce7374060bd31875ce35447e922c9399');
  });

  it('exits 2 on a bad argument', () => {
    const r = runCli([
      'irn',
      '--gstin',
      '02AMBPG7773M002',
      '--type',
      'BIL',
      '--no',
      '1',
      '--date',
      '02/10/2023',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--type must be INV, CRN or DBN/);
  });
});
