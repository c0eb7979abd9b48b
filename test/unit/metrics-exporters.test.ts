import { describe, expect, it } from 'vitest';
import { type CommitStats, emptyStats } from '../../src/core/commit-stats.ts';
import type { JournalEntry } from '../../src/core/journal.ts';
import {
  buildDashboard,
  dashboardSchema,
  GRAFANA_DATASOURCE_INPUT,
  grafanaDashboard,
  METRICS,
  type MetricSpec,
  renderDashboardHtml,
  toPrometheusText,
} from '../../src/metrics/index.ts';
import { parsePromText, promValue } from '../support/prom-text.ts';

const T0 = 1_800_000_000_000;
const conflict = (
  at: number,
  anchorId: string,
  kind: JournalEntry['kind'],
  resolution: JournalEntry['resolution'],
  writer: string,
  writers: string[],
): JournalEntry => ({
  commitId: `c-${at}`,
  at: T0 + at,
  writer,
  anchorId,
  type: anchorId.startsWith('p') ? 'Profile' : 'Root',
  kind,
  resolution,
  fields: kind === 'field' ? ['name'] : [],
  edges: [],
  writers,
});

const JOURNAL: JournalEntry[] = [
  conflict(100, 'root1', 'edge', 'rebased', 'w1', ['w2']),
  conflict(200, 'root1', 'edge', 'rebased', 'w2', ['w1']),
  conflict(1100, 'p1', 'field', 'lww', 'w1', ['w2', 'w3']),
  conflict(1500, 'root1', 'edge', 'rebased', 'w3', ['w1']),
  conflict(2100, 'p1', 'field', 'rejected', 'w2', ['w1']),
  conflict(2900, 'p2', 'delete', 'exhausted', 'w1', ['w3']),
];

/** Writer w1's second 0 and 2, writer w2's second 0: counts picked so every total is distinct. */
function row(writer: string, second: number, n: Partial<CommitStats>): CommitStats {
  return { ...emptyStats(writer, 'sqlite', T0 + second * 1000, T0 + second * 1000 + 1000), ...n };
}
const STATS: CommitStats[] = [
  row('w1', 0, {
    commits: { committed: 10, conflict: 0, exhausted: 0, error: 0 },
    attempts: { committed: 10, conflict: 2, busy: 1, error: 0 },
    backoffMs: 4,
    busyWaitMs: 30,
    durationMs: 40,
    durationHist: { '0.001': 6, '0.005': 3, '0.025': 1 },
    attemptsHist: { '1': 8, '2': 1, '3': 1 },
  }),
  row('w2', 0, {
    commits: { committed: 5, conflict: 1, exhausted: 0, error: 1 },
    attempts: { committed: 5, conflict: 3, busy: 0, error: 1 },
    durationMs: 20,
    durationHist: { '0.001': 5, '0.01': 2 },
    attemptsHist: { '1': 5, '3': 2 },
  }),
  row('w1', 2, {
    commits: { committed: 3, conflict: 0, exhausted: 1, error: 0 },
    attempts: { committed: 3, conflict: 31, busy: 0, error: 0 },
    backoffMs: 996,
    durationMs: 1000,
    durationHist: { '0.0005': 3, '2.5': 1 },
    attemptsHist: { '1': 3, '31': 1 },
  }),
];

const doc = buildDashboard({ backend: 'sqlite', journal: JOURNAL, stats: STATS, now: T0 + 5000, topK: 10 });

