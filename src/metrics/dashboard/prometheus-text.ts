import { METRICS } from '../metric-catalog.ts';
import { type MetricKey, metricSamples, type Sample } from '../metric-samples.ts';
import type { MetricsSummary } from './dashboard-schema.ts';

const escapeLabel = (v: string) => v.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n');

function line(name: string, s: Sample): string {
  const labels = Object.entries(s.labels)
    .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
    .join(',');
  return `${s.metricName ?? name}${labels ? `{${labels}}` : ''} ${s.value}`;
}

/**
 * Prometheus text exposition (format 0.0.4) of a summary's totals, with the names, help, labels
 * and samples of the live metrics (one source, metricSamples), so one dashboard reads both.
 */
export function toPrometheusText(summary: MetricsSummary): string {
  const samples = metricSamples(summary);
  const lines = (Object.keys(METRICS) as MetricKey[]).flatMap((key) => {
    const { name, help, type } = METRICS[key];
    return [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples[key].map((s) => line(name, s))];
  });
  return `${lines.join('\n')}\n`;
}
