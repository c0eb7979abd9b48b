import type { StoragePort } from '../../index.ts';

/** What the checker reads of a database: anchorage's storage port, or an adapter with the same two calls. */
export type CheckableStore = Pick<StoragePort, 'scan' | 'loadEdgeIds'>;

/** One stored anchor, as `scan` returns it. */
export type StoredRow = Awaited<ReturnType<StoragePort['scan']>>[number];

/** The final database, read once: every anchor row, and every node's edge list. */
export interface GraphSnapshot {
  readonly rows: ReadonlyMap<string, StoredRow>;
  readonly edgeLists: ReadonlyMap<string, readonly string[]>;
}

export interface SnapshotOptions {
  /** Only anchors owned by these roots (a database shared with other runs). */
  readonly roots?: ReadonlySet<string>;
  readonly pageSize?: number;
}

/** Pages through all anchors of all types (`scan({ limit, after })`) and loads each node's edge ids. */
export async function readSnapshot(store: CheckableStore, options: SnapshotOptions = {}): Promise<GraphSnapshot> {
  const limit = options.pageSize ?? 500;
  const rows = new Map<string, StoredRow>();
  const edgeLists = new Map<string, readonly string[]>();
  let after: string | undefined;
  for (;;) {
    const page = await store.scan(after === undefined ? { limit } : { limit, after });
    for (const row of page) {
      if (options.roots && !options.roots.has(row.root)) continue;
      rows.set(row.id, row);
      if (row.kind === 'node') edgeLists.set(row.id, await store.loadEdgeIds(row.id));
    }
    if (page.length < limit) break;
    after = page[page.length - 1]?.id;
  }
  return { rows, edgeLists };
}
