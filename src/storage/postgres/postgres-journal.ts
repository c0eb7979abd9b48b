import type pg from 'pg';
import type { CommitStats } from '../../core/commit-stats.ts';
import type { JournalEntry } from '../../core/journal.ts';
import { decodeStats, encodeStats, type StatsRecord } from '../stats-record.ts';
import type { JournalQuery, JournalRetention } from '../storage-port.ts';
import { journalColumns } from './journal-columns.ts';
import { type Client, run, SQL } from './statements.ts';

/** Journal rows, in one statement, on the caller's client (in a commit: in its transaction). */
export async function writeJournal(client: Client, entries: readonly JournalEntry[]): Promise<void> {
  if (entries.length > 0) await run(client, SQL.journal, journalColumns(entries));
}

export async function readJournal(pool: pg.Pool, query: JournalQuery): Promise<JournalEntry[]> {
  const rows = await run<Record<string, string>>(pool, SQL.readJournal, [query.since ?? 0, query.limit ?? null]);
  return rows.map((r) => ({
    commitId: r.commit_id as string,
    at: Number(r.at),
    writer: r.writer as string,
    anchorId: r.anchor_id as string,
    type: r.anchor_type as string,
    kind: r.kind as JournalEntry['kind'],
    resolution: r.resolution as JournalEntry['resolution'],
    fields: JSON.parse(r.fields as string) as string[],
    edges: JSON.parse(r.edges as string) as string[],
    writers: JSON.parse(r.writers as string) as string[],
  }));
}

/** Stats rows in one multi-row INSERT: atomic without a transaction. */
export async function appendStats(pool: pg.Pool, rows: readonly CommitStats[]): Promise<void> {
  if (rows.length === 0) return;
  const records = rows.map(encodeStats);
  const col = <T>(f: (r: StatsRecord) => T) => records.map(f);
  await run(pool, SQL.appendStats, [col((r) => r.startAt), col((r) => r.endAt), col((r) => r.writer), col((r) => r.data)]);
}

export async function readStats(pool: pg.Pool, query: JournalQuery): Promise<CommitStats[]> {
  const rows = await run<{ start_at: string; end_at: string; writer: string; data: string }>(pool, SQL.readStats, [
    query.since ?? 0,
    query.limit ?? null,
  ]);
  return rows.map((r) => decodeStats({ startAt: Number(r.start_at), endAt: Number(r.end_at), writer: r.writer, data: r.data }));
}

/**
 * Deletes rows older than `before`, then all but the newest `keep` of the rest, in one
 * statement (so both rules see one snapshot, atomically); returns how many went.
 */
export async function pruneRows(
  pool: pg.Pool,
  table: 'conflict_journal' | 'commit_stats',
  retention: JournalRetention,
): Promise<number> {
  const stmt = table === 'conflict_journal' ? SQL.pruneJournal : SQL.pruneStats;
  const res = await pool.query({ ...stmt, values: [retention.before ?? null, retention.keep ?? null] });
  return res.rowCount ?? 0;
}

/** Deletes commit records older than `before` (ms since the epoch); returns how many went. */
export async function pruneCommits(pool: pg.Pool, before: number): Promise<number> {
  const res = await pool.query({ ...SQL.pruneCommits, values: [before] });
  return res.rowCount ?? 0;
}