describe('the JSON document', () => {
  it('parses back through its exported schema, version 1', () => {
    const parsed = dashboardSchema.parse(JSON.parse(JSON.stringify(doc)));
    expect(parsed).toEqual(doc);
    expect(parsed).toMatchObject({ format: 'anchorage-metrics', version: 1, writers: 3, bucketMs: 1000 });
  });

  it('adds up totals, ratios and the resolution breakdown', () => {
    expect(doc.totals.commits).toEqual({ committed: 18, conflict: 1, exhausted: 1, error: 1, total: 21 });
    expect(doc.totals.casAttempts).toEqual({ committed: 18, conflict: 36, busy: 1, error: 1, total: 56 });
    expect(doc.totals.conflictRatio).toBeCloseTo(36 / 56, 12);
    expect(doc.totals.backoffShare).toBeCloseTo(1 / 1.06, 12);
    expect(doc.totals.busyWaitSeconds).toBeCloseTo(0.03, 12);
    expect(doc.totals.conflicts).toEqual({
      total: 6,
      escaped: 2,
      byKind: { edge: 3, field: 2, delete: 1 },
      byResolution: { rebased: 3, merged: 0, lww: 1, rejected: 1, exhausted: 1 },
    });
    expect(doc.resolutionBreakdown).toEqual([
      { kind: 'edge', resolution: 'rebased', count: 3 },
      { kind: 'field', resolution: 'lww', count: 1 },
      { kind: 'field', resolution: 'rejected', count: 1 },
      { kind: 'delete', resolution: 'exhausted', count: 1 },
    ]);
  });

  it('lists hot anchors and types, most conflicted first, and the writer-pair matrix', () => {
    expect(doc.hotAnchors.map((a) => [a.anchorId, a.count])).toEqual([
      ['root1', 3],
      ['p1', 2],
      ['p2', 1],
    ]);
    expect(doc.hotAnchors[0]?.kinds).toEqual({ edge: 3, field: 0, delete: 0 });
    expect(doc.hotTypes).toEqual([
      { type: 'Profile', count: 3 },
      { type: 'Root', count: 3 },
    ]);
    const { writers, counts } = doc.writerPairs;
    const at = (w: string, r: string) => counts[writers.indexOf(w)]?.[writers.indexOf(r)];
    expect(writers).toEqual(['w1', 'w2', 'w3']);
    expect([at('w1', 'w2'), at('w1', 'w3'), at('w2', 'w1'), at('w3', 'w1'), at('w2', 'w3')]).toEqual([2, 2, 2, 1, 0]);
  });

  it('gives percentiles as bucket upper bounds', () => {
    expect(doc.commitAttempts).toEqual({ count: 21, p50: 1, p90: 3, p99: 31 });
    // Durations: 3 ≤ 0.5 ms, 11 ≤ 1 ms, 3 ≤ 5 ms, 2 ≤ 10 ms, 1 ≤ 25 ms, 1 ≤ 2.5 s; the 19th of 21 is in ≤ 10 ms.
    expect(doc.commitLatencySeconds).toEqual({ count: 21, p50: 0.001, p90: 0.01, p99: 2.5 });
  });

  it('has a series per second with rates, escapes and percentiles', () => {
    expect(doc.series.map((p) => p.start - T0)).toEqual([0, 1000, 2000]);
    expect(doc.series.map((p) => [p.commits, p.conflicts, p.escaped])).toEqual([
      [17, 2, 0],
      [0, 2, 0],
      [4, 2, 2],
    ]);
    expect(doc.series[0]?.conflictRatio).toBeCloseTo(5 / 22, 12);
    expect(doc.series[1]?.conflictRatio).toBeNull();
    expect(doc.series[2]?.p99Attempts).toBe(31);
    expect(doc.series[2]?.resolutions).toEqual({ rebased: 0, merged: 0, lww: 0, rejected: 1, exhausted: 1 });
  });

  it('keeps only data since the given time', () => {
    const late = buildDashboard({ backend: 'sqlite', journal: JOURNAL, stats: STATS, now: T0 + 5000, since: T0 + 2000 });
    expect(late.totals.conflicts.total).toBe(2);
    expect(late.totals.commits.total).toBe(4);
    expect(late.range).toEqual({ since: T0 + 2000, first: T0 + 2000, last: T0 + 3000 });
  });

  it('is valid with no data at all', () => {
    const empty = dashboardSchema.parse(buildDashboard({ backend: 'sqlite', journal: [], stats: [], now: T0 }));
    expect(empty.series).toEqual([]);
    expect(empty.totals.conflictRatio).toBeNull();
    expect(empty.commitLatencySeconds.p99).toBeNull();
  });
});

