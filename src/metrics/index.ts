// anchorage/metrics: conflict metrics, the dashboard document and its exports.
export type { CommitStats } from '../core/commit-stats.ts';
export type { JournalEntry } from '../core/journal.ts';
export type { AttemptEvent, CommitEvent, ConflictReport, RetryEvent } from '../repository/observer.ts';
export { buildDashboard, type DashboardInput } from './dashboard/build-dashboard.ts';
export {
  DASHBOARD_FORMAT,
  DASHBOARD_VERSION,
  type DashboardDocument,
  type DashboardTotals,
  dashboardSchema,
  type MetricsSnapshot,
  type MetricsSummary,
  type SeriesPoint,
  snapshotSchema,
} from './dashboard/dashboard-schema.ts';
export { EXPORT_FORMATS, type ExportFormat, exportMetrics } from './dashboard/export-format.ts';
export { GRAFANA_DATASOURCE_INPUT, grafanaDashboard } from './dashboard/grafana-dashboard.ts';
export { type ChartAssets, loadUplotAssets, renderDashboardHtml } from './dashboard/html-dashboard.ts';
export { toPrometheusText } from './dashboard/prometheus-text.ts';
export { type ReadDashboardOptions, readDashboard } from './dashboard/read-dashboard.ts';
export { type DashboardFiles, writeDashboardFiles } from './dashboard/write-dashboard-files.ts';
export type { HotAnchor } from './hot-anchors.ts';
export { ATTEMPT_BUCKETS, DURATION_BUCKETS, METRICS, type MetricSpec } from './metric-catalog.ts';
export { type MetricsHandlerOptions, type MetricsSource, metricsHandler } from './metrics-handler.ts';
export {
  DEFAULT_METRICS,
  DEFAULT_RETENTION,
  type MetricsOptions,
  type RetentionOptions,
} from './metrics-options.ts';
export { RepositoryMetrics } from './repository-metrics.ts';
export { type PruneResult, RetentionTask } from './retention-task.ts';
