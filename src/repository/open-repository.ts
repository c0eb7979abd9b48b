import { ValidationError } from '../core/errors.ts';
import { MemoryStorage } from '../storage/memory/memory-storage.ts';
import { SqliteStorage } from '../storage/sqlite/sqlite-storage.ts';
import type { StoragePort } from '../storage/storage-port.ts';
import { type RepositoryOptions, type ResolvedOptions, repositoryOptionsSchema } from './options.ts';
import { Repository } from './repository.ts';
import { parseInput } from './validation.ts';

function storageFor(options: ResolvedOptions): StoragePort {
  if (options.storage) return options.storage;
  const url = options.url as string;
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
 * or `memory:`. Throws ValidationError for bad options and StorageError when the database
 * cannot be opened (or was migrated by a newer anchorage).
 */
export async function openRepository(options: RepositoryOptions): Promise<Repository> {
  const resolved = parseInput(repositoryOptionsSchema, options, 'options') as ResolvedOptions;
  const storage = storageFor(resolved);
  return new Repository(storage, resolved, resolved.observers);
}