describe('the Prometheus text export', () => {
  const { families, samples } = parsePromText(toPrometheusText(doc));

  it('declares every family with help and type, under the live names', () => {
    for (const spec of Object.values(METRICS)) {
      expect(families.get(spec.name)).toMatchObject({ type: spec.type });
      expect(families.get(spec.name)?.help.length).toBeGreaterThan(10);
    }
  });

  it('carries the document totals', () => {
    expect(promValue(samples, 'anchorage_commits_total', { outcome: 'committed' })).toBe(18);
    expect(promValue(samples, 'anchorage_commits_total', { outcome: 'exhausted' })).toBe(1);
    expect(promValue(samples, 'anchorage_cas_attempts_total', { outcome: 'conflict' })).toBe(36);
    expect(promValue(samples, 'anchorage_conflicts_total', { kind: 'edge', resolution: 'rebased' })).toBe(3);
    expect(promValue(samples, 'anchorage_conflicts_total', { kind: 'delete', resolution: 'exhausted' })).toBe(1);
    expect(promValue(samples, 'anchorage_conflicts_total', { kind: 'field', resolution: 'merged' })).toBe(0);
    expect(promValue(samples, 'anchorage_retry_backoff_seconds_total')).toBeCloseTo(1, 12);
    expect(samples.every((s) => s.labels.backend === 'sqlite')).toBe(true);
  });

  it('writes histograms with cumulative buckets ending in +Inf = count', () => {
    for (const name of ['anchorage_commit_attempts', 'anchorage_commit_duration_seconds']) {
      const buckets = samples.filter((s) => s.name === `${name}_bucket`);
      expect(buckets.at(-1)?.labels.le).toBe('+Inf');
      expect(buckets.every((b, i) => i === 0 || b.value >= (buckets[i - 1]?.value ?? 0))).toBe(true);
      expect(buckets.at(-1)?.value).toBe(promValue(samples, `${name}_count`));
    }
    expect(promValue(samples, 'anchorage_commit_attempts_sum')).toBe(56);
    expect(promValue(samples, 'anchorage_commit_attempts_bucket', { le: '2' })).toBe(17);
  });
});

