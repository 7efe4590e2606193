/**
 * Prometheus metrics of a running source (prom-client). One registry per process; every metric is
 * labelled by source id so several pipelines in one process stay apart.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface PipelineMetrics {
  registry: Registry;
  recordsIn: Counter<'source' | 'topic'>;
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
}

export function createPipelineMetrics(registry = new Registry(), withDefaults = true): PipelineMetrics {
  if (withDefaults) collectDefaultMetrics({ register: registry, prefix: 'irp_bridge_process_' });
  const registers = [registry];
  return {
    registry,
    recordsIn: new Counter({
      name: 'irp_bridge_records_in_total',
      help: 'Input records taken from the source',
      labelNames: ['source', 'topic'],
      registers,
    }),
    results: new Counter({
      name: 'irp_bridge_results_total',
      help: 'Results published (IRN registered, cancelled, e-way bill)',
      labelNames: ['source', 'kind', 'recovered'],
      registers,
    }),
    rejections: new Counter({
      name: 'irp_bridge_rejections_total',
      help: 'Rejections published on the errors topic, by headline code',
      labelNames: ['source', 'code', 'stage'],
      registers,
    }),
    deadLetters: new Counter({
      name: 'irp_bridge_dead_letters_total',
      help: 'Records sent to the dead-letter topic',
      labelNames: ['source', 'code'],
      registers,
    }),
    retries: new Counter({
      name: 'irp_bridge_retries_total',
      help: 'Records held back for a later retry after transient IRP failures',
      labelNames: ['source', 'code'],
      registers,
    }),
    inFlight: new Gauge({
      name: 'irp_bridge_in_flight',
      help: 'Records taken but not yet finished',
      labelNames: ['source'],
      registers,
    }),
    irpLatency: new Histogram({
      name: 'irp_bridge_irp_latency_seconds',
      help: 'Time of one IRP submission, retries and recovery included',
      labelNames: ['source', 'outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    consumerLag: new Gauge({
      name: 'irp_bridge_consumer_lag',
      help: 'Messages behind the partition end',
      labelNames: ['source', 'topic', 'partition'],
      registers,
    }),
    circuitOpen: new Gauge({
      name: 'irp_bridge_irp_circuit_open',
      help: '1 while the IRP circuit is open and consumption paused',
      labelNames: ['source'],
      registers,
    }),
    halted: new Gauge({
      name: 'irp_bridge_halted',
      help: '1 when the source stopped on a credentials failure',
      labelNames: ['source'],
      registers,
    }),
    commits: new Counter({
      name: 'irp_bridge_offset_commits_total',
      help: 'Offset commits (or transactions) completed',
      labelNames: ['source'],
      registers,
    }),
  };
}
