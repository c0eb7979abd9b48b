import Database from 'better-sqlite3';
import type { Fields } from '../../index.ts';

/** One row of the original store: a node's fields and edge-id list, or an edge, in one JSON blob. */
export type NaiveBlob =
  | { kind: 'node'; type: string; root: string; fields: Fields; edges: string[]; version: number }
  | { kind: 'edge'; type: string; root: string; fields: Fields; source: string; target: string; version: number };

/**
 * The original one-blob-per-node table (`anchors(id, data)`), written the way the seed's runtime
 * wrote it: `INSERT OR REPLACE` of a whole row, each statement committed on its own, no version
 * check. Deliberately lossy; it exists to show the bug beside anchorage, never as a backend.
 * `version` inside the blob is only what the writer believed (its copy's version + 1).
 */
export class NaiveBlobStore {
  readonly #db: Database.Database;
  readonly #read: Database.Statement<[string], { data: string }>;
  readonly #replace: Database.Statement<[string, string]>;
  readonly #insertIfAbsent: Database.Statement<[string, string]>;
  readonly #remove: Database.Statement<[string]>;
  readonly #page: Database.Statement<[string, number], { id: string; data: string }>;

  constructor(path: string, busyTimeoutMs = 5000) {
    this.#db = new Database(path);
    this.#db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    this.#db.pragma('journal_mode = WAL');
    this.#db.exec('CREATE TABLE IF NOT EXISTS anchors (id TEXT PRIMARY KEY, data TEXT NOT NULL)');
    this.#read = this.#db.prepare('SELECT data FROM anchors WHERE id = ?');
    this.#replace = this.#db.prepare('INSERT OR REPLACE INTO anchors (id, data) VALUES (?, ?)');
    this.#insertIfAbsent = this.#db.prepare('INSERT OR IGNORE INTO anchors (id, data) VALUES (?, ?)');
    this.#remove = this.#db.prepare('DELETE FROM anchors WHERE id = ?');
    this.#page = this.#db.prepare('SELECT id, data FROM anchors WHERE id > ? ORDER BY id LIMIT ?');
  }

  read(id: string): NaiveBlob | undefined {
    const row = this.#read.get(id);
    return row ? (JSON.parse(row.data) as NaiveBlob) : undefined;
  }

  /** The lossy write: the whole row replaced by the caller's copy. */
  replace(id: string, blob: NaiveBlob): void {
    this.#replace.run(id, JSON.stringify(blob));
  }

  /** Creates a root row if absent. */
  ensureRoot(id: string): void {
    this.#insertIfAbsent.run(id, JSON.stringify({ kind: 'node', type: 'Root', root: id, fields: {}, edges: [], version: 1 }));
  }

  remove(id: string): void {
    this.#remove.run(id);
  }

  /** Rows with ids greater than `after`, ascending, at most `limit`. */
  page(after: string, limit: number): Array<{ id: string; blob: NaiveBlob }> {
    return this.#page.all(after, limit).map((r) => ({ id: r.id, blob: JSON.parse(r.data) as NaiveBlob }));
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }
}
