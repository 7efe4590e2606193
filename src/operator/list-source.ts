/**
 * invoice-source over a fixed list of input records (what `irp-bridge replay` re-drives): one batch per
 * topic and partition, in offset order, each record keeping its own coordinates so the outputs name the
 * input they answer. Nothing is committed anywhere: the records already belong to the source's group,
 * which consumed them long ago. What the runner resolved is remembered, so the caller can tell which
 * records were finished before a halt.
 *
 * And an output-sink wrapper that remembers which output answered which input.
 */
import { HEADER } from '../pipeline/outputs.js';
import type {
  InvoiceSource,
  OutputRecord,
  OutputSink,
  SourceBatch,
  SourceMessage,
  SourceState,
  TopicPartition,
  TopicPartitionOffset,
} from '../pipeline/ports.js';
import { coordinatesKey } from './failures.js';

export class ListSource implements InvoiceSource {
  readonly name = 'list';
  private stopping = false;
  private readonly resolved = new Map<string, bigint>();
  /** Partitions the runner paused (its per-partition window is full). */
  private readonly paused = new Set<string>();
  private readonly groups: { topic: string; partition: number; messages: SourceMessage[] }[];

  constructor(messages: SourceMessage[]) {
    const byPartition = new Map<string, { topic: string; partition: number; messages: SourceMessage[] }>();
    for (const m of messages) {
      const k = `${m.topic}\u0000${m.partition}`;
      const g = byPartition.get(k) ?? { topic: m.topic, partition: m.partition, messages: [] };
      g.messages.push(m);
      byPartition.set(k, g);
    }
    this.groups = [...byPartition.values()];
    for (const g of this.groups) g.messages.sort((a, b) => (BigInt(a.offset) < BigInt(b.offset) ? -1 : 1));
  }

  async run(handler: (batch: SourceBatch) => Promise<void>): Promise<void> {
    for (const g of this.groups) {
      const k = `${g.topic}\u0000${g.partition}`;
      for (;;) {
        if (this.stopping) return;
        const from = this.resolved.get(k) ?? -1n;
        const messages = g.messages.filter((m) => BigInt(m.offset) > from);
        if (messages.length === 0) break;
        await handler({
          topic: g.topic,
          partition: g.partition,
          messages,
          heartbeat: async () => undefined,
          isActive: () => !this.stopping,
          resolveOffset: (offset) => {
            const o = BigInt(offset);
            if (o > (this.resolved.get(k) ?? -1n)) this.resolved.set(k, o);
          },
        });
        // The runner takes a partition's records up to a window and pauses it until they complete:
        // deliver the rest once it resumes. Records left for any other reason (a halt) stay unanswered.
        if (!this.paused.has(k)) {
          if ((this.resolved.get(k) ?? -1n) === from) break;
          continue;
        }
        while (this.paused.has(k) && !this.stopping) await new Promise((r) => setTimeout(r, 10));
      }
    }
  }

  /** Whether the runner finished `m` (resolved its offset or a later one of its partition). */
  finished(m: SourceMessage): boolean {
    const r = this.resolved.get(`${m.topic}\u0000${m.partition}`);
    return r !== undefined && BigInt(m.offset) <= r;
  }

  async commit(_offsets: TopicPartitionOffset[]): Promise<void> {}
  pause(partitions: TopicPartition[]): void {
    for (const p of partitions) this.paused.add(`${p.topic}\u0000${p.partition}`);
  }
  resume(partitions: TopicPartition[]): void {
    for (const p of partitions) this.paused.delete(`${p.topic}\u0000${p.partition}`);
  }
  pauseAll(): void {}
  resumeAll(): void {
    this.paused.clear();
  }
  state(): SourceState {
    return { phase: this.stopping ? 'stopped' : 'member', assigned: this.assignment() };
  }
  assignment(): TopicPartition[] {
    return this.groups.map((g) => ({ topic: g.topic, partition: g.partition }));
  }
  async stop(): Promise<void> {
    this.stopping = true;
  }
}

/** What answered one input. */
export interface Answer {
  output: 'result' | 'error' | 'dead-letter';
  topic: string;
  value: Record<string, unknown> | null;
  code?: string;
}

/** `sink`, remembering the output of each input (by its coordinates) once the broker acknowledged it. */
export function answeringSink(sink: OutputSink): { sink: OutputSink; answers: Map<string, Answer> } {
  const answers = new Map<string, Answer>();
  const note = (records: OutputRecord[]) => {
    for (const r of records) {
      const kind = r.headers[HEADER.kind];
      const k = typeof kind === 'string' ? kind : kind?.toString('utf8');
      if (k !== 'result' && k !== 'error' && k !== 'dead-letter') continue;
      let value: Record<string, unknown> | null = null;
      let coords: { topic: string; partition: number; offset: string } | undefined;
      if (k === 'dead-letter') {
        const h = (n: string) => {
          const v = r.headers[n];
          return typeof v === 'string' ? v : v?.toString('utf8');
        };
        coords = {
          topic: h(HEADER.topic) ?? '',
          partition: Number(h(HEADER.partition)),
          offset: h(HEADER.offset) ?? '',
        };
      } else {
        value = JSON.parse(String(r.value)) as Record<string, unknown>;
        coords = value.source as typeof coords;
      }
      if (!coords) continue;
      const code = r.headers[HEADER.code];
      answers.set(coordinatesKey(coords), {
        output: k,
        topic: r.topic,
        value,
        ...(code !== undefined ? { code: String(code) } : {}),
      });
    }
  };
  const wrapped: OutputSink = {
    name: sink.name,
    transactional: sink.transactional,
    send: async (records) => {
      await sink.send(records);
      note(records);
    },
    close: () => sink.close(),
  };
  return { sink: wrapped, answers };
}
