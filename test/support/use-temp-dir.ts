import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { tempDir } from './backends.ts';

/** What `useTempDir` gives each test: a fresh folder, and a database file path in it (not created). */
export interface TempDirFixture {
  dir: string;
  /** `<dir>/app.db`. */
  path: string;
}

/** Registers hooks that give every test in the suite a fresh temp folder, removed after. */
export function useTempDir(): TempDirFixture {
  const fixture = {} as TempDirFixture;
  beforeEach(() => {
    fixture.dir = tempDir();
    fixture.path = join(fixture.dir, 'app.db');
  });
  afterEach(() => rmSync(fixture.dir, { recursive: true, force: true }));
  return fixture;
}
