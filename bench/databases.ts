import { closeSync, copyFileSync, fsyncSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Layout, SeedSpec } from './contenders/contender.ts';
import { createSchema } from './pg-schemas.ts';

/** A database ready for one run, and how to throw it away. */
export interface Prepared {
  readonly location: string;
  dispose(): Promise<void>;
}

/**
 * Seeded databases for runs. SQLite: one template file per layout and seed, copied for every run
 * that writes, so each starts from the same state; copies are flushed to disk first, or the run's
 * first fsyncs would pay for writing the copy. PostgreSQL: a fresh schema seeded for every run.
 */
export class Databases {
  readonly #dir: string;
  readonly #pgUrl: string | undefined;
  readonly #made = new Map<string, Promise<string>>();
  #copies = 0;

  constructor(dir: string, pgUrl: string | undefined) {
    this.#dir = dir;
    this.#pgUrl = pgUrl;
  }

  async prepare(layout: Layout, seed: SeedSpec, writes: boolean): Promise<Prepared> {
    if (layout.backend === 'postgres') {
      if (!this.#pgUrl) throw new Error('PostgreSQL cases need --db postgres://…');
      const schema = await createSchema(this.#pgUrl);
      await layout.seed(schema.url, seed);
      return { location: schema.url, dispose: schema.drop };
    }
    const template = await this.#template(layout, seed);
    if (!writes) return { location: template, dispose: async () => undefined };
    const copy = join(this.#dir, `run-${++this.#copies}.db`);
    copyFileSync(template, copy);
    const fd = openSync(copy, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return { location: copy, dispose: async () => removeDatabaseFile(copy) };
  }

  #template(layout: Layout, seed: SeedSpec): Promise<string> {
    const key = `${layout.name} ${JSON.stringify(seed)}`;
    let made = this.#made.get(key);
    if (!made) {
      const path = join(this.#dir, `template-${this.#made.size}-${layout.name}.db`);
      made = layout.seed(path, seed).then(() => path);
      this.#made.set(key, made);
    }
    return made;
  }
}

export function removeDatabaseFile(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
}
