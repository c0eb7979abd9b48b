import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openRepository, type Repository, type RepositoryOptions } from '../../src/index.ts';
import { MemoryStorage } from '../../src/storage/memory/memory-storage.ts';
import { PostgresStorage } from '../../src/storage/postgres/postgres-storage.ts';
import { SqliteStorage } from '../../src/storage/sqlite/sqlite-storage.ts';
import type { StoragePort } from '../../src/storage/storage-port.ts';
import { createScratchSchema, PG_URL } from './postgres-database.ts';

type RepoOptions = Omit<RepositoryOptions, 'url' | 'storage'>;

/** One fresh database of some backend; every repository or port opened on it shares its data. */
export interface TestDatabase {
  /** A new storage port on this database (a new connection where the backend has them). */
  storage(): Promise<StoragePort>;
  /** A new repository (its own writer id) on this database. */
  repo(options?: RepoOptions): Promise<Repository>;
  cleanup(): Promise<void>;
}

export interface TestBackend {
  readonly name: string;
  /** Whether separate connections see each other (false: one shared in-process store). */
  readonly shared: boolean;
  create(): Promise<TestDatabase>;
}

function trackClosing(open: () => Promise<StoragePort>) {
  const opened: StoragePort[] = [];
  return {
    open: async () => {
      const s = await open();
      opened.push(s);
      return s;
    },
    closeAll: async () => {
      for (const s of opened) await s.close();
    },
  };
}

const memory: TestBackend = {
  name: 'memory',
  shared: true,
  async create() {
    const store = new MemoryStorage();
    return {
      storage: async () => store,
      repo: (options = {}) => openRepository({ ...options, storage: store }),
      cleanup: async () => {},
    };
  },
};

export function tempDir(prefix = 'anchorage-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

const sqlite: TestBackend = {
  name: 'sqlite',
  shared: true,
  async create() {
    const dir = tempDir();
    const path = join(dir, 'test.db');
    const ports = trackClosing(async () => new SqliteStorage({ path, durability: 'normal', busyTimeoutMs: 5000 }));
    const repos: Repository[] = [];
    return {
      storage: ports.open,
      repo: async (options = {}) => {
        const r = await openRepository({ durability: 'normal', ...options, url: `sqlite:${path}` });
        repos.push(r);
        return r;
      },
      cleanup: async () => {
        for (const r of repos) await r.close();
        await ports.closeAll();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

/** A fresh schema per `create()` on the server at ANCHORAGE_PG_URL; small pools, as many processes would have. */
const postgres: TestBackend = {
  name: 'postgres',
  shared: true,
  async create() {
    const db = await createScratchSchema();
    const ports = trackClosing(() => PostgresStorage.open({ url: db.url, poolSize: 4 }));
    const repos: Repository[] = [];
    return {
      storage: ports.open,
      repo: async (options = {}) => {
        const r = await openRepository({ poolSize: 4, ...options, url: db.url });
        repos.push(r);
        return r;
      },
      cleanup: async () => {
        for (const r of repos) await r.close();
        await ports.closeAll();
        await db.drop();
      },
    };
  },
};

/** Backends every contract suite runs on: PostgreSQL joins when a server is given (ANCHORAGE_PG_URL). */
export const backends: TestBackend[] = PG_URL ? [memory, sqlite, postgres] : [memory, sqlite];
