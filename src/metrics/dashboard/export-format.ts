import { ValidationError } from '../../core/errors.ts';
import type { StoragePort } from '../../storage/storage-port.ts';
import { grafanaDashboard } from './grafana-dashboard.ts';
import { renderDashboardHtml } from './html-dashboard.ts';
import { toPrometheusText } from './prometheus-text.ts';
import { type ReadDashboardOptions, readDashboard } from './read-dashboard.ts';

export const EXPORT_FORMATS = ['prom', 'json', 'grafana', 'html'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * One export as text: `json` (the versioned document), `prom` (text exposition of its totals),
 * `grafana` (a dashboard over the live metrics; needs no data) or `html` (self-contained page).
 */
export async function exportMetrics(
  storage: StoragePort | undefined,
  format: ExportFormat,
  options: ReadDashboardOptions = {},
): Promise<string> {
  if (format === 'grafana') return `${JSON.stringify(grafanaDashboard(), null, 2)}\n`;
  if (!storage) throw new ValidationError('db', `the ${format} export reads a database: give one`);
  const doc = await readDashboard(storage, options);
  if (format === 'json') return `${JSON.stringify(doc, null, 2)}\n`;
  if (format === 'prom') return toPrometheusText(doc);
  return renderDashboardHtml(doc);
}
