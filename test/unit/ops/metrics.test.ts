import { describe, expect, it } from 'vitest';
import {
  createPipelineMetrics,
  initialiseSeries,
  KNOWN_LABELS,
  reportOwnedLag,
} from '../../../src/ops/metrics.js';
import type { InvoiceSource, TopicPartition } from '../../../src/pipeline/ports.js';

describe('metrics', () => {
  it('Node defaults keep their standard names; build info says which build runs', async () => {
    const m = createPipelineMetrics(undefined, true, { version: '9.9.9' });
    const text = await m.registry.metrics();
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^nodejs_heap_size_total_bytes /m);
    expect(text).not.toContain('irp_bridge_process_');
    expect(text).toContain(`irp_bridge_build_info{version="9.9.9",node="${process.versions.node}"} 1`);
  });

  it('every series with known labels exists at 0 before the first event', async () => {
    const m = createPipelineMetrics(undefined, false);
    initialiseSeries(m, 's', ['erp.a', 'erp.b']);
    const text = await m.registry.metrics();
    for (const line of [
      'irp_bridge_records_in_total{source="s",topic="erp.a"} 0',
      'irp_bridge_records_in_total{source="s",topic="erp.b"} 0',
      'irp_bridge_outputs_total{source="s",output="dead-letter"} 0',
      'irp_bridge_results_total{source="s",kind="cancel",recovered="true"} 0',
      'irp_bridge_irp_latency_seconds_count{source="s",outcome="retry"} 0',
      'irp_bridge_irp_logins_total{source="s",reason="invalid-token",result="ok"} 0',
      'irp_bridge_irp_requests_total{source="s",api="generateIrn",result="token"} 0',
      'irp_bridge_irp_http_retries_total{source="s",reason="http-status"} 0',
      'irp_bridge_irp_breaker_transitions_total{source="s",state="open"} 0',
      'irp_bridge_irp_circuit_open{source="s"} 0',
      'irp_bridge_halted{source="s"} 0',
      'irp_bridge_in_flight{source="s"} 0',
      'irp_bridge_offset_commits_total{source="s"} 0',
      'irp_bridge_offset_commit_failures_total{source="s"} 0',
      'irp_bridge_produce_failures_total{source="s"} 0',
    ])
      expect(text).toContain(line);
    const requests = (await m.irpRequests.get()).values;
    expect(requests).toHaveLength(KNOWN_LABELS.api.length * KNOWN_LABELS.exchangeResult.length);
  });

  it('reports lag only for the partitions this instance owns, and forgets those it lost', async () => {
    const m = createPipelineMetrics(undefined, false);
    let owned: TopicPartition[] = [
      { topic: 't', partition: 0 },
      { topic: 't', partition: 2 },
    ];
    // The group's lag covers every partition; the instance owns some.
    const source = {
      assignment: () => owned,
      state: () => ({ phase: 'member', assigned: owned }),
      lag: async () => [0, 1, 2, 3].map((p) => ({ topic: 't', partition: p, lag: 10 + p })),
    } as unknown as InvoiceSource;
    await reportOwnedLag(m, 's', source);
    const partitions = async () =>
      (await m.consumerLag.get()).values.map((v) => `${v.labels.partition}=${v.value}`).sort();
    expect(await partitions()).toEqual(['0=10', '2=12']);
    owned = [{ topic: 't', partition: 3 }];
    await reportOwnedLag(m, 's', source);
    expect(await partitions()).toEqual(['3=13']);
  });
});
