import type { ScanQuery } from '../../index.ts';
import type { CheckableStore, StoredRow } from '../history/graph-snapshot.ts';
import type { NaiveBlobStore } from './naive-blob-store.ts';

/** Reads the naive blob table as the checker reads anchorage's storage port. */
export class NaiveCheckSource implements CheckableStore {
  readonly #blobs: NaiveBlobStore;

  constructor(blobs: NaiveBlobStore) {
    this.#blobs = blobs;
  }

  async scan(query: ScanQuery): Promise<StoredRow[]> {
    const out: StoredRow[] = [];
    let after = query.after ?? '';
    while (out.length < query.limit) {
      const page = await this.#blobs.page(after, query.limit);
      if (page.length === 0) break;
      for (const { id, blob } of page) {
        if ((query.type !== undefined && blob.type !== query.type) || (query.root !== undefined && blob.root !== query.root))
          continue;
        const common = { id, type: blob.type, root: blob.root, fields: blob.fields, version: blob.version, vv: {} };
        out.push(
          blob.kind === 'node'
            ? { ...common, kind: 'node' }
            : { ...common, kind: 'edge', source: blob.source, target: blob.target },
        );
        if (out.length === query.limit) break;
      }
      after = page[page.length - 1]?.id ?? after;
    }
    return out;
  }

  async loadEdgeIds(nodeId: string): Promise<string[]> {
    const blob = await this.#blobs.read(nodeId);
    return blob?.kind === 'node' ? [...blob.edges] : [];
  }
}
