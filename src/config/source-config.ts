/**
 * One ERP source's configuration (config/sources/<erp>.yaml), as io-ts codecs: the single source of
 * truth for the file's shape, and for docs/configuration.md. Secrets are never inline: each one names
 * an environment variable (`…Env`) or a file (`…File`), resolved by the loader.
 */
import * as t from 'io-ts';

const positiveInt = t.refinement(t.number, (n) => Number.isInteger(n) && n > 0, 'PositiveInteger');
const nonNegativeInt = t.refinement(t.number, (n) => Number.isInteger(n) && n >= 0, 'NonNegativeInteger');
const nonEmpty = t.refinement(t.string, (s) => s.trim().length > 0, 'NonEmptyString');

/** A secret: exactly one of an environment variable name or a file path. */
export const SecretRef = t.union(
  [t.exact(t.type({ env: nonEmpty })), t.exact(t.type({ file: nonEmpty }))],
  'SecretRef',
);

const optional = <P extends t.Props>(required: P, optionalProps: t.Props, name: string) =>
  t.exact(t.intersection([t.type(required), t.partial(optionalProps)]), name);

export const KafkaConfigCodec = optional(
  {
    brokers: t.array(nonEmpty),
    groupId: nonEmpty,
    inputTopics: t.array(nonEmpty),
  },
  {
    adapter: t.keyof({ kafkajs: null, confluent: null }),
    clientId: nonEmpty,
    fromBeginning: t.boolean,
    partitionsConsumedConcurrently: positiveInt,
    sessionTimeoutMs: positiveInt,
    readCommitted: t.boolean,
    ssl: optional(
      { enabled: t.boolean },
      { caFile: nonEmpty, certFile: nonEmpty, keyFile: nonEmpty, rejectUnauthorized: t.boolean },
      'Ssl',
    ),
    sasl: optional(
      {
        mechanism: t.keyof({ plain: null, 'scram-sha-256': null, 'scram-sha-512': null }),
        username: nonEmpty,
        password: SecretRef,
      },
      {},
      'Sasl',
    ),
  },
  'Kafka',
);

export const OutputTopicsCodec = t.exact(
  t.type({ results: nonEmpty, errors: nonEmpty, deadLetter: nonEmpty }),
  'Topics',
);

export const AvroConfigCodec = optional(
  {},
  {
    /** A local .avsc (the writer schema when no registry is used); default: the connector's schema. */
    schemaFile: nonEmpty,
    /** `confluent`: magic byte 0 + 4-byte schema id + Avro body; `raw`: Avro body only. */
    wireFormat: t.keyof({ confluent: null, raw: null }),
    registry: optional(
      { url: nonEmpty },
      { username: nonEmpty, password: SecretRef, timeoutMs: positiveInt },
      'SchemaRegistry',
    ),
  },
  'Avro',
);

export const IrpCredentialCodec = optional(
  { gstin: t.refinement(t.string, (g) => /^[0-9]{2}[0-9A-Z]{13}$/.test(g), 'Gstin') },
  {
    /** A JSON file with {clientId, clientSecret, userName, password} (e.g. the sandbox's credentials file). */
    file: nonEmpty,
    clientId: SecretRef,
    clientSecret: SecretRef,
    userName: SecretRef,
    password: SecretRef,
  },
  'IrpCredential',
);

export const IrpConfigCodec = optional(
  { baseUrl: nonEmpty, credentials: t.array(IrpCredentialCodec) },
  {
    authVersion: t.keyof({ 'v1.04': null, 'v1.03': null }),
    /** PEM of the IRP public encryption key (downloaded from the portal). */
    publicKeyFile: nonEmpty,
    /** PEM of the IRP signing certificate, to verify SignedInvoice / SignedQRCode. */
    signingCertFile: nonEmpty,
    timeoutMs: positiveInt,
    maxConcurrencyPerGstin: positiveInt,
    ratePerSecond: positiveInt,
    retry: optional(
      {},
      {
        maxAttempts: positiveInt,
        initialDelayMs: positiveInt,
        maxDelayMs: positiveInt,
        deadlineMs: positiveInt,
      },
      'Retry',
    ),
    breaker: optional({}, { consecutiveFailures: positiveInt, halfOpenAfterMs: positiveInt }, 'Breaker'),
  },
  'Irp',
);

export const PipelineConfigCodec = optional(
  {},
  {
    mode: t.keyof({ 'at-least-once': null, 'exactly-once': null }),
    maxInFlight: positiveInt,
    commitIntervalMs: positiveInt,
    /** Exactly-once: stable per instance (default `<groupId>-<hostname>`). */
    transactionalId: nonEmpty,
    largeTaxpayers: t.array(nonEmpty),
  },
  'Pipeline',
);

export const OpsConfigCodec = optional(
  {},
  {
    httpHost: nonEmpty,
    httpPort: nonNegativeInt,
    logLevel: t.keyof({
      fatal: null,
      error: null,
      warn: null,
      info: null,
      debug: null,
      trace: null,
      silent: null,
    }),
  },
  'Ops',
);

export const SourceConfigCodec = optional(
  {
    id: nonEmpty,
    connector: nonEmpty,
    kafka: KafkaConfigCodec,
    topics: OutputTopicsCodec,
    irp: IrpConfigCodec,
  },
  { description: t.string, avro: AvroConfigCodec, pipeline: PipelineConfigCodec, ops: OpsConfigCodec },
  'SourceConfig',
);

export type SourceConfig = t.TypeOf<typeof SourceConfigCodec>;
export type SecretRef = t.TypeOf<typeof SecretRef>;

/** The Kafka connection after secrets are resolved (what adapters receive). */
export interface KafkaConnection {
  clientId: string;
  brokers: string[];
  ssl?: {
    enabled: boolean;
    caFile?: string;
    certFile?: string;
    keyFile?: string;
    rejectUnauthorized?: boolean;
  };
  sasl?: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string };
}
