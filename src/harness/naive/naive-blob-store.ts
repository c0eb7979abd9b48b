import type { Fields } from '../../index.ts';

/** One row of the original store: a node's fields and edge-id list, or an edge, in one JSON blob. */
export type NaiveBlob =
  | { kind: 'node'; type: string; root: string; fields: Fields; edges: string[]; version: number }
  | { kind: 'edge'; type: string; root: string; fields: Fields; source: string; target: string; version: number };

/**
 * The original one-blob-per-node table (`id, data`), written the way the seed's runtime wrote
 * it: a whole row replaced, each statement committed on its own, no version check. Deliberately
 * lossy; it exists to show the bug beside anchorage, never as a backend. `version` inside the
 * blob is only what the writer believed (its copy's version + 1).
 */
export interface NaiveBlobStore {
  read(id: string): Promise<NaiveBlob | undefined>;
  /** The lossy write: the whole row replaced by the caller's copy. */
  replace(id: string, blob: NaiveBlob): Promise<void>;
  /** Creates a root row if absent. */
  ensureRoot(id: string): Promise<void>;
  remove(id: string): Promise<void>;
  /** Rows with ids greater than `after`, ascending, at most `limit`. */
  page(after: string, limit: number): Promise<Array<{ id: string; blob: NaiveBlob }>>;
  close(): Promise<void>;
}

/** The row `ensureRoot` creates: an empty root node. */
export function rootBlob(id: string): NaiveBlob {
  return { kind: 'node', type: 'Root', root: id, fields: {}, edges: [], version: 1 };
}
