import type pg from 'pg';
import type { CommitStats } from '../../core/commit-stats.ts';
import { hasCode, StorageError } from '../../core/errors.ts';
import type { JournalEntry } from '../../core/journal.ts';
import type { AnchorRow } from '../../core/row.ts';
import type { WriteResult, WriteSet } from '../../core/write-set.ts';
import { parseRow, type StoredRecord } from '../parse-row.ts';
import type {
  JournalQuery,
  JournalRetention,
  LoadedRow,
  RebaseInPlace,
  ScanQuery,
  StorageCapabilities,
  StoragePort,
} from '../storage-port.ts';
import { applyWriteSet } from './apply-write-set.ts';
import { optimisticAttempt, recordedAttempt } from './commit-attempt.ts';
import { createPool, migratePostgres } from './open-postgres.ts';
import { isSingleRow } from './optimistic-write.ts';
import { sqlState, toStorageError, UNIQUE_VIOLATION } from './postgres-errors.ts';
import * as journal from './postgres-journal.ts';
import { RecentIds } from './recent-ids.ts';
import { run, SQL } from './statements.ts';

export interface PostgresStorageOptions {
  /** `postgres://…` / `postgresql://…`: the backend opens (and on close ends) its own pool. */
  readonly url?: string;
  /** A pool the caller owns (and ends); used instead of `url`. */
  readonly pool?: pg.Pool;
  /** Connections of the backend's own pool. */
  readonly poolSize?: number;
  /** Row-lock wait before an attempt fails as busy (own pool only: it is a connection setting). */
  readonly lockTimeoutMs?: number;
}

/**
 * The PostgreSQL backend. Each attempt is one READ COMMITTED transaction on one pooled
 * connection: it locks the rows it depends on in id order, checks every version under those
 * locks, and writes with compare-and-swap (`UPDATE … WHERE id = $1 AND version = $2`); a miss
 * rolls back and returns the stale rows, or, given a `rebase`, rebases onto them under the same
 * locks and goes on. A one-row write set is first tried as a single autocommit CAS statement
 * (the row is locked for one statement, not for round trips); after a miss its row counts as
 * contended, and writes to it lock first until one meets no conflict. Serialization failures,
 * deadlocks, lock timeouts and lost connections throw a retryable StorageError — a connection
 * lost while committing too: every attempt records its write set's commit id first, so a retry
 * of a commit that did land returns what it wrote instead of applying it again.
 */
export class PostgresStorage implements StoragePort {
  readonly backend = 'postgres';
  readonly capabilities: StorageCapabilities = { syncReads: false, rebaseInPlace: true };
  readonly #pool: pg.Pool;
  readonly #ownsPool: boolean;
  /** Rows whose optimistic CAS missed lately: a one-row write to them locks first. */
  readonly #contended = new RecentIds();
  /** Commits whose last attempt lost its connection while it could have landed. */
  readonly #unsure = new RecentIds();
  #closed = false;

  private constructor(pool: pg.Pool, ownsPool: boolean) {
    this.#pool = pool;
    this.#ownsPool = ownsPool;
  }

  /** Connects and applies pending migrations (once, under an advisory lock, when servers race). */
  static async open(options: PostgresStorageOptions): Promise<PostgresStorage> {
    if (!options.pool && !options.url) throw new StorageError('PostgreSQL needs a url or a pool');
    const pool =
      options.pool ??
      createPool({ url: options.url as string, poolSize: options.poolSize ?? 10, lockTimeoutMs: options.lockTimeoutMs ?? 5000 });
    const storage = new PostgresStorage(pool, options.pool === undefined);
    try {
      await migratePostgres(pool);
    } catch (error) {
      await storage.close();
      throw error;
    }
    return storage;
  }

  /** The pool, for tools in this package (check, metrics journal) that share the database. */
  get pool(): pg.Pool {
    return this.#pool;
  }

  async load(ids: readonly string[]): Promise<Map<string, LoadedRow>> {
    const out = new Map<string, LoadedRow>();
    if (ids.length === 0) return out;
    type WithEdgeIds = StoredRecord & { edge_ids: string[] | null };
    const [stmt, arg] = ids.length === 1 ? [SQL.rowWithEdgeIds, ids[0]] : [SQL.rowsWithEdgeIds, [...ids]];
    const records = await this.#read('load', () => run<WithEdgeIds>(this.#pool, stmt, [arg]));
    for (const rec of records) {
      const row = parseRow(rec);
      out.set(rec.id, rec.edge_ids === null ? row : { ...row, edgeIds: rec.edge_ids });
    }
    return out;
  }

  async loadEdgeIds(nodeId: string): Promise<string[]> {
    const rows = await this.#read('load edge ids', () => run<{ edge_id: string }>(this.#pool, SQL.edgeIds, [nodeId]));
    return rows.map((r) => r.edge_id);
  }

