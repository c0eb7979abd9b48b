import type { ConflictEvent } from '../core/commit-plan.ts';

type Kind = ConflictEvent['kind'];

export interface HotAnchor {
  readonly anchorId: string;
  readonly type: string;
  /** Conflicts counted on this anchor (may overcount by at most `error`). */
  readonly count: number;
  /** How far `count` may overcount: what the anchor inherited when it took an evicted one's place. */
  readonly error: number;
  readonly kinds: Readonly<Record<Kind, number>>;
}

interface Slot {
  type: string;
  count: number;
  error: number;
  kinds: Record<Kind, number>;
}

/**
 * The most-conflicted anchors in bounded memory (the Space-Saving algorithm): at most `capacity`
 * anchors are tracked; a new one replaces the least counted and inherits its count as `error`.
 * Every anchor conflicted more than total/capacity times is guaranteed to be listed; with fewer
 * distinct anchors than `capacity` the counts are exact.
 */
export class HotAnchors {
  readonly #capacity: number;
  readonly #slots = new Map<string, Slot>();

  constructor(capacity: number) {
    this.#capacity = Math.max(1, capacity);
  }

  add(anchorId: string, type: string, kind: Kind): void {
    let slot = this.#slots.get(anchorId);
    if (!slot) {
      const inherited = this.#slots.size >= this.#capacity ? this.#evictLeast() : 0;
      slot = { type, count: inherited, error: inherited, kinds: { edge: 0, field: 0, delete: 0 } };
      this.#slots.set(anchorId, slot);
    }
    slot.count++;
    slot.kinds[kind]++;
  }

  /** The `k` most-conflicted anchors, most first (ties by id, for stable output). */
  top(k: number): HotAnchor[] {
    return [...this.#slots]
      .map(([anchorId, s]) => ({ anchorId, type: s.type, count: s.count, error: s.error, kinds: { ...s.kinds } }))
      .sort((a, b) => b.count - a.count || (a.anchorId < b.anchorId ? -1 : 1))
      .slice(0, k);
  }

  #evictLeast(): number {
    let least: [string, Slot] | undefined;
    for (const entry of this.#slots) if (!least || entry[1].count < least[1].count) least = entry;
    if (!least) return 0;
    this.#slots.delete(least[0]);
    return least[1].count;
  }
}
