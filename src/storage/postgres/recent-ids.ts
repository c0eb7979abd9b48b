/**
 * A bounded set of ids, oldest dropped first: what the backend remembers about recent writes
 * without growing with them (rows found contended, commits whose outcome was left unknown).
 */
export class RecentIds {
  readonly #ids = new Set<string>();
  readonly #max: number;

  constructor(max = 1024) {
    this.#max = max;
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  /** Adds `id` (as the newest) and drops the oldest beyond the bound. */
  add(id: string): void {
    this.#ids.delete(id);
    this.#ids.add(id);
    if (this.#ids.size > this.#max) this.#ids.delete(this.#ids.values().next().value as string);
  }

  delete(id: string): void {
    this.#ids.delete(id);
  }
}
