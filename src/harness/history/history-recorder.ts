import type { HistoryEntryInput } from './history-entry.ts';
import { JsonLinesWriter } from './json-lines.ts';

export interface HistoryRecorderOptions {
  /** Written into every entry. */
  readonly process: string;
  /** fsync after every line, so an acknowledgement survives power loss too (crash harnesses). */
  readonly fsync?: boolean;
}

/**
 * Appends acknowledged operations to a JSON-lines file, one `write` per line, as soon as they
 * are acknowledged: a process killed later leaves every line it had recorded (at worst a torn
 * last line, which the reader skips). One recorder per process and file.
 */
export class HistoryRecorder {
  readonly path: string;
  readonly #lines: JsonLinesWriter;
  readonly #process: string;

  constructor(path: string, options: HistoryRecorderOptions) {
    this.path = path;
    this.#process = options.process;
    this.#lines = new JsonLinesWriter(path, { fsync: options.fsync });
  }

  /** Lines appended by this recorder. */
  get count(): number {
    return this.#lines.count;
  }

  append(entry: Omit<HistoryEntryInput, 'process'>): void {
    this.#lines.append({ process: this.#process, ...entry });
  }

  close(): void {
    this.#lines.close();
  }
}