describe('the Grafana dashboard', () => {
  const g = grafanaDashboard();
  const known = new Set<string>(Object.values(METRICS).map((m) => m.name));

  it('is a classic dashboard with a Prometheus datasource input', () => {
    expect(g.__inputs).toEqual([
      expect.objectContaining({ name: GRAFANA_DATASOURCE_INPUT, type: 'datasource', pluginId: 'prometheus' }),
    ]);
    expect(g).toMatchObject({ id: null, schemaVersion: expect.any(Number), uid: expect.any(String), title: expect.any(String) });
    expect(g.templating.list.map((v) => v.name)).toEqual(['backend']);
  });

  it('has the required panels, each on the input datasource, with queries over anchorage metrics', () => {
    const titles = g.panels.map((p) => p.title);
    for (const t of [
      'Conflict ratio',
      'Escaped conflicts',
      'p99 attempts per commit',
      'p99 commit latency',
      'Backoff share',
      'Resolution breakdown',
    ]) {
      expect(titles).toContain(t);
    }
    expect(new Set(g.panels.map((p) => p.id)).size).toBe(g.panels.length);
    const input = ['$', '{DS_PROMETHEUS}'].join('');
    for (const p of g.panels) {
      expect(p.datasource.uid).toBe(input);
      expect(p.targets.length).toBeGreaterThan(0);
      for (const t of p.targets) {
        expect(t.datasource.uid).toBe(input);
        const names = [...t.expr.matchAll(/anchorage_[a-z_]+/g)].map((m) => m[0].replace(/_(bucket|sum|count)$/, ''));
        expect(names.length).toBeGreaterThan(0);
        for (const n of names) expect(known.has(n), `${p.title}: ${n}`).toBe(true);
        expect(t.expr).toContain('backend=~"$backend"');
      }
    }
  });

  it('uses only labels each metric has, and _bucket, _sum, _count only on histograms', () => {
    const specs = Object.values(METRICS) as MetricSpec[];
    /** The catalog entry of a series name, and the labels its series carry (`le` on histogram buckets). */
    const series = (name: string): { spec: MetricSpec; labels: Set<string> } => {
      const spec = specs.find((m) => m.name === name);
      if (spec) {
        // A histogram's own name has no series in Prometheus: only its _bucket, _sum and _count do.
        expect(spec.type, `${name} queried bare`).not.toBe('histogram');
        return { spec, labels: new Set(spec.labelNames) };
      }
      const [, base, suffix] = /^(.*)_(bucket|sum|count)$/.exec(name) ?? [];
      const of = specs.find((m) => m.name === base);
      expect(of, `${name} is no metric of the catalog`).toBeDefined();
      expect(of?.type, `${name}: _${suffix} on a ${of?.type}`).toBe('histogram');
      return { spec: of as MetricSpec, labels: new Set([...(of?.labelNames ?? []), ...(suffix === 'bucket' ? ['le'] : [])]) };
    };
    /** The text of the parenthesised group opening at `open`. */
    const group = (expr: string, open: number): string => {
      let depth = 0;
      for (let i = open; i < expr.length; i++) {
        if (expr[i] === '(') depth++;
        if (expr[i] === ')' && --depth === 0) return expr.slice(open + 1, i);
      }
      throw new Error(`unbalanced parentheses in ${expr}`);
    };

    let checked = 0;
    for (const p of g.panels) {
      for (const t of p.targets) {
        const where = `${p.title}: ${t.expr}`;
        // Every selector: its matchers name labels of its metric.
        const selectors = [...t.expr.matchAll(/(anchorage_[a-z_]+)(?:\{([^}]*)\})?/g)];
        expect(selectors.length, where).toBeGreaterThan(0);
        for (const [, name, matchers = ''] of selectors) {
          const { labels } = series(name as string);
          for (const [, label] of matchers.matchAll(/([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)\s*"/g)) {
            expect(labels.has(label as string), `${where}: ${name} has no label ${label}`).toBe(true);
            checked++;
          }
        }
        // Every `by (…)`: its labels are on every metric it aggregates.
        const grouped = new Set<string>();
        for (const m of t.expr.matchAll(/\bby\s*\(([^)]*)\)\s*\(/g)) {
          const by = (m[1] as string).split(',').map((l) => l.trim());
          const inner = group(t.expr, (m.index as number) + m[0].length - 1);
          for (const [, name] of inner.matchAll(/(anchorage_[a-z_]+)/g)) {
            const { labels } = series(name as string);
            for (const label of by) {
              expect(labels.has(label), `${where}: ${name} has no label ${label} to group by`).toBe(true);
              checked++;
            }
          }
          for (const label of by) grouped.add(label);
        }
        // A legend names only labels the query keeps (grouped by, and not the bucket bound).
        for (const [, label] of t.legendFormat.matchAll(/\{\{\s*(\w+)\s*\}\}/g)) {
          expect(grouped.has(label as string) && label !== 'le', `${where}: legend {{${label}}}`).toBe(true);
        }
      }
    }
    // The `backend` variable reads its values from a label the metric has.
    for (const v of g.templating.list) {
      const [, name, label] = /^label_values\((\w+),\s*(\w+)\)$/.exec(v.query.query) ?? [];
      expect(series(name as string).labels.has(label as string), v.query.query).toBe(true);
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('lays panels out without overlap', () => {
    const cells = new Set<string>();
    for (const { gridPos: p } of g.panels) {
      for (let x = p.x; x < p.x + p.w; x++) {
        for (let y = p.y; y < p.y + p.h; y++) {
          expect(cells.has(`${x},${y}`)).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });
});

describe('the HTML page', () => {
  const assets = { js: 'window.uPlot = function () {};', css: '.u-legend {}' };

  it('embeds the document, the chart library and the script, with nothing to fetch', () => {
    const html = renderDashboardHtml(doc, assets);
    const embedded = /<script type="application\/json" id="anchorage-data">(.*?)<\/script>/s.exec(html)?.[1];
    expect(dashboardSchema.parse(JSON.parse(embedded ?? 'null'))).toEqual(doc);
    expect(html).toContain(assets.js);
    expect(html).not.toMatch(/(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).toMatch(/^<!doctype html>/);
  });

  it('cannot be broken out of by an anchor id or type', () => {
    const evil = '</script><script>alert(1)</script><!--';
    const html = renderDashboardHtml(
      buildDashboard({ backend: 'sqlite', journal: [{ ...(JOURNAL[0] as JournalEntry), anchorId: evil }], stats: [], now: T0 }),
      assets,
    );
    expect(html.match(/<script/g)).toHaveLength(3);
    const embedded = /<script type="application\/json" id="anchorage-data">(.*?)<\/script>/s.exec(html)?.[1];
    expect(JSON.parse(embedded ?? 'null').hotAnchors[0].anchorId).toBe(evil);
  });
});
