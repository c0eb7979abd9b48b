import type { CommitStats } from '../../core/commit-stats.ts';
import type { JournalEntry } from '../../core/journal.ts';
import type { AnchorRow } from '../../core/row.ts';
import { increment } from '../../core/version-vector.ts';
import type { WriteResult, WriteSet, WrittenRow } from '../../core/write-set.ts';
import { nodesFirst } from '../apply-order.ts';
import { EndpointWatch } from '../endpoint-watch.ts';
import type {
  JournalQuery,
  JournalRetention,
  RebaseInPlace,
  ScanQuery,
  StorageCapabilities,
  StoragePort,
} from '../storage-port.ts';

/** Drops, in place, items older than `before`, then all but the newest `keep`; returns how many went. */
function pruneOldest<T>(items: T[], at: (item: T) => number, r: JournalRetention): number {
  const before = items.length;
  const kept = items.filter((item) => r.before === undefined || at(item) >= r.before);
  const tail = r.keep === undefined ? kept : kept.slice(Math.max(0, kept.length - r.keep));
  items.splice(0, items.length, ...tail);
  return before - tail.length;
}

/** An in-process backend on Maps: for tests and throwaway graphs. Same semantics as SQLite. */
export class MemoryStorage implements StoragePort {
  readonly backend = 'memory';
  readonly capabilities: StorageCapabilities = { syncReads: true, rebaseInPlace: true };
  #rows = new Map<string, AnchorRow>();
  /** Node id → its edge ids; a Set keeps insertion (creation) order. */
  #refs = new Map<string, Set<string>>();
  /** Conflict journal, oldest first. */
  readonly journal: JournalEntry[] = [];
  /** Commit-stats rows, oldest first. */
  readonly stats: CommitStats[] = [];

  async load(ids: readonly string[]): Promise<Map<string, AnchorRow>> {
    const out = new Map<string, AnchorRow>();
    for (const id of ids) {
      const row = this.#rows.get(id);
      // Callers own what they load; never hand out the stored objects.
      if (row) out.set(id, structuredClone(row));
    }
    return out;
  }

  async loadEdgeIds(nodeId: string): Promise<string[]> {
    return this.loadEdgeIdsSync(nodeId);
  }

  loadEdgeIdsSync(nodeId: string): string[] {
    return [...(this.#refs.get(nodeId) ?? [])];
  }

  async ensureRoot(id: string, writer: string): Promise<void> {
    if (this.#rows.has(id)) return;
    this.#rows.set(id, { kind: 'node', id, type: 'Root', root: id, fields: {}, version: 1, vv: { [writer]: 1 } });
  }

  async apply(first: WriteSet, rebase?: RebaseInPlace): Promise<WriteResult> {
    let ws = first;
    let stale = this.#findStale(ws);
    // Nothing runs between here and the writes below, so a rebase sees what it will overwrite.
    const next = stale.length > 0 ? rebase?.(stale) : undefined;
    if (next) {
      ws = next;
      stale = this.#findStale(ws);
    }
    if (stale.length > 0) return { ok: false, stale };

    const written = new Map<string, WrittenRow>();
    const deleted: string[] = [];
    const watch = new EndpointWatch(ws);
    const put = (row: AnchorRow) => {
      this.#rows.set(row.id, row);
      written.set(row.id, { version: row.version, vv: row.vv });
    };
    // An endpoint whose edge list moved gets one new version per write set.
    const bump = (id: string) => {
      const row = this.#rows.get(id);
      if (!row || written.has(id)) return;
      put({ ...row, version: row.version + 1, vv: increment(row.vv, ws.writer) });
      watch.bumped(id, written.get(id) as WrittenRow);
    };
    const dropEdge = (edgeId: string) => {
      const edge = this.#rows.get(edgeId);
      if (edge?.kind !== 'edge') return;
      this.#rows.delete(edgeId);
      deleted.push(edgeId);
      for (const end of [edge.source, edge.target]) {
        this.#refs.get(end)?.delete(edgeId);
        bump(end);
      }
    };

    for (const u of ws.updates) {
      const row = this.#rows.get(u.id) as AnchorRow;
      put({ ...row, fields: u.fields, version: row.version + 1, vv: increment(row.vv, ws.writer) });
    }
    for (const a of nodesFirst(ws.inserts)) {
      put({ ...a, version: 1, vv: { [ws.writer]: 1 } } as AnchorRow);
      if (a.kind === 'edge') {
        for (const end of new Set([a.source, a.target])) {
          let refs = this.#refs.get(end);
          if (!refs) this.#refs.set(end, (refs = new Set()));
          refs.add(a.id);
          bump(end);
        }
      }
    }
    for (const d of ws.deletes) {
      const row = this.#rows.get(d.id);
      if (!row) continue;
      if (row.kind === 'edge') {
        dropEdge(d.id);
        continue;
      }
      for (const edgeId of [...(this.#refs.get(d.id) ?? [])]) dropEdge(edgeId);
      this.#refs.delete(d.id);
      this.#rows.delete(d.id);
      written.delete(d.id);
      deleted.push(d.id);
    }
    this.journal.push(...watch.journal());
    return { ok: true, written, deleted, edgeConflicts: watch.entries };
  }

  #findStale(ws: WriteSet): Array<{ id: string; current: AnchorRow | null }> {
    const stale = new Map<string, AnchorRow | null>();
    const versionIs = (id: string, expect: number | null) => {
      const row = this.#rows.get(id);
      if ((row?.version ?? null) !== expect) stale.set(id, row ? structuredClone(row) : null);
    };
    for (const c of ws.checks) versionIs(c.id, c.expect);
    for (const u of ws.updates) versionIs(u.id, u.expect);
    for (const d of ws.deletes) versionIs(d.id, d.expect);
    const inserted = new Set(ws.inserts.map((a) => a.id));
    for (const a of ws.inserts) {
      const existing = this.#rows.get(a.id);
      if (existing) stale.set(a.id, structuredClone(existing));
      if (a.kind !== 'edge') continue;
      for (const end of [a.source, a.target]) {
        if (!inserted.has(end) && !this.#rows.has(end)) stale.set(end, null);
      }
    }
    return [...stale].map(([id, current]) => ({ id, current }));
  }

  async scan(q: ScanQuery): Promise<AnchorRow[]> {
    return [...this.#rows.values()]
      .map((r) => structuredClone(r))
      .filter(
        (r) =>
          (q.type === undefined || r.type === q.type) &&
          (q.root === undefined || r.root === q.root) &&
          (q.after === undefined || r.id > q.after),
      )
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, q.limit);
  }

  async appendJournal(entries: readonly JournalEntry[]): Promise<void> {
    this.journal.push(...entries);
  }

  async readJournal(q: JournalQuery): Promise<JournalEntry[]> {
    return this.journal.filter((e) => e.at >= (q.since ?? 0)).slice(0, q.limit ?? Number.POSITIVE_INFINITY);
  }

  async pruneJournal(r: JournalRetention): Promise<number> {
    return pruneOldest(this.journal, (e) => e.at, r);
  }

  async appendStats(rows: readonly CommitStats[]): Promise<void> {
    this.stats.push(...rows);
  }

  async readStats(q: JournalQuery): Promise<CommitStats[]> {
    return this.stats.filter((s) => s.start >= (q.since ?? 0)).slice(0, q.limit ?? Number.POSITIVE_INFINITY);
  }

  async pruneStats(r: JournalRetention): Promise<number> {
    return pruneOldest(this.stats, (s) => s.start, r);
  }

  async close(): Promise<void> {}
}
