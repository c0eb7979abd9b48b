import type { GraphSession, GraphSessionOptions, GraphStore } from '../workload/graph-store.ts';
import type { NaiveBlobStore } from './naive-blob-store.ts';
import { NaiveSession } from './naive-session.ts';
import { openNaiveBlobStore } from './open-naive-blob-store.ts';

/**
 * The lossy writer as a GraphStore, so the seed's workload runs on it unchanged. A
 * "transaction" runs the function once and commits, as the original runtime did: no
 * isolation, no replay.
 */
export class NaiveGraphStore implements GraphStore {
  readonly blobs: NaiveBlobStore;

  /** `location`: a SQLite file or a `postgres://` url (see openNaiveBlobStore). */
  constructor(location: string) {
    this.blobs = openNaiveBlobStore(location);
  }

  session(options: GraphSessionOptions): GraphSession {
    return new NaiveSession(this.blobs, options.root);
  }

  async transaction<T>(fn: (tx: GraphSession) => Promise<T>, options: GraphSessionOptions): Promise<T> {
    const tx = this.session(options);
    const result = await fn(tx);
    await tx.commit();
    return result;
  }

  close(): Promise<void> {
    return this.blobs.close();
  }
}
