import { afterEach, beforeEach } from 'vitest';
import type { Repository } from '../../src/index.ts';
import type { StoragePort } from '../../src/storage/storage-port.ts';
import type { TestBackend, TestDatabase } from './backends.ts';

/** What `useDatabase` gives each test: a fresh database, a repository (writer `A`) and a storage port on it. */
export interface DatabaseFixture {
  db: TestDatabase;
  repo: Repository;
  storage: StoragePort;
}

/** Registers hooks that give every test in the suite a fresh database of `backend`, cleaned up after. */
export function useDatabase(backend: TestBackend): DatabaseFixture {
  const fixture = {} as DatabaseFixture;
  beforeEach(async () => {
    fixture.db = await backend.create();
    fixture.repo = await fixture.db.repo({ writerId: 'A' });
    fixture.storage = await fixture.db.storage();
  });
  afterEach(async () => fixture.db.cleanup());
  return fixture;
}
