import type { NaiveBlobStore } from './naive-blob-store.ts';
import { PostgresNaiveBlobStore } from './postgres-naive-blob-store.ts';
import { SqliteNaiveBlobStore } from './sqlite-naive-blob-store.ts';

/**
 * The naive table at `location`: a `postgres://` (or `postgresql://`) url, or a SQLite file as
 * `sqlite:<file>` or a plain path (as the walker server gives it). Created if absent.
 */
export function openNaiveBlobStore(location: string): NaiveBlobStore {
  if (/^postgres(ql)?:\/\//.test(location)) return new PostgresNaiveBlobStore(location);
  return new SqliteNaiveBlobStore(location.replace(/^sqlite:/, ''));
}
