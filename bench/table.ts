import type { Row } from './results.ts';

const sig = (n: number) => n.toLocaleString('en-US', { maximumSignificantDigits: 3 });

function duration(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  return ms < 1 ? `${sig(ms * 1000)} µs` : `${sig(ms)} ms`;
}

/** A figure in the case's unit. */
export function formatValue(measure: Row['measure'], n: number): string {
  if (!Number.isFinite(n)) return '—';
  if (measure === 'throughput') return `${sig(n)} op/s`;
  if (measure === 'latency') return duration(n);
  return `${sig(n)} B/anchor`;
}

function spread(row: Row): string {
  const unitless = (n: number) => formatValue(row.measure, n).replace(/ (op\/s|B\/anchor)$/, '');
  return Number.isFinite(row.min) ? `${unitless(row.min)} – ${unitless(row.max)}` : '—';
}

function ratio(row: Row): string {
  if (!Number.isFinite(row.ratio)) return '—';
  return `${row.ratio.toFixed(2)}× ${row.measure === 'memory' ? 'JSON' : row.baseline}`;
}

/** The results as one Markdown table (readable in a terminal, pasteable into the README). */
export function renderTable(rows: readonly Row[]): string {
  const head = ['workload', 'contender', 'median', 'min – max', 'ratio', 'p99', 'lost', 'failed'];
  const lines = [head, head.map(() => '---')];
  let last = '';
  for (const row of rows) {
    lines.push([
      row.caseId === last ? '' : row.label,
      row.contender,
      formatValue(row.measure, row.median),
      spread(row),
      ratio(row),
      row.p99Ms === undefined ? '' : duration(row.p99Ms),
      String(row.lost),
      row.failed > 0 || row.errors.length > 0 ? `${row.failed}${row.runs === 0 ? ' (did not run)' : ''}` : '0',
    ]);
    last = row.caseId;
  }
  const widths = head.map((_, i) => Math.max(...lines.map((l) => (l[i] as string).length)));
  return lines
    .map(
      (l, n) =>
        `| ${l.map((cell, i) => (n === 1 ? '-'.repeat(widths[i] as number) : cell.padEnd(widths[i] as number))).join(' | ')} |`,
    )
    .join('\n');
}
