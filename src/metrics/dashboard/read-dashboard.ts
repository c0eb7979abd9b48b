import type { StoragePort } from '../../storage/storage-port.ts';
import { buildDashboard } from './build-dashboard.ts';
import type { DashboardDocument } from './dashboard-schema.ts';

export interface ReadDashboardOptions {
  /** Only data at or after this time (ms since the epoch). */
  readonly since?: number;
  /** Generation time (ms since the epoch); default now. */
  readonly now?: number;
  readonly topK?: number;
}

/**
 * The dashboard document from a database's conflict journal and commit stats alone: works from
 * any process, after the fact. Commit counts written by live repositories lag by up to their
 * flush interval (1 s by default); close them (or `repo.metrics.flush()`) first for exact counts.
 */
export async function readDashboard(storage: StoragePort, options: ReadDashboardOptions = {}): Promise<DashboardDocument> {
  const query = options.since === undefined ? {} : { since: options.since };
  const [journal, stats] = await Promise.all([storage.readJournal(query), storage.readStats(query)]);
  return buildDashboard({
    backend: storage.backend,
    journal,
    stats,
    now: options.now ?? Date.now(),
    ...(options.since === undefined ? {} : { since: options.since }),
    ...(options.topK === undefined ? {} : { topK: options.topK }),
  });
}
