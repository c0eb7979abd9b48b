import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import type { HistoryEntryInput } from './history-entry.ts';

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
  readonly #fd: number;
  readonly #options: HistoryRecorderOptions;
  #count = 0;

  constructor(path: string, options: HistoryRecorderOptions) {
    this.path = path;
    this.#options = options;
    this.#fd = openSync(path, 'a');
  }

  /** Lines appended by this recorder. */
  get count(): number {
    return this.#count;
  }

  append(entry: Omit<HistoryEntryInput, 'process'>): void {
    writeSync(this.#fd, `${JSON.stringify({ process: this.#options.process, ...entry })}\n`);
    if (this.#options.fsync) fsyncSync(this.#fd);
    this.#count++;
  }

  close(): void {
    closeSync(this.#fd);
  }
}
