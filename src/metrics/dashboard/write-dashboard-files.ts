import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openRepository } from '../../repository/open-repository.ts';
import type { StoragePort } from '../../storage/storage-port.ts';
import { renderDashboardHtml } from './html-dashboard.ts';
import { toPrometheusText } from './prometheus-text.ts';
import { type ReadDashboardOptions, readDashboard } from './read-dashboard.ts';

export interface DashboardFiles {
  readonly json: string;
  readonly prom: string;
  readonly html: string;
}

/**
 * Writes `metrics.json`, `metrics.prom` and `metrics.html` for a database (a url such as
 * `sqlite:./race.db`, or an open storage port) into `dir`, creating it; returns the paths.
 * Close (or flush) the repositories that wrote first, so their last commit counts are in.
 */
export async function writeDashboardFiles(
  source: string | StoragePort,
  dir: string,
  options: ReadDashboardOptions = {},
): Promise<DashboardFiles> {
  // A reader: no metrics of its own and no pruning, so the export changes nothing.
  const repo =
    typeof source === 'string' ? await openRepository({ url: source, metrics: false, journalRetention: false }) : undefined;
  try {
    const doc = await readDashboard(repo?.storage ?? (source as StoragePort), options);
    await mkdir(dir, { recursive: true });
    const files = { json: join(dir, 'metrics.json'), prom: join(dir, 'metrics.prom'), html: join(dir, 'metrics.html') };
    await writeFile(files.json, `${JSON.stringify(doc, null, 2)}\n`);
    await writeFile(files.prom, toPrometheusText(doc));
    await writeFile(files.html, renderDashboardHtml(doc));
    return files;
  } finally {
    await repo?.close();
  }
}
