import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.js';

const SOURCES = fileURLToPath(new URL('../../../config/sources/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'irp-config-'));

describe('irp-bridge check-config', () => {
  it.each(readdirSync(SOURCES).filter((f) => f.endsWith('.yaml')))(
    'accepts the shipped config/sources/%s',
    (file) => {
      const r = runCli(['check-config', join(SOURCES, file)]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/: ok \(source /);
    },
  );

  it('reports every mistake with its path, exit 1', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      [
        'id: x',
        'connector: nosuch',
        'kafka: { brokers: [b:9092], groupId: g, inputTopics: [t], adapter: rdkafka }',
        'topics: { results: r, errors: e }',
        'irp:',
        '  baseUrl: http://x',
        '  credentials:',
        '    - gstin: 29AAHCD4521K1ZH',
        '      password: hunter2',
        'pipeline: { maxInFlight: 0 }',
      ].join('\n'),
    );
    const r = runCli(['check-config', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/kafka\.adapter: expected/);
    expect(r.stderr).toMatch(/topics\.deadLetter: expected .*required/);
    expect(r.stderr).toMatch(/connector: unknown connector "nosuch"|kafka/);
    expect(r.stderr).toMatch(/irp\.credentials\[0\]\.password: expected SecretRef/);
    expect(r.stderr).toMatch(/pipeline\.maxInFlight: expected PositiveInteger/);
    expect(r.stderr).not.toContain('hunter2');
  });

  it('exits 2 for a missing file and names unresolvable secrets with --resolve-secrets', () => {
    expect(runCli(['check-config', join(dir, 'none.yaml')]).code).toBe(2);
    const r = runCli(['check-config', '--resolve-secrets', join(SOURCES, 'sap.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /irp\.credentials\[0\]\.clientId: environment variable IRP_SAP_CLIENT_ID is not set/,
    );
  });
});
