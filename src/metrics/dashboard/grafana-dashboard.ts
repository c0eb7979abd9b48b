import { METRICS } from '../metric-catalog.ts';

/** The datasource input Grafana asks for on import. */
export const GRAFANA_DATASOURCE_INPUT = 'DS_PROMETHEUS';

const datasource = { type: 'prometheus', uid: `\${${GRAFANA_DATASOURCE_INPUT}}` } as const;
const sel = (extra = '') => `{backend=~"$backend"${extra}}`;
const rate = (metric: string, extra = '') => `rate(${metric}${sel(extra)}[$__rate_interval])`;

interface PanelSpec {
  readonly title: string;
  readonly description: string;
  readonly unit: string;
  readonly exprs: ReadonlyArray<{ expr: string; legend: string }>;
  readonly stacked?: boolean;
}

const PANELS: readonly PanelSpec[] = [
  {
    title: 'Conflict ratio',
    description: 'Share of compare-and-swap attempts that found a row changed by another writer.',
    unit: 'percentunit',
    exprs: [
      {
        expr: `sum by (backend) (${rate(METRICS.casAttempts.name, ',outcome="conflict"')}) / sum by (backend) (${rate(METRICS.casAttempts.name)})`,
        legend: '{{backend}}',
      },
    ],
  },
  {
    title: 'Escaped conflicts',
    description: 'Conflicts that reached callers as ConflictError: rejected (no merge policy) or exhausted (retry budget spent).',
    unit: 'ops',
    exprs: [
      {
        expr: `sum by (kind, resolution) (${rate(METRICS.conflicts.name, ',resolution=~"rejected|exhausted"')})`,
        legend: '{{kind}} {{resolution}}',
      },
    ],
  },
  {
    title: 'p99 attempts per commit',
    description: 'Write attempts the slowest 1% of commits needed.',
    unit: 'none',
    exprs: [
      {
        expr: `histogram_quantile(0.99, sum by (le, backend) (${rate(`${METRICS.commitAttempts.name}_bucket`)}))`,
        legend: '{{backend}}',
      },
    ],
  },
  {
    title: 'p99 commit latency',
    description: 'Commit duration, first attempt to outcome, backoff included.',
    unit: 's',
    exprs: [
      {
        expr: `histogram_quantile(0.99, sum by (le, backend) (${rate(`${METRICS.commitDuration.name}_bucket`)}))`,
        legend: 'p99 {{backend}}',
      },
      {
        expr: `histogram_quantile(0.5, sum by (le, backend) (${rate(`${METRICS.commitDuration.name}_bucket`)}))`,
        legend: 'p50 {{backend}}',
      },
    ],
  },
  {
    title: 'Backoff share',
    description: 'Share of commit time spent waiting between attempts.',
    unit: 'percentunit',
    exprs: [
      {
        expr: `sum by (backend) (${rate(METRICS.retryBackoff.name)}) / sum by (backend) (${rate(`${METRICS.commitDuration.name}_sum`)})`,
        legend: '{{backend}}',
      },
    ],
  },
  {
    title: 'Resolution breakdown',
    description: 'Conflicts per second by how they ended: rebased, merged, lww, rejected, exhausted.',
    unit: 'ops',
    stacked: true,
    exprs: [{ expr: `sum by (resolution) (${rate(METRICS.conflicts.name)})`, legend: '{{resolution}}' }],
  },
  {
    title: 'Commits by outcome',
    description: 'Commits per second: committed, conflict, exhausted, error.',
    unit: 'ops',
    stacked: true,
    exprs: [{ expr: `sum by (outcome) (${rate(METRICS.commits.name)})`, legend: '{{outcome}}' }],
  },
  {
    title: 'Conflicts by kind',
    description: 'Conflicts per second on edge lists, fields and deletes.',
    unit: 'ops',
    stacked: true,
    exprs: [{ expr: `sum by (kind) (${rate(METRICS.conflicts.name)})`, legend: '{{kind}}' }],
  },
];

function panel(spec: PanelSpec, i: number) {
  return {
    id: i + 1,
    type: 'timeseries',
    title: spec.title,
    description: spec.description,
    datasource,
    gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
    fieldConfig: {
      defaults: {
        unit: spec.unit,
        min: 0,
        custom: {
          drawStyle: 'line',
          lineWidth: 1,
          fillOpacity: spec.stacked ? 40 : 10,
          stacking: { mode: spec.stacked ? 'normal' : 'none' },
        },
      },
      overrides: [],
    },
    options: { legend: { displayMode: 'list', placement: 'bottom' }, tooltip: { mode: 'multi' } },
    targets: spec.exprs.map((e, j) => ({ refId: String.fromCharCode(65 + j), datasource, expr: e.expr, legendFormat: e.legend })),
  };
}

/**
 * An importable Grafana dashboard (classic JSON model, schemaVersion 39) over anchorage's
 * Prometheus metrics. Grafana asks for a Prometheus datasource on import (`${DS_PROMETHEUS}`);
 * a `backend` variable filters every panel.
 */
export function grafanaDashboard(options: { readonly title?: string; readonly uid?: string } = {}) {
  return {
    __inputs: [
      {
        name: GRAFANA_DATASOURCE_INPUT,
        label: 'Prometheus',
        description: 'The Prometheus that scrapes anchorage (metricsHandler or repo.metrics.prometheus())',
        type: 'datasource',
        pluginId: 'prometheus',
        pluginName: 'Prometheus',
      },
    ],
    __requires: [
      { type: 'grafana', id: 'grafana', name: 'Grafana', version: '9.0.0' },
      { type: 'datasource', id: 'prometheus', name: 'Prometheus', version: '1.0.0' },
      { type: 'panel', id: 'timeseries', name: 'Time series', version: '' },
    ],
    annotations: { list: [] },
    editable: true,
    graphTooltip: 1,
    id: null,
    uid: options.uid ?? 'anchorage-conflicts',
    title: options.title ?? 'anchorage — conflicts',
    tags: ['anchorage'],
    timezone: '',
    schemaVersion: 39,
    version: 1,
    refresh: '30s',
    time: { from: 'now-1h', to: 'now' },
    templating: {
      list: [
        {
          name: 'backend',
          label: 'backend',
          type: 'query',
          datasource,
          definition: `label_values(${METRICS.commits.name}, backend)`,
          query: { query: `label_values(${METRICS.commits.name}, backend)`, refId: 'backend' },
          includeAll: true,
          multi: true,
          allValue: '.*',
          current: { selected: true, text: ['All'], value: ['$__all'] },
          refresh: 2,
          sort: 1,
        },
      ],
    },
    panels: PANELS.map(panel),
  };
}
