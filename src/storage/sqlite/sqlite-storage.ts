import type Database from 'better-sqlite3';
import { and, asc, eq, gt, gte } from 'drizzle-orm';
import type { BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import type { CommitStats } from '../../core/commit-stats.ts';
import type { JournalEntry } from '../../core/journal.ts';
import type { AnchorRow } from '../../core/row.ts';
import type { WriteResult, WriteSet, WrittenRow } from '../../core/write-set.ts';
import { nodesFirst } from '../apply-order.ts';
import { EndpointWatch } from '../endpoint-watch.ts';
import { parseRow, type StoredRecord } from '../parse-row.ts';
import type {
  JournalQuery,
  JournalRetention,
  RebaseInPlace,
  ScanQuery,
  StorageCapabilities,
  StoragePort,
} from '../storage-port.ts';
import { openSqlite, type SqliteOpenOptions } from './open-sqlite.ts';
import { pruneRows } from './prune-rows.ts';
import { anchors, conflictJournal } from './schema.ts';
import { toStorageError } from './sqlite-errors.ts';
import { prepareStatements } from './sqlite-statements.ts';
import { SqliteStats } from './sqlite-stats.ts';
import { markTransactionEnd, pauseBeforeCommit, pauseBeforeCommitMs } from './test-pause.ts';
import { whenUnlocked } from './write-lock-wait.ts';

type Stale = Map<string, AnchorRow | null>;

/** Thrown inside a write transaction to roll it back when a version check missed. */
class StaleAttempt {
  constructor(readonly stale: Stale) {}
}

const staleList = (stale: Stale) => [...stale].map(([id, current]) => ({ id, current }));

/**
 * The SQLite backend. Every write attempt is one synchronous `BEGIN IMMEDIATE` transaction:
 * compare-and-swap updates and deletes, inserts, edge-list rows; no await inside, so the
 * write lock is never held across the event loop.
 */
export class SqliteStorage implements StoragePort {
  readonly backend = 'sqlite';
  readonly capabilities: StorageCapabilities = { syncReads: true, rebaseInPlace: true };
  readonly #sqlite: Database.Database;
  readonly #db: BetterSQLite3Database;
  readonly #q: ReturnType<typeof prepareStatements>;
  readonly #stats: SqliteStats;
  readonly #busyTimeoutMs: number;
  #writes: Promise<unknown> = Promise.resolve();
  readonly #apply: Pick<Database.Transaction<(ws: WriteSet, rebase?: RebaseInPlace) => WriteResult>, 'immediate'>;
  /** One pass of a write set; nested in `#apply`, so a stale pass rolls back to a savepoint. */
  readonly #pass: Database.Transaction<(ws: WriteSet) => WriteResult>;
  #closed = false;

  constructor(options: SqliteOpenOptions) {
    const { sqlite, db } = openSqlite(options);
    this.#sqlite = sqlite;
    this.#db = db;
    this.#q = prepareStatements(db);
    this.#stats = new SqliteStats(sqlite, db);
    this.#busyTimeoutMs = options.busyTimeoutMs;
    this.#pass = sqlite.transaction((ws: WriteSet) => this.#applyInTransaction(ws));
    const apply = (ws: WriteSet, rebase?: RebaseInPlace) => {
      try {
        return this.#pass(ws);
      } catch (error) {
        // Still holding the write lock: rebase onto the rows just read, and apply once more.
        const next = error instanceof StaleAttempt ? rebase?.(staleList(error.stale)) : undefined;
        if (!next) throw error;
        return this.#pass(next);
      }
    };
    // Test-only pause between the writes and COMMIT (crash harness); without it, the plain transaction.
    const pauseMs = pauseBeforeCommitMs();
    this.#apply =
      pauseMs > 0 ? markTransactionEnd(sqlite.transaction(pauseBeforeCommit(apply, pauseMs))) : sqlite.transaction(apply);
  }

  /** The underlying connection, for tools (check, metrics journal) that share the file. */
  get database(): Database.Database {
    return this.#sqlite;
  }

  async load(ids: readonly string[]): Promise<Map<string, AnchorRow>> {
    return this.loadSync(ids);
  }

  loadSync(ids: readonly string[]): Map<string, AnchorRow> {
    const out = new Map<string, AnchorRow>();
    if (ids.length === 0) return out;
    const records = this.#read('load', () =>
      ids.length === 1
        ? ([this.#q.byId.get({ id: ids[0] })].filter(Boolean) as StoredRecord[])
        : (this.#q.byIds.all({ ids: JSON.stringify(ids) }) as StoredRecord[]),
    );
    for (const rec of records) out.set(rec.id, parseRow(rec));
    return out;
  }

  async loadEdgeIds(nodeId: string): Promise<string[]> {
    return this.loadEdgeIdsSync(nodeId);
  }

  loadEdgeIdsSync(nodeId: string): string[] {
    return this.#read('load edge ids', () => this.#q.edgeIds.all({ node: nodeId }).map((r) => r.edgeId));
  }

  async ensureRoot(id: string, writer: string): Promise<void> {
    await this.#write('create root', () =>
      this.#q.insert.run({
        id,
        kind: 'node',
        type: 'Root',
        root: id,
        fields: '{}',
        source: null,
        target: null,
        vv: JSON.stringify({ [writer]: 1 }),
      }),
    );
  }

  async apply(ws: WriteSet, rebase?: RebaseInPlace): Promise<WriteResult> {
    const queued = performance.now();
    let tried = queued;
    try {
      const result = await this.#write('commit', () => {
        tried = performance.now();
        return this.#apply.immediate(ws, rebase);
      });
      return { ...result, lockWaitMs: tried - queued };
    } catch (error) {
      if (error instanceof StaleAttempt) return { ok: false, stale: staleList(error.stale), lockWaitMs: tried - queued };
      throw error;
    }
  }

  #current(id: string): AnchorRow | null {
    const rec = this.#q.byId.get({ id }) as StoredRecord | undefined;
    return rec ? parseRow(rec) : null;
  }

  #applyInTransaction(ws: WriteSet): WriteResult {
    const q = this.#q;
    const stale: Stale = new Map();
    const written = new Map<string, WrittenRow>();
    const deleted: string[] = [];
    const record = (id: string, r: { version: number; vv: string }) =>
      written.set(id, { version: r.version, vv: JSON.parse(r.vv) as Record<string, number> });
    const watch = new EndpointWatch(ws);
    // A node this write set deletes is never bumped: its delete checks the version the session saw.
    const dying = new Set(ws.deletes.map((d) => d.id));
    const bump = (id: string) => {
      if (written.has(id) || stale.has(id) || dying.has(id)) return;
      const r = q.bump.get({ id, writer: ws.writer });
      if (!r) return;
      record(id, r);
      watch.bumped(id, written.get(id) as WrittenRow);
    };

    for (const c of ws.checks) {
      const v = q.versionOf.get({ id: c.id })?.version ?? null;
      if (v !== c.expect) stale.set(c.id, this.#current(c.id));
    }
    for (const u of ws.updates) {
      const r = q.cas.get({ id: u.id, expect: u.expect, fields: JSON.stringify(u.fields), writer: ws.writer });
      if (r) record(u.id, r);
      else stale.set(u.id, this.#current(u.id));
    }
    const inserted = new Set<string>();
    for (const a of nodesFirst(ws.inserts)) {
      const edge = a.kind === 'edge' ? a : undefined;
      const ends = edge ? [...new Set([edge.source, edge.target])] : [];
      const missing = ends.filter((end) => !inserted.has(end) && q.versionOf.get({ id: end }) === undefined);
      for (const end of missing) stale.set(end, null);
      if (missing.length > 0) continue;
      const vv = JSON.stringify({ [ws.writer]: 1 });
      const fields = JSON.stringify(a.fields);
      const res = q.insert.run({ ...a, source: edge?.source ?? null, target: edge?.target ?? null, fields, vv });
      if (res.changes === 0) {
        stale.set(a.id, this.#current(a.id));
        continue;
      }
      inserted.add(a.id);
      written.set(a.id, { version: 1, vv: { [ws.writer]: 1 } });
      for (const end of ends) {
        q.addRef.run({ node: end, edge: a.id });
        bump(end);
      }
    }
    for (const d of ws.deletes) {
      const row = this.#current(d.id);
      if (!row || row.version !== d.expect) {
        stale.set(d.id, row);
        continue;
      }
      if (row.kind === 'node') {
        for (const edgeId of q.edgeIds.all({ node: d.id }).map((r) => r.edgeId)) this.#dropEdge(edgeId, bump, deleted);
        q.dropRefsOf.run({ node: d.id });
      } else {
        this.#dropEdgeRefs(row, bump);
      }
      // Checked at `expect` above, under the write lock; the cascade never bumps a node this write set deletes.
      q.deleteRow.run({ id: d.id });
      written.delete(d.id);
      deleted.push(d.id);
    }
    if (stale.size > 0) throw new StaleAttempt(stale);
    this.#writeJournal(watch.journal());
    return { ok: true, written, deleted, edgeConflicts: watch.entries };
  }

  #dropEdge(edgeId: string, bump: (id: string) => void, deleted: string[]): void {
    const edge = this.#current(edgeId);
    if (edge?.kind !== 'edge') return;
    this.#dropEdgeRefs(edge, bump);
    this.#q.deleteRow.run({ id: edgeId });
    deleted.push(edgeId);
  }

  #dropEdgeRefs(edge: AnchorRow & { kind: 'edge' }, bump: (id: string) => void): void {
    for (const end of new Set([edge.source, edge.target])) {
      this.#q.dropRef.run({ node: end, edge: edge.id });
      bump(end);
    }
  }

  async scan(query: ScanQuery): Promise<AnchorRow[]> {
    const conditions = query.type === undefined ? [] : [eq(anchors.type, query.type)];
    if (query.root !== undefined) conditions.push(eq(anchors.root, query.root));
    if (query.after !== undefined) conditions.push(gt(anchors.id, query.after));
    const records = this.#read('scan', () =>
      this.#db
        .select()
        .from(anchors)
        .where(and(...conditions))
        .orderBy(anchors.id)
        .limit(query.limit)
        .all(),
    );
    return records.map((r) => parseRow(r as StoredRecord));
  }

  #writeJournal(entries: readonly JournalEntry[]): void {
    for (const e of entries) {
      this.#q.journal.run({
        ...e,
        anchorType: e.type,
        fields: JSON.stringify(e.fields),
        edges: JSON.stringify(e.edges),
        writers: JSON.stringify(e.writers),
      });
    }
  }

  async appendJournal(entries: readonly JournalEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.#write('append journal', () => this.#sqlite.transaction(() => this.#writeJournal(entries)).immediate());
  }

  async readJournal(query: JournalQuery): Promise<JournalEntry[]> {
    const rows = this.#read('read journal', () =>
      this.#db
        .select()
        .from(conflictJournal)
        .where(gte(conflictJournal.at, query.since ?? 0))
        .orderBy(asc(conflictJournal.seq))
        .limit(query.limit ?? -1)
        .all(),
    );
    return rows.map((r) => ({
      commitId: r.commitId,
      at: r.at,
      writer: r.writer,
      anchorId: r.anchorId,
      type: r.anchorType,
      kind: r.kind,
      resolution: r.resolution as JournalEntry['resolution'],
      fields: JSON.parse(r.fields) as string[],
      edges: JSON.parse(r.edges) as string[],
      writers: JSON.parse(r.writers) as string[],
    }));
  }

  async pruneJournal(retention: JournalRetention): Promise<number> {
    return this.#write('prune journal', () => pruneRows(this.#sqlite, { name: 'conflict_journal', at: 'at' }, retention));
  }

  async appendStats(rows: readonly CommitStats[]): Promise<void> {
    await this.#write('append stats', () => this.#stats.append(rows));
  }

  async readStats(query: JournalQuery): Promise<CommitStats[]> {
    return this.#read('read stats', () => this.#stats.read(query));
  }

  async pruneStats(retention: JournalRetention): Promise<number> {
    return this.#write('prune stats', () => this.#stats.prune(retention));
  }

  /**
   * Every write (a commit's transaction, or a write of its own): one at a time per connection,
   * in arrival order, each waiting asynchronously for the file's write lock. SQLite lets one
   * writer in at a time anyway; queueing here keeps a process's sessions from polling the lock
   * against each other, and keeps its event loop free while they wait.
   */
  #write<T>(doing: string, fn: () => T): Promise<T> {
    const turn = this.#writes.then(() => whenUnlocked(doing, this.#busyTimeoutMs, fn));
    this.#writes = turn.catch(() => undefined);
    return turn;
  }

  #read<T>(doing: string, fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw toStorageError(error, doing);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#sqlite.close();
  }
}
