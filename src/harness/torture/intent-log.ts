import type { CommitLogLine, IntentInput } from '../history/commit-intent.ts';
import { JsonLinesWriter } from '../history/json-lines.ts';

/**
 * One process's intent log: before each write, what it will do under a fresh commit id; after
 * a failed write, that nothing of it may be stored. Every line is fsynced before the write
 * starts, so a process killed at any moment leaves the intent of every write it began.
 */
export class IntentLog {
  readonly #lines: JsonLinesWriter;
  readonly #process: string;
  #next = 0;

  constructor(path: string, process: string) {
    this.#lines = new JsonLinesWriter(path, { fsync: true });
    this.#process = process;
  }

  /** Records an intent; returns its commit id (`<process>-c<n>`, unique across incarnations). */
  intend(intent: IntentInput): string {
    const commitId = `${this.#process}-c${++this.#next}`;
    this.#append({ kind: 'intent', commitId, process: this.#process, ...intent });
    return commitId;
  }

  refused(commitId: string): void {
    this.#append({ kind: 'refused', commitId });
  }

  close(): void {
    this.#lines.close();
  }

  #append(line: CommitLogLine): void {
    this.#lines.append(line);
  }
}
