import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { z } from 'zod';
import { ValidationError } from '../../index.ts';

/**
 * Appends JSON values to a file, one `write` per line, as soon as they are given: a process
 * killed later leaves every line it had written (at worst a torn last line, which
 * `readJsonLines` skips). With `fsync`, each line also survives power loss.
 */
export class JsonLinesWriter {
  readonly path: string;
  readonly #fd: number;
  readonly #fsync: boolean;
  #count = 0;

  constructor(path: string, options: { readonly fsync?: boolean } = {}) {
    this.path = path;
    this.#fsync = options.fsync ?? false;
    this.#fd = openSync(path, 'a');
  }

  /** Lines appended by this writer. */
  get count(): number {
    return this.#count;
  }

  append(value: unknown): void {
    writeSync(this.#fd, `${JSON.stringify(value)}\n`);
    if (this.#fsync) fsyncSync(this.#fd);
    this.#count++;
  }

  close(): void {
    closeSync(this.#fd);
  }
}

/**
 * Reads JSON-lines files, each line parsed with `schema`. A last line without its newline that
 * does not parse is a torn write (the process died mid-line) and is skipped; any other bad line
 * is a ValidationError naming file and line.
 */
export function readJsonLines<S extends z.ZodType>(
  paths: readonly string[],
  schema: S,
): { entries: Array<z.output<S>>; torn: number } {
  const entries: Array<z.output<S>> = [];
  let torn = 0;
  for (const path of paths) {
    const lines = readFileSync(path, 'utf8').split('\n');
    for (const [i, line] of lines.entries()) {
      if (line === '') continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch (cause) {
        if (i === lines.length - 1) {
          torn++;
          continue;
        }
        throw new ValidationError(`${path}:${i + 1}`, 'not a JSON line', { cause });
      }
      const result = schema.safeParse(parsed);
      if (!result.success) {
        throw new ValidationError(`${path}:${i + 1}`, result.error.issues[0]?.message ?? 'not a valid line', {
          cause: result.error,
        });
      }
      entries.push(result.data);
    }
  }
  return { entries, torn };
}
