import { ValidationError } from '../core/errors.ts';
import { instrumentRepository } from '../metrics/instrument-repository.ts';
import { MemoryStorage } from '../storage/memory/memory-storage.ts';
import { PostgresStorage } from '../storage/postgres/postgres-storage.ts';
import { SqliteStorage } from '../storage/sqlite/sqlite-storage.ts';
import type { StoragePort } from '../storage/storage-port.ts';
import { type RepositoryOptions, type ResolvedOptions, repositoryOptionsSchema } from './options.ts';
import { newWriterId, Repository } from './repository.ts';
import { parseInput } from './validation.ts';

async function storageFor(options: ResolvedOptions): Promise<StoragePort> {
  if (options.storage) return options.storage;
  if (options.pool) return PostgresStorage.open({ pool: options.pool });
  const url = options.url as string;
  if (/^postgres(ql)?:\/\//.test(url)) {
    return PostgresStorage.open({ url, poolSize: options.poolSize, lockTimeoutMs: options.busyTimeoutMs });
  }
  if (url === 'memory:') return new MemoryStorage();
  if (url.startsWith('sqlite:')) {
    return new SqliteStorage({
      path: url.slice('sqlite:'.length),
      durability: options.durability,
      busyTimeoutMs: options.busyTimeoutMs,
    });
  }
  throw new ValidationError('url', `unsupported database url ${url}`);
}

/**
 * Opens a repository: `sqlite:./data/app.db` (created and migrated on open), `sqlite::memory:`,
 * `memory:`, or PostgreSQL by `postgres://…` url or a caller's `pool` (migrated on open, once
 * under an advisory lock when servers start together). Throws ValidationError for bad options
 * and StorageError when the database cannot be opened (or was migrated by a newer anchorage).
 */
export async function openRepository(options: RepositoryOptions): Promise<Repository> {
  const resolved = parseInput(repositoryOptionsSchema, options, 'options') as ResolvedOptions;
  const storage = await storageFor(resolved);
  const writerId = resolved.writerId ?? newWriterId();
  const { observers, metrics } = instrumentRepository(storage, { ...resolved, writerId });
  return new Repository(storage, { ...resolved, writerId }, observers, metrics);
}
