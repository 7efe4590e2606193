import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nearest } from '../../../src/config/codec-kit.js';
import { ConfigError, loadSourceConfig, parseSourceConfig } from '../../../src/config/load.js';

const VALID = `
id: s
connector: sap
kafka: { brokers: ['b1:9092'], groupId: g, inputTopics: [in] }
topics: { results: r, errors: e, deadLetter: d }
irp:
  baseUrl: http://127.0.0.1:8080
  credentials: [{ gstin: 29AAHCD4521K1ZH, file: creds.json }]
`;

function problems(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseSourceConfig(text, 'x.yaml', env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

describe('source config: strict keys', () => {
  it('accepts a minimal config', () => expect(problems(VALID)).toEqual([]));

  it('an unknown key is an error with its path and a suggestion, at any depth', () => {
    const p = problems(`${VALID}pipeline: { modee: exactly-once }\nkafkaa: {}\n`);
    expect(p).toContain(
      'pipeline.modee: unknown key "modee"; did you mean "mode"? (known: mode, maxInFlight, commitIntervalMs, recordRetry, pendingDocumentWindowMs, drainTimeoutMs, transactionalId, largeTaxpayers)',
    );
    expect(p.some((l) => l.startsWith('kafkaa: unknown key "kafkaa"; did you mean "kafka"?'))).toBe(true);
    const deep = problems(VALID.replace('file: creds.json', 'file: creds.json, pasword: { env: X }'));
    expect(deep[0]).toMatch(
      /^irp\.credentials\[0\]\.pasword: unknown key "pasword"; did you mean "password"\?/,
    );
  });

  it('suggests only near keys', () => {
    expect(nearest('brokerz', ['brokers', 'groupId'])).toBe('brokers');
    expect(nearest('zzzzzz', ['brokers', 'groupId'])).toBeUndefined();
    expect(nearest('GROUPID', ['brokers', 'groupId'])).toBe('groupId');
  });
});

describe('source config: meaning, not only type', () => {
  it.each([
    ['kafka: { brokers: [], groupId: g, inputTopics: [in] }', 'kafka.brokers: expected at least one broker'],
    ['kafka: { brokers: [b1], groupId: g, inputTopics: [in] }', 'kafka.brokers[0]: expected host:port'],
    [
      'kafka: { brokers: ["b1:99999"], groupId: g, inputTopics: [in] }',
      'kafka.brokers[0]: expected host:port',
    ],
    [
      'kafka: { brokers: ["b:1"], groupId: g, inputTopics: [] }',
      'kafka.inputTopics: expected at least one topic',
    ],
    [
      'kafka: { brokers: ["b:1"], groupId: g, inputTopics: [a, a] }',
      'kafka.inputTopics: expected at least one topic, none repeated',
    ],
    [
      'kafka: { brokers: ["b:1"], groupId: "  ", inputTopics: [in] }',
      'kafka.groupId: expected a non-empty text',
    ],
    [
      'kafka: { brokers: ["b:1"], groupId: g, inputTopics: ["bad topic"] }',
      'kafka.inputTopics[0]: expected a Kafka topic name',
    ],
  ])('%s', (kafka, expected) => {
    const p = problems(VALID.replace(/^kafka: .*$/m, kafka));
    expect(
      p.some((l) => l.startsWith(expected)),
      p.join('\n'),
    ).toBe(true);
  });

  it('URLs, ports, positive numbers, empty credential lists', () => {
    const p = problems(
      VALID.replace('http://127.0.0.1:8080', 'localhost:8080') +
        'ops: { httpPort: 70000 }\npipeline: { maxInFlight: 0 }\navro: { registry: { url: ftp://r } }\n',
    );
    expect(p).toEqual(
      expect.arrayContaining([
        'irp.baseUrl: expected a URL (http:// or https://) without user:password@ (credentials go in their own keys), got "localhost:8080"',
        'ops.httpPort: expected a TCP port, 0–65535 (0: any free port), got 70000',
        'pipeline.maxInFlight: expected an integer ≥ 1, got 0',
        'avro.registry.url: expected a URL (http:// or https://) without user:password@ (credentials go in their own keys), got "ftp://r"',
      ]),
    );
    expect(problems(VALID.replace(/credentials: .*$/m, 'credentials: []'))[0]).toMatch(
      /^irp\.credentials: expected at least one credential/,
    );
  });

  it('checks across keys', () => {
    const p = problems(
      VALID.replace('deadLetter: d', 'deadLetter: in').replace(
        'file: creds.json }]',
        'file: creds.json }, { gstin: 29AAHCD4521K1ZH, file: other.json }]',
      ) + 'kafka_: 1\n',
    );
    expect(p).toEqual([expect.stringMatching(/^kafka_: unknown key/)]);
    const q = problems(
      VALID.replace('deadLetter: d', 'deadLetter: in').replace(
        'file: creds.json }]',
        'file: creds.json }, { gstin: 29AAHCD4521K1ZH, file: other.json }]',
      ) + 'avro: { wireFormat: confluent }\n',
    );
    expect(q).toEqual([
      'irp.credentials[1].gstin: 29AAHCD4521K1ZH is already irp.credentials[0]',
      'topics.deadLetter: in is also an input topic (kafka.inputTopics); outputs would be read back',
      'avro.registry: required with wireFormat confluent (the writer schemas come from it)',
    ]);
  });

  it('refuses settings that break the delivery guarantee, saying why', () => {
    const fromLatest = problems(
      VALID.replace('inputTopics: [in] }', 'inputTopics: [in], fromBeginning: false }'),
    );
    expect(fromLatest).toEqual([
      expect.stringMatching(/^kafka\.fromBeginning: false is refused: .*skip the backlog/),
    ]);
    const eosOnKafkajs = problems(`${VALID}pipeline: { mode: exactly-once }\n`);
    expect(eosOnKafkajs).toEqual([
      expect.stringMatching(
        /^pipeline\.mode: exactly-once needs kafka\.adapter: confluent: .*no KIP-447 fencing/,
      ),
    ]);
    const eosOnConfluent = VALID.replace('inputTopics: [in] }', 'inputTopics: [in], adapter: confluent }');
    expect(problems(`${eosOnConfluent}pipeline: { mode: exactly-once }\n`)).toEqual([]);
    expect(
      problems(VALID.replace('inputTopics: [in] }', 'inputTopics: [in], fromBeginning: true }')),
    ).toEqual([]);
  });

  it('never echoes a value written where a secret belongs', () => {
    const p = problems(VALID.replace('file: creds.json', 'password: hunter2'));
    expect(p.join('\n')).not.toContain('hunter2');
    expect(p.join('\n')).toContain('irp.credentials[0].password: expected SecretRef');
  });
});

describe('source config: environment overrides and paths', () => {
  it('IRP_BRIDGE_* variables win over the file and are checked like it', () => {
    const { config, overrides } = parseSourceConfig(VALID, 'x.yaml', {
      IRP_BRIDGE_BROKERS: 'k1:9092, k2:9093',
      IRP_BRIDGE_GROUP_ID: 'other',
      IRP_BRIDGE_LOG_LEVEL: 'debug',
      IRP_BRIDGE_HTTP_HOST: '0.0.0.0',
      IRP_BRIDGE_HTTP_PORT: '9000',
      IRP_BRIDGE_IRP_BASE_URL: 'https://irp.example',
      IRP_BRIDGE_SCHEMA_REGISTRY_URL: 'http://registry:8081',
    });
    expect(config.kafka.brokers).toEqual(['k1:9092', 'k2:9093']);
    expect(config.kafka.groupId).toBe('other');
    expect(config.ops).toEqual({ logLevel: 'debug', httpHost: '0.0.0.0', httpPort: 9000 });
    expect(config.irp.baseUrl).toBe('https://irp.example');
    expect(config.avro?.registry?.url).toBe('http://registry:8081');
    expect(overrides.map((o) => o.variable)).toHaveLength(7);
    expect(problems(VALID, { IRP_BRIDGE_HTTP_PORT: 'abc', IRP_BRIDGE_BROKERS: 'nohost' })).toEqual([
      'kafka.brokers[0]: expected host:port (port 1–65535), got "nohost" (from IRP_BRIDGE_BROKERS)',
      'ops.httpPort: expected a TCP port, 0–65535 (0: any free port), got "abc" (from IRP_BRIDGE_HTTP_PORT)',
    ]);
    expect(problems(VALID, { IRP_BRIDGE_GROUP_ID: '' })).toEqual([]);
  });

  it('every path is relative to the config file, whatever the working directory', () => {
    const dir = mkdtempSync(join(tmpdir(), 'irp-config-paths-'));
    const file = join(dir, 'source.yaml');
    writeFileSync(
      file,
      VALID.replace(
        /^kafka: .*$/m,
        'kafka: { brokers: ["b:1"], groupId: g, inputTopics: [in], ssl: { enabled: true, caFile: ca.pem, certFile: tls/cert.pem, keyFile: /abs/key.pem }, sasl: { mechanism: plain, username: u, password: { file: sasl.txt } } }',
      ) + 'avro: { schemaFile: ../schemas/x.avsc }\n',
    );
    const { config } = loadSourceConfig(file, {});
    expect(config.kafka.ssl).toMatchObject({
      caFile: join(dir, 'ca.pem'),
      certFile: join(dir, 'tls/cert.pem'),
      keyFile: '/abs/key.pem',
    });
    expect(config.kafka.sasl?.password).toEqual({ file: join(dir, 'sasl.txt') });
    expect(config.irp.credentials[0]!.file).toBe(join(dir, 'creds.json'));
    expect(config.avro?.schemaFile).toBe(join(dir, '../schemas/x.avsc'));
  });
});
