import { closeSync, copyFileSync, fsyncSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Layout, SeedSpec } from './contenders/contender.ts';

/**
 * Seeded database files, made once per layout and seed, and copied for every run that writes,
 * so each run starts from the same state. Copies are flushed to disk before the run: otherwise
 * the run's first fsyncs would pay for writing the copy back.
 */
export class Templates {
  readonly #dir: string;
  readonly #made = new Map<string, Promise<string>>();
  #copies = 0;

  constructor(dir: string) {
    this.#dir = dir;
  }

  template(layout: Layout, seed: SeedSpec): Promise<string> {
    const key = `${layout.name} ${JSON.stringify(seed)}`;
    let made = this.#made.get(key);
    if (!made) {
      const path = join(this.#dir, `template-${this.#made.size}-${layout.name}.db`);
      this.remove(path);
      made = layout.seed(path, seed).then(() => path);
      this.#made.set(key, made);
    }
    return made;
  }

  workingCopy(template: string): string {
    const path = join(this.#dir, `run-${++this.#copies}.db`);
    copyFileSync(template, path);
    const fd = openSync(path, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    return path;
  }

  remove(path: string): void {
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
  }
}
