import { generateKeyPairSync } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onboardParties, sampleParties } from '../../../src/cli/samples.js';
import {
  createSandbox,
  sandboxAdmin,
  writeCredentialsFile,
  type RunningSandbox,
} from '../../../src/sandbox/index.js';
import { runCli } from '../../support/cli.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const LOCAL = join(ROOT, 'config/local');
const dir = mkdtempSync(join(tmpdir(), 'irp-config-'));
let sandbox: RunningSandbox;

// A copy of config/local/ beside the credentials file a `sandbox --sample-accounts` writes, as the
// quickstart lays them out (config/local/*.yaml read ../../.irp-bridge/sandbox-credentials.json).
beforeAll(async () => {
  sandbox = await createSandbox({ port: 0, db: ':memory:' });
  const accounts = await onboardParties(
    sandboxAdmin(sandbox.credentials),
    await sampleParties(ROOT),
    'sample',
  );
  const withAccounts = { ...sandbox.credentials, accounts };
  mkdirSync(join(dir, '.irp-bridge'));
  await writeCredentialsFile(join(dir, '.irp-bridge/sandbox-credentials.json'), withAccounts);
  cpSync(LOCAL, join(dir, 'config/local'), { recursive: true });
  writeFileSync(join(dir, 'irp-public-key.pem'), sandbox.credentials.publicKeyPem);
  writeFileSync(join(dir, 'signing-cert.pem'), sandbox.credentials.signingCertPem);
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  writeFileSync(join(dir, 'client-key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(join(dir, 'not-a-key.pem'), 'hello\n');
  writeFileSync(join(dir, 'bad-creds.json'), '{"clientId": 5}');
  writeFileSync(join(dir, 'sasl.txt'), 's3cret-sasl\n');
}, 60_000);
afterAll(() => sandbox?.close());

function config(name: string, lines: string[]): string {
  const file = join(dir, name);
  writeFileSync(file, lines.join('\n'));
  return file;
}

// Every test runs the real CLI as a subprocess (tsx start-up: seconds on a loaded 2-core machine).
describe('irp-bridge check-config', { timeout: 120_000 }, () => {
  it.each(readdirSync(LOCAL).filter((f) => f.endsWith('.yaml')))(
    'the shipped config/local/%s passes every start-up check, secrets resolved, once the sandbox is up',
    (file) => {
      const r = runCli(['check-config', '--resolve-secrets', join(dir, 'config/local', file)]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/: ok \(source .*secrets resolved\)/);
    },
  );

  it('without the sandbox, a shipped config says which file is missing', () => {
    const bare = mkdtempSync(join(tmpdir(), 'irp-config-bare-'));
    cpSync(LOCAL, join(bare, 'config/local'), { recursive: true });
    const r = runCli(['check-config', join(bare, 'config/local/sap.yaml')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /irp\.credentials\[0\]\.file, \[1\]\.file, \[2\]\.file: cannot read .*\.irp-bridge\/sandbox-credentials\.json \(ENOENT\)/,
    );
  });

  it('reports every mistake with its path, exit 1', () => {
    const file = config('bad.yaml', [
      'id: x',
      'connector: nosuch',
      'kafka: { brokers: [b:9092], groupId: g, inputTopics: [t], adapter: rdkafka }',
      'topics: { results: r, errors: e }',
      'irp:',
      '  baseUrl: http://x',
      '  credentials:',
      '    - gstin: 29AAHCD4521K1ZH',
      '      password: hunter2',
      'pipeline: { maxInFlight: 0, modee: exactly-once }',
    ]);
    const r = runCli(['check-config', file]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/kafka\.adapter: expected "kafkajs" \| "confluent"|kafka\.adapter: expected/);
    expect(r.stderr).toMatch(/topics\.deadLetter: required/);
    expect(r.stderr).toMatch(/irp\.credentials\[0\]\.password: expected SecretRef/);
    expect(r.stderr).toMatch(/pipeline\.maxInFlight: expected an integer ≥ 1, got 0/);
    expect(r.stderr).toMatch(/pipeline\.modee: unknown key "modee"; did you mean "mode"\?/);
    expect(r.stderr).not.toContain('hunter2');
  });

  it('runs the start-up checks of run: keys, certificates, credentials files, Avro, secrets — all in one pass', () => {
    const file = config('startup.yaml', [
      'id: x',
      'connector: sap',
      'kafka:',
      '  brokers: [b:9092]',
      '  groupId: g',
      '  inputTopics: [t]',
      // Relative to this file, not to the working directory (runCli runs in the repository root).
      '  ssl: { enabled: true, caFile: signing-cert.pem, certFile: not-a-key.pem, keyFile: client-key.pem }',
      '  sasl: { mechanism: plain, username: u, password: { env: IRP_TEST_SASL_UNSET } }',
      'topics: { results: r, errors: e, deadLetter: d }',
      'avro: { registry: { url: "http://127.0.0.1:1", password: { file: missing-registry-password.txt } } }',
      'irp:',
      '  baseUrl: http://127.0.0.1:8080',
      '  publicKeyFile: not-a-key.pem',
      '  signingCertFile: nowhere.pem',
      '  credentials:',
      '    - { gstin: 29AAHCD4521K1ZH, file: bad-creds.json }',
      '    - { gstin: 27AAPFU0939F1ZV, file: .irp-bridge/sandbox-credentials.json }',
      '    - gstin: 19RYCCQ5327P2ZZ',
      '      clientId: { env: IRP_TEST_UNSET_1 }',
      '      clientSecret: { file: sasl.txt }',
      '      userName: { env: IRP_TEST_UNSET_2 }',
      '      password: { env: IRP_TEST_UNSET_3 }',
    ]);
    const plain = runCli(['check-config', file]);
    expect(plain.code).toBe(1);
    const lines = plain.stderr.split('\n').filter((l) => l.startsWith('  - '));
    expect(lines).toEqual([
      expect.stringMatching(/kafka\.ssl\.certFile: .*not-a-key\.pem is not a PEM certificate/),
      expect.stringMatching(/irp\.publicKeyFile: .*not-a-key\.pem is not a PEM public key/),
      expect.stringMatching(/irp\.signingCertFile: cannot read .*nowhere\.pem \(ENOENT\)/),
      expect.stringMatching(
        /irp\.credentials\[0\]\.file: .*bad-creds\.json is not a credentials file \(clientId: expected string/,
      ),
      expect.stringMatching(
        /irp\.credentials\[1\]\.file: .* has accounts for 19RYCCQ5327P2ZZ, 30NDDCF9575L7ZL, 37AMACA7155O4ZI, not 27AAPFU0939F1ZV/,
      ),
    ]);
    const resolved = runCli(['check-config', '--resolve-secrets', file]);
    expect(resolved.stderr).toMatch(
      /avro\.registry\.password: secret file .*missing-registry-password\.txt: ENOENT/,
    );
    expect(resolved.stderr).toMatch(
      /kafka\.sasl\.password: environment variable IRP_TEST_SASL_UNSET is not set/,
    );
    expect(resolved.stderr).toMatch(
      /irp\.credentials\[2\]\.clientId: environment variable IRP_TEST_UNSET_1 is not set/,
    );
    expect(resolved.stderr).toMatch(
      /irp\.credentials\[2\]\.password: environment variable IRP_TEST_UNSET_3 is not set/,
    );
    expect(resolved.stderr).not.toContain('s3cret-sasl');
  }, 60_000);

  it('a signing-certificate bundle (NIC rotates) passes whole, and names a broken certificate in it', () => {
    const cert = sandbox.credentials.signingCertPem;
    const lines = cert.trim().split('\n');
    const broken = [lines[0], lines[1]!.replace(/[A-Za-z]/g, 'A'), ...lines.slice(2)].join('\n');
    writeFileSync(join(dir, 'bundle-good.pem'), `${cert}\n${cert}`);
    writeFileSync(join(dir, 'bundle-bad.pem'), `${cert}\n${broken}\n`);
    const base = [
      'id: x',
      'connector: sap',
      'kafka: { brokers: [b:9092], groupId: g, inputTopics: [t] }',
      'topics: { results: r, errors: e, deadLetter: d }',
      'irp:',
      '  baseUrl: http://127.0.0.1:8080',
      '  publicKeyFile: irp-public-key.pem',
      '  credentials:',
      '    - { gstin: 30NDDCF9575L7ZL, file: .irp-bridge/sandbox-credentials.json }',
    ];
    const good = runCli([
      'check-config',
      config('bundle-good.yaml', [...base, '  signingCertFile: bundle-good.pem']),
    ]);
    expect(good.code, good.stderr).toBe(0);
    const bad = runCli([
      'check-config',
      config('bundle-bad.yaml', [...base, '  signingCertFile: bundle-bad.pem']),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      /irp\.signingCertFile: .*bundle-bad\.pem is not a PEM certificate \(certificate 2 of 2\)/,
    );
  });

  it('exits 2 for a missing file', () => {
    expect(runCli(['check-config', join(dir, 'none.yaml')]).code).toBe(2);
  });
});
