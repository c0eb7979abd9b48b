import type { Finding } from '../../check/finding.ts';
import { checkSqlite } from '../../storage/sqlite/sqlite-check.ts';
import { SqliteStorage } from '../../storage/sqlite/sqlite-storage.ts';
import { checkHistory } from '../history/check-history.ts';
import { type CheckCounts, countAnomalies } from '../history/check-report.ts';
import { commitLogLineSchema } from '../history/commit-intent.ts';
import { readSnapshot } from '../history/graph-snapshot.ts';
import { readJsonLines } from '../history/json-lines.ts';
import { readHistory } from '../history/read-history.ts';
import { PROFILE } from '../workload/builder-types.ts';
import { type CommitReport, checkCommits } from './check-commits.ts';

export interface TortureFiles {
  /** The SQLite database file. */
  readonly path: string;
  readonly historyPaths: readonly string[];
  readonly intentPaths: readonly string[];
  /** The user roots of this run (the database may hold other runs). */
  readonly roots: ReadonlySet<string>;
}

export interface TortureCheck {
  /** `PRAGMA integrity_check`: `ok`, or SQLite's complaints joined. */
  readonly integrity: string;
  readonly commits: CommitReport;
  readonly history: CheckCounts;
  /** What `anchorage check` would fail on (all but orphan nodes). */
  readonly findings: readonly Finding[];
  /** Nodes no root reaches (a project deleted while a chat added to it leaves its messages): reported, not failed. */
  readonly orphans: number;
  /** History and intent lines cut short by a kill, skipped. */
  readonly torn: number;
  /** Sum of every anomaly; zero means nothing acknowledged was lost and no commit was left half. */
  readonly anomalies: number;
}

/**
 * Checks a database after a crash campaign: SQLite's own integrity check, `anchorage check`'s
 * inspector, the history checker (widened by what cut-off commits may have done), and every
 * recorded commit all or nothing.
 */
export async function checkTorture(files: TortureFiles): Promise<TortureCheck> {
  const history = readHistory(files.historyPaths);
  const log = readJsonLines(files.intentPaths, commitLogLineSchema);
  const storage = new SqliteStorage({ path: files.path, durability: 'full', busyTimeoutMs: 5000 });
  try {
    const rows = storage.database.pragma('integrity_check') as Array<{ integrity_check: string }>;
    const integrity = rows.map((r) => r.integrity_check).join('; ');
    const inspected = checkSqlite(storage.database, { repair: false, now: Date.now() });
    const findings = inspected.findings.filter((f) => f.kind !== 'orphan_node');
    const snapshot = await readSnapshot(storage, { roots: files.roots });
    const commits = checkCommits(log.entries, history.entries, snapshot);
    const report = checkHistory(history.entries, snapshot, {
      uniquePerRoot: [PROFILE],
      unacknowledged: commits.unacknowledged,
    });
    const counts = countAnomalies(report);
    const anomalies =
      counts.anomalies +
      commits.partial.length +
      commits.acknowledgedIncomplete.length +
      commits.refusedApplied.length +
      findings.length +
      (integrity === 'ok' ? 0 : 1);
    return {
      integrity,
      commits,
      history: counts,
      findings,
      orphans: inspected.findings.length - findings.length,
      torn: history.torn + log.torn,
      anomalies,
    };
  } finally {
    await storage.close();
  }
}
