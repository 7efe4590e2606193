/**
 * Prometheus metrics of a running source (prom-client). One registry per process; every metric is
 * labelled by source id so several pipelines in one process stay apart. Node's default metrics keep
 * their standard names (`process_*`, `nodejs_*`), so stock dashboards work.
 *
 * Every series whose labels are known at start (the source, its topics, output kinds, stages, IRP APIs,
 * retry reasons, breaker states) exists at 0 from the first scrape (`initialiseSeries`), so `rate()` and
 * `increase()` see the first event. Series labelled by an error code (an open set: IRP codes, the
 * connectors' MAP_* codes) appear with their first occurrence; `irp_bridge_outputs_total` carries the
 * same counts by output and is always there, for alerts.
 *
 * The names are a contract: deploy/grafana and deploy/prometheus use them, and
 * test/unit/ops/dashboards.test.ts checks that every metric they name is registered here.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { IrpClientObserver } from '../irp/client/index.js';
import type { TransientCause } from '../irp/client/outcome.js';
import type { InvoiceSource } from '../pipeline/ports.js';

export interface PipelineMetrics {
  registry: Registry;
  buildInfo: Gauge<'version' | 'node'>;
  recordsIn: Counter<'source' | 'topic'>;
  outputs: Counter<'source' | 'output'>;
  results: Counter<'source' | 'kind' | 'recovered'>;
  rejections: Counter<'source' | 'code' | 'stage'>;
  deadLetters: Counter<'source' | 'code'>;
  retries: Counter<'source' | 'code'>;
  inFlight: Gauge<'source'>;
  irpLatency: Histogram<'source' | 'outcome'>;
  consumerLag: Gauge<'source' | 'topic' | 'partition'>;
  circuitOpen: Gauge<'source'>;
  halted: Gauge<'source'>;
  commits: Counter<'source'>;
  commitFailures: Counter<'source'>;
  produceFailures: Counter<'source'>;
  irpLogins: Counter<'source' | 'reason' | 'result'>;
  irpRequests: Counter<'source' | 'api' | 'result'>;
  irpRetries: Counter<'source' | 'reason'>;
  irpBreakerTransitions: Counter<'source' | 'state'>;
  irpErrorCodes: Counter<'source' | 'code'>;
}

/** Label values known in advance (what `initialiseSeries` creates at 0). */
export const KNOWN_LABELS = {
  output: ['result', 'error', 'dead-letter'],
  kind: ['generate', 'cancel', 'ewb'],
  recovered: ['false', 'true'],
  latencyOutcome: ['result', 'error', 'dead-letter', 'retry'],
  loginReason: ['initial', 'renewal', 'invalid-token'],
  loginResult: ['ok', 'credentials', 'transient'],
  api: [
    'generateIrn',
    'getByIrn',
    'getByDocDetails',
    'cancelIrn',
    'gstinDetails',
    'syncGstin',
    'generateEwb',
    'getEwbByIrn',
    'cancelEwb',
  ],
  exchangeResult: ['success', 'rejected', 'duplicate', 'credentials', 'token', 'transient'],
  retryReason: Object.keys({
    timeout: 1,
    'connect-timeout': 1,
    reset: 1,
    refused: 1,
    network: 1,
    aborted: 1,
    'http-status': 1,
    'irp-system': 1,
    token: 1,
    garbled: 1,
    overloaded: 1,
    deadline: 1,
    'unknown-code': 1,
  } satisfies Record<TransientCause['reason'], 1>),
  breakerState: ['open', 'half-open', 'closed', 'isolated'],
} as const;

export interface MetricsOptions {
  /** The irp-bridge version for `irp_bridge_build_info`. */
  version?: string;
}

