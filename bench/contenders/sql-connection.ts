import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { SYSTEM_ROOT } from '../../src/core/row.ts';
import { type AnchorRecord, type AnchorStatements, prepareAnchorStatements } from './anchor-statements.ts';
import type { ConnectOptions, ContenderConnection, Think } from './contender.ts';
import { openSqliteFile } from './sqlite-file.ts';

export interface LoadedRow {
  readonly id: string;
  fields: Record<string, unknown>;
  version: number;
}

export function parseRecord(rec: AnchorRecord): LoadedRow {
  return { id: rec.id, fields: JSON.parse(rec.fields) as Record<string, unknown>, version: rec.version };
}

export const CHILD_FIELDS = JSON.stringify({ name: 'child' });

/** SQLite said the database is locked: another attempt may succeed. */
export function isBusy(error: unknown): boolean {
  return String((error as { code?: unknown } | null)?.code ?? '').startsWith('SQLITE_BUSY');
}

/** The change every increment makes, applied to freshly read fields. */
export function bumpField(fields: Record<string, unknown>, field: string): void {
  fields[field] = ((fields[field] as number | undefined) ?? 0) + 1;
}

/**
 * The read side of the hand-written contenders on anchorage's schema: prepared statements and
 * `JSON.parse`, nothing else. Subclasses add the write side (optimistic or pessimistic).
 */
export abstract class SqlConnection implements ContenderConnection {
  protected readonly db: Database.Database;
  protected readonly q: AnchorStatements;
  /** Version vector of the rows this contender creates (it keeps no vectors; the column wants one). */
  protected readonly vv: string;

  constructor(name: string, path: string, options: ConnectOptions) {
    this.vv = JSON.stringify({ [name]: 1 });
    this.db = openSqliteFile(path, options);
    this.q = prepareAnchorStatements(this.db);
  }

  abstract increment(ids: readonly string[], field: string, think: Think): Promise<void>;
  abstract addChild(parent: string, think: Think): Promise<string>;

  protected load(id: string): LoadedRow {
    const rec = this.q.read.get(id);
    if (!rec) throw new Error(`node ${id} not found`);
    return parseRecord(rec);
  }

  /**
   * The writes of one edge add, inside the caller's transaction: a child node, an edge, both edge
   * refs, and a new version for the parent. Nothing to compare: edge refs are rows of their own,
   * so concurrent adds merge; a parent deleted meanwhile fails the add.
   */
  protected insertChild(parent: string): string {
    const child = randomUUID();
    const edge = randomUUID();
    if (this.q.bump.run(parent).changes === 0) throw new Error(`node ${parent} was deleted`);
    this.q.insert.run(child, 'node', 'Child', SYSTEM_ROOT, CHILD_FIELDS, null, null, this.vv);
    this.q.insert.run(edge, 'edge', 'Edge', SYSTEM_ROOT, '{}', parent, child, this.vv);
    this.q.addRef.run(parent, edge);
    this.q.addRef.run(child, edge);
    return edge;
  }

  async getCold(id: string): Promise<unknown> {
    return this.load(id).fields;
  }

  async openSession(ids: readonly string[]): Promise<(id: string) => unknown> {
    const held = new Map<string, LoadedRow>();
    for (const id of ids) held.set(id, this.load(id));
    return (id) => held.get(id);
  }

  async neighbors(id: string): Promise<number> {
    return this.q.outNeighbors.all(id, id).map(parseRecord).length;
  }

  async storedFields(id: string): Promise<Record<string, unknown> | undefined> {
    const rec = this.q.read.get(id);
    return rec && parseRecord(rec).fields;
  }

  async storedEdgeIds(id: string): Promise<readonly string[]> {
    return this.q.edgeIds.all(id).map((r) => r.edge_id);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
