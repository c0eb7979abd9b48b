import { randomUUID } from 'node:crypto';
import Database, { type Transaction } from 'better-sqlite3';
import { SYSTEM_ROOT } from '../../src/index.ts';
import { HOT_ROOT, hubEdgeId, itemFields, itemId, leafFields, leafId } from '../seed-data.ts';
import type { ConnectOptions, Contender, ContenderConnection, Layout, SeedSpec, Think } from './contender.ts';
import { bumpField } from './sql-connection.ts';
import { closeForCopy, openSqliteFile } from './sqlite-file.ts';

/** The seed's design: one row per anchor, a blob holding its fields and (for a node) its edge ids. */
interface Blob {
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

const naiveLayout: Layout = {
  name: 'naive-blobs',
  async seed(path: string, spec: SeedSpec): Promise<void> {
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.exec(SCHEMA);
    const q = statements(db);
    const put = (id: string, blob: Blob) => q.replace.run(id, JSON.stringify(blob));
    db.transaction(() => {
      put(HOT_ROOT, { type: 'Root', root: HOT_ROOT, fields: {}, edges: [] });
      for (let i = 0; i < spec.items; i++) put(itemId(i), { type: 'Item', root: SYSTEM_ROOT, fields: itemFields(i), edges: [] });
      spec.hubs.forEach((hub, h) => {
        const edges: string[] = [];
        for (let j = 0; j < hub.degree; j++) {
          const edge = hubEdgeId(h, j);
          edges.push(edge);
          put(leafId(h, j), { type: 'Leaf', root: SYSTEM_ROOT, fields: leafFields(j), edges: [edge] });
          put(edge, { type: 'Edge', root: SYSTEM_ROOT, fields: {}, source: hub.id, target: leafId(h, j) });
        }
        put(hub.id, { type: 'Hub', root: SYSTEM_ROOT, fields: { name: `hub-${hub.degree}` }, edges });
      });
    })();
    closeForCopy(db);
  },
};

/** Read, change a private copy, write the whole row back with `INSERT OR REPLACE`: fast, and it loses writes. */
class NaiveConnection implements ContenderConnection {
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

export const naive: Contender = {
  name: 'naive',
  summary: "the seed's bug: read a blob row, change a private copy, INSERT OR REPLACE the whole row (loses writes)",
  layout: naiveLayout,
  async connect(path: string, options: ConnectOptions): Promise<ContenderConnection> {
    return new NaiveConnection(path, options);
  },
};