  async ensureRoot(id: string, writer: string): Promise<void> {
    await this.#read('create root', () => run(this.#pool, SQL.ensureRoot, [id, writer]));
  }

  async apply(ws: WriteSet, rebase?: RebaseInPlace): Promise<WriteResult> {
    try {
      const result = await this.#apply(ws, rebase, this.#unsure.has(ws.commitId));
      this.#unsure.delete(ws.commitId);
      return result;
    } catch (error) {
      if (hasCode(error, 'storage') && error.context.ambiguous === true) this.#unsure.add(ws.commitId);
      throw error;
    }
  }

  /** `unsure`: an earlier attempt of this commit may have landed (its connection was lost). */
  async #apply(ws: WriteSet, rebase: RebaseInPlace | undefined, unsure: boolean): Promise<WriteResult> {
    const row = isSingleRow(ws) ? (ws.updates[0] as WriteSet['updates'][number]).id : undefined;
    if (row !== undefined && !this.#contended.has(row)) {
      const result = await optimisticAttempt(await this.#connect(), ws);
      if (result) return result;
      this.#contended.add(row);
    }
    let conflicted = false;
    const inPlace: RebaseInPlace | undefined =
      rebase &&
      ((stale) => {
        conflicted = true;
        return rebase(stale);
      });
    try {
      const client = await this.#connect();
      const result = await recordedAttempt(client, ws, { recordAlone: unsure }, (locked, commitWith) =>
        applyWriteSet(client, ws, locked, inPlace, commitWith),
      );
      if (row !== undefined && result.ok) {
        if (conflicted) this.#contended.add(row);
        else this.#contended.delete(row);
      }
      return result;
    } catch (error) {
      if (sqlState(error) !== UNIQUE_VIOLATION) throw error;
      // Inserts use ON CONFLICT DO NOTHING; should a unique index still refuse one, the rows
      // that exist now are the conflict (stale rows), as for any other version check.
      const taken = await this.load(ws.inserts.map((a) => a.id));
      if (taken.size === 0) throw toStorageError(error, 'commit');
      return { ok: false, stale: [...taken].map(([id, current]) => ({ id, current })) };
    }
  }

  async scan(query: ScanQuery): Promise<AnchorRow[]> {
    const records = await this.#read('scan', async () => {
      const res = await this.#pool.query<StoredRecord>(
        `SELECT id, kind, type, root, fields, source, target, version, vv::text AS vv FROM anchors
         WHERE ($1::text IS NULL OR type = $1) AND ($2::text IS NULL OR root = $2) AND ($3::text IS NULL OR id > $3)
         ORDER BY id LIMIT $4`,
        [query.type ?? null, query.root ?? null, query.after ?? null, query.limit],
      );
      return res.rows;
    });
    return records.map(parseRow);
  }

  async appendJournal(entries: readonly JournalEntry[]): Promise<void> {
    // One multi-row INSERT is atomic on its own.
    await this.#read('append journal', () => journal.writeJournal(this.#pool, entries));
  }

  async readJournal(query: JournalQuery): Promise<JournalEntry[]> {
    return this.#read('read journal', () => journal.readJournal(this.#pool, query));
  }

  async pruneJournal(retention: JournalRetention): Promise<number> {
    return this.#read('prune journal', () => journal.pruneRows(this.#pool, 'conflict_journal', retention));
  }

  async appendStats(rows: readonly CommitStats[]): Promise<void> {
    await this.#read('append stats', () => journal.appendStats(this.#pool, rows));
  }

  async readStats(query: JournalQuery): Promise<CommitStats[]> {
    return this.#read('read stats', () => journal.readStats(this.#pool, query));
  }

  async pruneStats(retention: JournalRetention): Promise<number> {
    return this.#read('prune stats', () => journal.pruneRows(this.#pool, 'commit_stats', retention));
  }

  async pruneCommits(before: number): Promise<number> {
    return this.#read('prune commits', () => journal.pruneCommits(this.#pool, before));
  }

  async #connect(): Promise<pg.PoolClient> {
    const client = await this.#read('commit', () => this.#pool.connect());
    // A connection lost mid-query fails that query; the client also emits 'error', which, with no
    // listener (the pool listens only while the client is idle), would crash the process.
    if (client.listenerCount('error') === 0) client.on('error', () => {});
    return client;
  }

  async #read<T>(doing: string, fn: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new StorageError(`${doing}: the PostgreSQL storage is closed`);
    try {
      return await fn();
    } catch (error) {
      throw toStorageError(error, doing);
    }
  }

  /** Ends the pool when this backend opened it; a caller's pool stays open. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#ownsPool) await this.#pool.end();
  }
}
