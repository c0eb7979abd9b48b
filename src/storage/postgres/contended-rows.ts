/**
 * Rows whose optimistic compare-and-swap missed lately. A one-row write to such a row skips the
 * optimistic try and locks the row first: on a hot row, an optimistic try mostly misses, and
 * each miss is one more statement queued on the row's lock (measured: see the README). A write
 * that meets no conflict takes its row off the list. Bounded: the oldest entries go first.
 */
export class ContendedRows {
  readonly #ids = new Set<string>();
  readonly #max: number;

  constructor(max = 1024) {
    this.#max = max;
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  /** A write to `id` met a conflict (or not): remember it as contended (or forget it). */
  note(id: string, conflicted: boolean): void {
    if (!conflicted) {
      this.#ids.delete(id);
      return;
    }
    this.#ids.delete(id);
    this.#ids.add(id);
    if (this.#ids.size > this.#max) this.#ids.delete(this.#ids.values().next().value as string);
  }
}
