import Database from 'better-sqlite3';
import { type NaiveBlob, type NaiveBlobStore, rootBlob } from './naive-blob-store.ts';

/** The naive table `anchors(id, data)` in a SQLite file, replaced with `INSERT OR REPLACE`. */
export class SqliteNaiveBlobStore implements NaiveBlobStore {
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

  async read(id: string): Promise<NaiveBlob | undefined> {
    const row = this.#read.get(id);
    return row ? (JSON.parse(row.data) as NaiveBlob) : undefined;
  }

  async replace(id: string, blob: NaiveBlob): Promise<void> {
    this.#replace.run(id, JSON.stringify(blob));
  }

  async ensureRoot(id: string): Promise<void> {
    this.#insertIfAbsent.run(id, JSON.stringify(rootBlob(id)));
  }

  async remove(id: string): Promise<void> {
    this.#remove.run(id);
  }

  async page(after: string, limit: number): Promise<Array<{ id: string; blob: NaiveBlob }>> {
    return this.#page.all(after, limit).map((r) => ({ id: r.id, blob: JSON.parse(r.data) as NaiveBlob }));
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}
