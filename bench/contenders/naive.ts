import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { Transaction } from 'better-sqlite3';
import { SYSTEM_ROOT } from '../../src/core/row.ts';
import { type ConnectOptions, type ContenderConnection, contender, type Layout, type SeedSpec, type Think } from './contender.ts';
import { seedRows } from './seed-rows.ts';
import { bumpField } from './sql-connection.ts';
import { openSqliteFile, seedSqliteFile } from './sqlite-file.ts';

/** The seed's design: one row per anchor, a blob holding its fields and (for a node) its edge ids. */
export interface Blob {
  type: string;
  root: string;
  fields: Record<string, unknown>;
  edges?: string[];
  source?: string;
  target?: string;
}

const SCHEMA = 'CREATE TABLE IF NOT EXISTS blobs (id TEXT PRIMARY KEY NOT NULL, data TEXT NOT NULL)';

function statements(db: Database.Database) {
  return {
    read: db.prepare<[string], { data: string }>('SELECT data FROM blobs WHERE id = ?'),
    // The original bug: the whole row written back from a private copy, whatever others wrote since.
    replace: db.prepare<[string, string]>('INSERT OR REPLACE INTO blobs (id, data) VALUES (?, ?)'),
  };
}

/** The seed's rows as blobs: a node's blob holds its edge ids. */
export function* seedBlobs(spec: SeedSpec): Generator<readonly [string, Blob]> {
  for (const r of seedRows(spec)) {
    const blob: Blob = { type: r.type, root: r.root, fields: { ...r.fields } };
    if (r.kind === 'node') blob.edges = [...(r.edges ?? [])];
    else Object.assign(blob, { source: r.source, target: r.target });
    yield [r.id, blob];
  }
}

const naiveLayout: Layout = {
  name: 'naive-blobs',
  backend: 'sqlite',
  async seed(path: string, spec: SeedSpec): Promise<void> {
    seedSqliteFile(path, SCHEMA, (db) => {
      const q = statements(db);
      for (const [id, blob] of seedBlobs(spec)) q.replace.run(id, JSON.stringify(blob));
    });
  },
};

/** Read, change a private copy, write the whole row back with `INSERT OR REPLACE`: fast, and it loses writes. */
class NaiveConnection implements ContenderConnection {
  static readonly summary =
    "the seed's bug: read a blob row, change a private copy, INSERT OR REPLACE the whole row (loses writes)";

  readonly #db: Database.Database;
  readonly #q: ReturnType<typeof statements>;
  readonly #writeAll: Transaction<(rows: ReadonlyArray<readonly [string, Blob]>) => void>;

  constructor(path: string, options: ConnectOptions) {
    this.#db = openSqliteFile(path, options);
    this.#q = statements(this.#db);
    this.#writeAll = this.#db.transaction((rows: ReadonlyArray<readonly [string, Blob]>) => {
      for (const [id, blob] of rows) this.#q.replace.run(id, JSON.stringify(blob));
    });
  }

  #load(id: string): Blob {
    const rec = this.#q.read.get(id);
    if (!rec) throw new Error(`anchor ${id} not found`);
    return JSON.parse(rec.data) as Blob;
  }

  #write(rows: ReadonlyArray<readonly [string, Blob]>): void {
    this.#writeAll.immediate(rows);
  }

  async increment(ids: readonly string[], field: string, think: Think): Promise<void> {
    const rows = ids.map((id) => [id, this.#load(id)] as const);
    await think();
    for (const [, blob] of rows) bumpField(blob.fields, field);
    this.#write(rows);
  }

  async addChild(parent: string, think: Think): Promise<string> {
    const blob = this.#load(parent);
    await think();
    const child = randomUUID();
    const edge = randomUUID();
    (blob.edges ??= []).push(edge);
    this.#write([
      [child, { type: 'Child', root: SYSTEM_ROOT, fields: { name: 'child' }, edges: [edge] }],
      [edge, { type: 'Edge', root: SYSTEM_ROOT, fields: {}, source: parent, target: child }],
      [parent, blob],
    ]);
    return edge;
  }

  async getCold(id: string): Promise<unknown> {
    return this.#load(id).fields;
  }

  async openSession(ids: readonly string[]): Promise<(id: string) => unknown> {
    const held = new Map(ids.map((id) => [id, this.#load(id)]));
    return (id) => held.get(id);
  }

  async neighbors(id: string): Promise<number> {
    let count = 0;
    for (const edgeId of this.#load(id).edges ?? []) {
      const edge = this.#load(edgeId);
      if (edge.source === id && edge.target !== undefined && this.#load(edge.target)) count++;
    }
    return count;
  }

  async storedFields(id: string): Promise<Record<string, unknown> | undefined> {
    const rec = this.#q.read.get(id);
    return rec && (JSON.parse(rec.data) as Blob).fields;
  }

  async storedEdgeIds(id: string): Promise<readonly string[]> {
    return this.#load(id).edges ?? [];
  }

  async close(): Promise<void> {
    this.#db.close();
  }
}

export const contenders = [contender('naive', naiveLayout, NaiveConnection)];
