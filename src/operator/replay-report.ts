/**
 * How `irp-bridge replay` shows a plan and what came of it: one line per input (terminal), or one JSON
 * document (`--json`) that carries, for a dry run, the very payload that would be submitted.
 */
import { coordinatesKey, showCoordinates } from './failures.js';
import type { Answer } from './list-source.js';
import type { PlanItem, ReplayPlan } from './replay.js';

export interface ReplayOutcome {
  /** Per input (coordinatesKey): what answered it; absent: not finished (the source halted). */
  answers: Map<string, Answer>;
}

function outcomeOf(item: PlanItem, outcome: ReplayOutcome | undefined): Record<string, unknown> | undefined {
  if (!outcome || item.verdict.action !== 'send') return undefined;
  const a = outcome.answers.get(coordinatesKey(item.failed.input));
  if (!a) return { output: 'none', detail: 'not finished: the run stopped before this record' };
  const v = a.value ?? {};
  if (a.output === 'result')
    return { output: 'result', topic: a.topic, Irn: v.Irn ?? null, recovered: v.recovered === true };
  if (a.output === 'error')
    return {
      output: 'error',
      topic: a.topic,
      codes: Array.isArray(v.errors) ? (v.errors as { code: string }[]).map((e) => e.code) : [a.code],
    };
  return { output: 'dead-letter', topic: a.topic, code: a.code ?? null };
}

export function counts(plan: ReplayPlan): { send: number; skip: Record<string, number> } {
  const skip: Record<string, number> = {};
  let send = 0;
  for (const i of plan.items)
    if (i.verdict.action === 'send') send++;
    else skip[i.verdict.reason] = (skip[i.verdict.reason] ?? 0) + 1;
  return { send, skip };
}

export function replayJson(plan: ReplayPlan, dryRun: boolean, outcome?: ReplayOutcome): unknown {
  const c = counts(plan);
  return {
    replayId: plan.replayId,
    dryRun,
    from: plan.failuresTopic,
    scanned: plan.scanned,
    matched: plan.matched,
    inputs: plan.items.length,
    send: c.send,
    skipped: c.skip,
    unreadable: plan.unreadable,
    items: plan.items.map((i) => ({
      failure: { ...i.failed.at, stage: i.failed.stage, codes: i.failed.codes, message: i.failed.message },
      input: i.failed.input,
      ...(i.verdict.action === 'send'
        ? {
            action: 'send',
            kind: i.verdict.kind,
            docKey: i.verdict.docKey,
            ...(i.verdict.note ? { note: i.verdict.note } : {}),
            ...(dryRun ? { payload: i.verdict.payload } : {}),
          }
        : { action: 'skip', reason: i.verdict.reason, detail: i.verdict.detail, docKey: i.failed.docKey }),
      ...(outcomeOf(i, outcome) ? { outcome: outcomeOf(i, outcome) } : {}),
    })),
  };
}

export function formatReplay(plan: ReplayPlan, dryRun: boolean, outcome?: ReplayOutcome): string {
  const c = counts(plan);
  const skipped = Object.entries(c.skip)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const lines = [
    `replay ${plan.replayId}${dryRun ? ' (dry run: nothing sent)' : ''}: ${plan.scanned} records on ${plan.failuresTopic}, ${plan.matched} match, ${plan.items.length} inputs — ${dryRun ? 'would send' : 'sent'} ${c.send}${skipped ? `, skipped ${skipped}` : ''}`,
  ];
  if (plan.unreadable.length > 0)
    lines.push(
      `  ${plan.unreadable.length} records on ${plan.failuresTopic} are not irp-bridge failure records (first: ${showCoordinates(plan.unreadable[0]!.at)}: ${plan.unreadable[0]!.reason})`,
    );
  for (const i of plan.items) {
    const was = `${showCoordinates(i.failed.input)}  ${i.failed.stage} ${i.failed.codes.join(',')}`;
    let now: string;
    if (i.verdict.action === 'send') {
      now = `${dryRun ? 'would send' : 'sent'} ${i.verdict.kind} ${i.verdict.docKey}${i.verdict.note ? ` (${i.verdict.note})` : ''}`;
      const o = outcomeOf(i, outcome);
      if (o) {
        const detail =
          o.output === 'result'
            ? `IRN ${String(o.Irn)}${o.recovered ? ' (recovered)' : ''}`
            : o.output === 'error'
              ? `rejected ${(o.codes as string[]).join(',')}`
              : o.output === 'dead-letter'
                ? `dead letter ${String(o.code)}`
                : String(o.detail);
        now += ` → ${detail}`;
      }
    } else now = `skip (${i.verdict.reason}): ${i.verdict.detail}`;
    lines.push(`  ${was.padEnd(48)} ${now}`);
  }
  return `${lines.join('\n')}\n`;
}