export function createPipelineMetrics(
  registry = new Registry(),
  withDefaults = true,
  options: MetricsOptions = {},
): PipelineMetrics {
  if (withDefaults) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Counter<L>({ name, help, labelNames, registers });
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Gauge<L>({ name, help, labelNames, registers });
  const metrics: PipelineMetrics = {
    registry,
    buildInfo: gauge('irp_bridge_build_info', 'Always 1; the labels say which build runs', [
      'version',
      'node',
    ]),
    recordsIn: counter('irp_bridge_records_in_total', 'Input records taken from the source', [
      'source',
      'topic',
    ]),
    outputs: counter(
      'irp_bridge_outputs_total',
      'Outputs published, by output (result, error, dead-letter): one per input record',
      ['source', 'output'],
    ),
    results: counter(
      'irp_bridge_results_total',
      'Results published (IRN registered, cancelled, e-way bill)',
      ['source', 'kind', 'recovered'],
    ),
    rejections: counter(
      'irp_bridge_rejections_total',
      'Rejections published on the errors topic, by headline code',
      ['source', 'code', 'stage'],
    ),
    deadLetters: counter('irp_bridge_dead_letters_total', 'Records sent to the dead-letter topic, by code', [
      'source',
      'code',
    ]),
    retries: counter(
      'irp_bridge_retries_total',
      'Records held back for a later retry after transient IRP failures',
      ['source', 'code'],
    ),
    inFlight: gauge('irp_bridge_in_flight', 'Records taken but not yet finished', ['source']),
    irpLatency: new Histogram({
      name: 'irp_bridge_irp_latency_seconds',
      help: 'Time of one IRP submission, retries and recovery included',
      labelNames: ['source', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    consumerLag: gauge(
      'irp_bridge_consumer_lag',
      'Messages behind the partition end, for the partitions this instance owns',
      ['source', 'topic', 'partition'],
    ),
    circuitOpen: gauge(
      'irp_bridge_irp_circuit_open',
      '1 while the IRP circuit is open and consumption paused',
      ['source'],
    ),
    halted: gauge('irp_bridge_halted', '1 when the source stopped on a credentials failure', ['source']),
    commits: counter('irp_bridge_offset_commits_total', 'Offset commits (or transactions) completed', [
      'source',
    ]),
    commitFailures: counter(
      'irp_bridge_offset_commit_failures_total',
      'Offset commits (or transactions) that failed; the offsets are committed again later',
      ['source'],
    ),
    produceFailures: counter(
      'irp_bridge_produce_failures_total',
      'Output sends the brokers did not acknowledge (the input is not committed and is read again)',
      ['source'],
    ),
    irpLogins: counter(
      'irp_bridge_irp_logins_total',
      'IRP logins, by why they were sent (initial, renewal, invalid-token: the re-login after a 1005) and result',
      ['source', 'reason', 'result'],
    ),
    irpRequests: counter(
      'irp_bridge_irp_requests_total',
      'HTTP exchanges with the IRP (logins excluded), by API and result',
      ['source', 'api', 'result'],
    ),
    irpRetries: counter(
      'irp_bridge_irp_http_retries_total',
      'IRP requests retried by the client, by the transient reason',
      ['source', 'reason'],
    ),
    irpBreakerTransitions: counter(
      'irp_bridge_irp_breaker_transitions_total',
      'IRP circuit-breaker state changes, by the state entered',
      ['source', 'state'],
    ),
    irpErrorCodes: counter(
      'irp_bridge_irp_error_codes_total',
      'Error codes in IRP answers (rejections, duplicates, 1005, system errors), by code',
      ['source', 'code'],
    ),
  };
  metrics.buildInfo.set({ version: options.version ?? 'unknown', node: process.versions.node }, 1);
  return metrics;
}

/** Creates every series whose labels are known at start, at 0, for one source. */
export function initialiseSeries(m: PipelineMetrics, source: string, inputTopics: readonly string[]): void {
  const L = KNOWN_LABELS;
  for (const topic of inputTopics) m.recordsIn.inc({ source, topic }, 0);
  for (const output of L.output) m.outputs.inc({ source, output }, 0);
  for (const kind of L.kind)
    for (const recovered of L.recovered) m.results.inc({ source, kind, recovered }, 0);
  for (const outcome of L.latencyOutcome) m.irpLatency.zero({ source, outcome });
  for (const reason of L.loginReason)
    for (const result of L.loginResult) m.irpLogins.inc({ source, reason, result }, 0);
  for (const api of L.api)
    for (const result of L.exchangeResult) m.irpRequests.inc({ source, api, result }, 0);
  for (const reason of L.retryReason) m.irpRetries.inc({ source, reason }, 0);
  for (const state of L.breakerState) m.irpBreakerTransitions.inc({ source, state }, 0);
  m.inFlight.set({ source }, 0);
  m.circuitOpen.set({ source }, 0);
  m.halted.set({ source }, 0);
  m.commits.inc({ source }, 0);
  m.commitFailures.inc({ source }, 0);
  m.produceFailures.inc({ source }, 0);
}

/** The IRP client's observer that counts into these metrics. */
export function irpClientObserver(m: PipelineMetrics, source: string): IrpClientObserver {
  return {
    login: (e) => m.irpLogins.inc({ source, reason: e.reason, result: e.result }),
    exchange: (e) => {
      m.irpRequests.inc({ source, api: e.api, result: e.result });
      for (const code of e.codes ?? []) m.irpErrorCodes.inc({ source, code });
    },
    retry: (e) => m.irpRetries.inc({ source, reason: e.reason }),
    breaker: (state) => m.irpBreakerTransitions.inc({ source, state }),
  };
}

/**
 * Sets the lag gauge for the partitions `source` owns now, and removes the series of partitions it no
 * longer owns (after a rebalance another instance reports them). Without an assignment nothing is shown.
 */
export async function reportOwnedLag(
  m: PipelineMetrics,
  sourceId: string,
  source: InvoiceSource,
): Promise<void> {
  if (!source.lag) return;
  const rows = await source.lag();
  const owned = new Set(source.assignment().map((tp) => `${tp.topic}\u0000${tp.partition}`));
  const keep = new Set<string>();
  for (const r of rows) {
    const key = `${r.topic}\u0000${r.partition}`;
    if (!owned.has(key)) continue;
    keep.add(key);
    m.consumerLag.set({ source: sourceId, topic: r.topic, partition: String(r.partition) }, r.lag);
  }
  const current = await m.consumerLag.get();
  for (const v of current.values) {
    const {
      source: s,
      topic,
      partition,
    } = v.labels as { source?: string; topic?: string; partition?: string };
    if (
      s === sourceId &&
      topic !== undefined &&
      partition !== undefined &&
      !keep.has(`${topic}\u0000${partition}`)
    )
      m.consumerLag.remove({ source: s, topic, partition });
  }
}
