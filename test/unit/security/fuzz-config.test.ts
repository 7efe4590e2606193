/**
 * Fuzz: source configs. Valid configs (config/local/*.yaml) with values replaced by hostile ones and YAML
 * text cut or spliced: every input is accepted or refused with a ConfigError whose problems are clear
 * lines, and a value written at a secret position — or in place of any section that holds one (issue 15:
 * "config errors echo an inline secret when the enclosing value has the wrong shape") — is never repeated.
 * A sample of the inputs goes through the real `check-config`: exit 0, 1 or 2 with a message, never a
 * stack trace. Size: FUZZ_RUNS, else small.
 */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseSourceConfig } from '../../../src/config/load.js';
import { transportWarnings } from '../../../src/cli/transport-warnings.js';
import type { SourceConfig } from '../../../src/config/source-config.js';
import { runCli } from '../../support/cli.js';
import { FUZZ_SEED, jsonPaths, setAt, HOSTILE_STRINGS, expectClear, fuzzRuns } from '../../support/fuzz.js';

const SECRET = 'S3CRET-c0nfig-VALUE';
const DIR = join(process.cwd(), 'config/local');
const CONFIGS = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => parse(readFileSync(join(DIR, f), 'utf8')) as Record<string, unknown>);

/** Paths at or above a secret: replacing any of them with a value must never show that value. */
const SECRET_PATHS: (string | number)[][] = [
  [],
  ['irp'],
  ['irp', 'credentials'],
  ['irp', 'credentials', 0],
  ['irp', 'credentials', 0, 'clientSecret'],
  ['irp', 'credentials', 0, 'password'],
  ['irp', 'credentials', 0, 'clientSecret', 'env'],
  ['kafka'],
  ['kafka', 'sasl'],
  ['kafka', 'sasl', 'password'],
  ['avro'],
  ['avro', 'registry'],
  ['avro', 'registry', 'password'],
];

const withSecret = fc.constantFrom<unknown>(
  SECRET,
  [SECRET],
  [SECRET, 'x'],
  { value: SECRET },
  { env: SECRET },
  { file: SECRET, env: 'X' },
  { passwrod: SECRET },
  `https://user:${SECRET}@registry.example`,
  42,
  null,
  true,
);

function problemsOf(text: string): string[] | undefined {
  try {
    parseSourceConfig(text, 'fuzz.yaml', {});
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
}

describe('fuzz: source configs', () => {
  it('a secret written where a secret or a section holding one belongs is never echoed', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CONFIGS),
        fc.constantFrom(...SECRET_PATHS),
        withSecret,
        (config, path, value) => {
          const text = stringify(setAt(config, path, value));
          const problems = problemsOf(text) ?? [];
          for (const p of problems) {
            expect(p).not.toContain(SECRET);
            expectClear(p, 'config problem');
          }
        },
      ),
      { numRuns: fuzzRuns(300), seed: FUZZ_SEED },
    );
  }, 600_000);

  it('any value replaced by a hostile one: accepted, or refused with clear lines', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CONFIGS),
        fc.nat(),
        fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.jsonValue({ maxDepth: 2 }), withSecret),
        (config, at, value) => {
          const all = jsonPaths(config);
          const path = all[at % all.length]!;
          for (const p of problemsOf(stringify(setAt(config, path, value))) ?? [])
            expectClear(p, 'config problem');
        },
      ),
      { numRuns: fuzzRuns(300), seed: FUZZ_SEED },
    );
  }, 600_000);

  it('YAML text cut or spliced: a ConfigError, never another exception', () => {
    const texts = readdirSync(DIR)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => readFileSync(join(DIR, f), 'utf8'));
    fc.assert(
      fc.property(
        fc.constantFrom(...texts),
        fc.nat(),
        fc.oneof(
          fc.string({ maxLength: 8 }),
          fc.constantFrom(': [', '{', '&a *a', '!!binary x', '\t', '<<: *x', '- '),
        ),
        (text, at, insert) => {
          const i = at % (text.length + 1);
          for (const p of problemsOf(text.slice(0, i) + insert + text.slice(i)) ?? [])
            expectClear(p, 'config problem');
          for (const p of problemsOf(text.slice(0, i)) ?? []) expectClear(p, 'config problem');
        },
      ),
      { numRuns: fuzzRuns(300), seed: FUZZ_SEED },
    );
  }, 600_000);

  it('check-config on a sample of hostile configs: exit 0, 1 or 2 with a message, never a stack trace', () => {
    const dir = mkdtempSync(join(tmpdir(), 'irp-fuzz-config-'));
    const inputs: Buffer[] = [
      Buffer.from([0xff, 0xfe, 0x00, 0x41]),
      Buffer.from(''),
      Buffer.from('\u001b[31m: x'),
      Buffer.from(stringify(setAt(CONFIGS[0], ['irp', 'credentials'], SECRET))),
      Buffer.from(stringify(setAt(CONFIGS[0], ['kafka', 'sasl'], [SECRET]))),
      Buffer.from('a: '.repeat(50_000)),
      Buffer.from('['.repeat(10_000)),
    ];
    inputs.forEach((bytes, i) => {
      const file = join(dir, `c${i}.yaml`);
      writeFileSync(file, bytes);
      const r = runCli(['check-config', file]);
      expect([0, 1, 2]).toContain(r.code);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stderr + r.stdout).not.toContain(SECRET);
      // eslint-disable-next-line no-control-regex
      expect(r.stderr).not.toMatch(/\u001b/);
      if (r.code !== 0) expect(r.stderr.trim()).not.toBe('');
    });
  }, 120_000);
});

describe('plain-text transports are warned about', () => {
  const base = CONFIGS[0] as unknown as SourceConfig;
  it('http:// IRP, http:// registry with a password, SASL without TLS, unverified TLS', () => {
    const config = {
      ...base,
      irp: { ...base.irp, baseUrl: 'http://irp.example:8080' },
      avro: { registry: { url: 'http://registry:8081', username: 'u', password: { env: 'P' } } },
      kafka: { ...base.kafka, sasl: { mechanism: 'plain' as const, username: 'u', password: { env: 'P' } } },
    };
    const warnings = transportWarnings(config);
    expect(warnings).toHaveLength(3);
    expect(warnings[0]).toMatch(/irp.baseUrl is plain http:\/\/ \(irp.example:8080\)/);
    expect(warnings[2]).toMatch(/SASL password and every record travel in clear/);
    const tls = { ...config, kafka: { ...config.kafka, ssl: { enabled: true, rejectUnauthorized: false } } };
    expect(transportWarnings(tls).join('\n')).toMatch(/rejectUnauthorized is false/);
    const safe = { ...base, irp: { ...base.irp, baseUrl: 'https://irp.example' } };
    expect(transportWarnings(safe)).toEqual([]);
  });
});
