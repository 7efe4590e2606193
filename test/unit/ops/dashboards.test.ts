/**
 * The Grafana dashboard and the Prometheus alert rules in deploy/ name only metrics (and labels) the
 * code registers: a renamed metric fails here, not silently on a wall screen at night.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createPipelineMetrics } from '../../../src/ops/metrics.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** name -> label names, histograms with their _bucket/_sum/_count series. */
function registered(): Map<string, Set<string>> {
  const m = createPipelineMetrics(undefined, true);
  const out = new Map<string, Set<string>>();
  for (const metric of m.registry.getMetricsAsArray()) {
    const { name, type, labelNames } = metric as unknown as {
      name: string;
      type: string;
      labelNames?: string[];
    };
    const labels = new Set<string>(labelNames ?? []);
    out.set(name, labels);
    if (type === 'histogram') {
      out.set(`${name}_bucket`, new Set([...labels, 'le']));
      out.set(`${name}_sum`, labels);
      out.set(`${name}_count`, labels);
    }
  }
  return out;
}

/** Labels Prometheus adds to every scraped series. */
const TARGET_LABELS = ['job', 'instance'];
const PROMQL_WORDS = new Set([
  'and',
  'or',
  'unless',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'offset',
  'le',
]);

/** Metric selectors of a PromQL expression: `name{label=..}` and bare names that are not functions. */
export function selectors(expr: string): { name: string; labels: string[] }[] {
  const text = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""') // string literals
    .replace(/\[[^\]]*\]/g, '') // ranges and subqueries
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ''); // label lists
  const found: { name: string; labels: string[] }[] = [];
  // Not inside a number (1e9) or another name.
  const re = /(?<![A-Za-z0-9_:.])([A-Za-z_:][A-Za-z0-9_:]*)\s*(\{[^}]*\})?(\s*\()?/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const [, name, matchers, call] = m;
    if (call || PROMQL_WORDS.has(name!) || /^\d/.test(name!)) continue;
    const before = text.slice(0, m.index);
    if (/\{[^}]*$/.test(before)) continue; // a label name inside a matcher
    const labels = [...(matchers ?? '').matchAll(/([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)/g)].map(
      (l) => l[1]!,
    );
    found.push({ name: name!, labels });
  }
  return found;
}

function exprsOfDashboard(dashboard: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === 'expr' && typeof v === 'string') out.push(v);
        else if (k === 'query' && typeof v === 'string' && /label_values\(/.test(v))
          out.push(/label_values\(([^,)]+)/.exec(v)![1]!);
        else walk(v);
      }
    }
  };
  walk(dashboard);
  return out;
}

function check(exprs: string[], known: Map<string, Set<string>>): string[] {
  const problems: string[] = [];
  for (const expr of exprs)
    for (const s of selectors(expr)) {
      if (s.name === 'up') continue; // Prometheus' own
      const labels = known.get(s.name);
      if (!labels) problems.push(`${s.name}: no such metric (in ${expr})`);
      else
        for (const l of s.labels)
          if (!labels.has(l) && !TARGET_LABELS.includes(l))
            problems.push(`${s.name}: no label ${l} (in ${expr})`);
    }
  return problems;
}

describe('deploy/ dashboards and alerts', () => {
  it('the selector reader finds metrics and their labels, not functions or label names', () => {
    expect(
      selectors(
        'sum by (source) (rate(irp_bridge_outputs_total{output="dead-letter", source=~"$s"}[5m])) > 0 and up',
      ),
    ).toEqual([
      { name: 'irp_bridge_outputs_total', labels: ['output', 'source'] },
      { name: 'up', labels: [] },
    ]);
  });

  it('the Grafana dashboard uses only registered metrics and labels', async () => {
    const dashboard = JSON.parse(
      readFileSync(join(ROOT, 'deploy/grafana/irp-bridge-dashboard.json'), 'utf8'),
    ) as unknown;
    const exprs = exprsOfDashboard(dashboard);
    expect(exprs.length).toBeGreaterThan(20);
    expect(check(exprs, registered())).toEqual([]);
  });

  it('the alert rules use only registered metrics and labels, and cover halted, circuit open, lag growing, dead letters', async () => {
    const rules = parse(readFileSync(join(ROOT, 'deploy/prometheus/alerts.yaml'), 'utf8')) as {
      groups: { rules: { alert: string; expr: string; labels: { severity: string } }[] }[];
    };
    const all = rules.groups.flatMap((g) => g.rules);
    expect(
      check(
        all.map((r) => r.expr),
        registered(),
      ),
    ).toEqual([]);
    const byName = new Map(all.map((r) => [r.alert, r.expr]));
    expect(byName.get('IrpBridgeHalted')).toContain('irp_bridge_halted');
    expect(byName.get('IrpBridgeCircuitOpen')).toContain('irp_bridge_irp_circuit_open');
    expect(byName.get('IrpBridgeLagGrowing')).toContain('irp_bridge_consumer_lag');
    expect(byName.get('IrpBridgeDeadLetters')).toContain('output="dead-letter"');
    for (const r of all) expect(['critical', 'warning', 'info']).toContain(r.labels.severity);
  });
});
