import type { ConflictEvent } from '../core/commit-plan.ts';
import type { JournalEntry } from '../core/journal.ts';
import { HotAnchors } from './hot-anchors.ts';

export type ConflictKind = ConflictEvent['kind'];
export type Resolution = ConflictEvent['resolution'];

export const KINDS: readonly ConflictKind[] = ['edge', 'field', 'delete'];
export const RESOLUTIONS: readonly Resolution[] = ['rebased', 'merged', 'lww', 'rejected', 'exhausted'];

/** Resolutions that reached the caller as a ConflictError: the conflicts that escaped. */
export const ESCAPED: ReadonlySet<Resolution> = new Set(['rejected', 'exhausted']);

/** Keys past this many are folded into `(other)`, so a long-running process stays bounded. */
const MAX_KEYS = 1024;
export const OTHER = '(other)';

function bump(map: Map<string, number>, key: string): void {
  const known = map.has(key) || map.size < MAX_KEYS;
  const k = known ? key : OTHER;
  map.set(k, (map.get(k) ?? 0) + 1);
}

/** Conflicts added up by kind and resolution, type, writer pair and anchor; bounded memory. */
export class ConflictTally {
  total = 0;
  /** `kind/resolution` → count. */
  readonly byOutcome = new Map<string, number>();
  readonly byType = new Map<string, number>();
  /** `writer\0raced` → count: the writer that met the conflict and one writer whose write it met. */
  readonly byPair = new Map<string, number>();
  readonly hot: HotAnchors;

  constructor(hotCapacity: number) {
    this.hot = new HotAnchors(hotCapacity);
  }

  add(e: JournalEntry): void {
    this.total++;
    bump(this.byOutcome, `${e.kind}/${e.resolution}`);
    bump(this.byType, e.type);
    for (const raced of e.writers) bump(this.byPair, `${e.writer}\u0000${raced}`);
    this.hot.add(e.anchorId, e.type, e.kind);
  }

  count(kind: ConflictKind | undefined, resolution: Resolution | undefined): number {
    let n = 0;
    for (const k of KINDS) {
      if (kind !== undefined && k !== kind) continue;
      for (const r of RESOLUTIONS) if (resolution === undefined || r === resolution) n += this.byOutcome.get(`${k}/${r}`) ?? 0;
    }
    return n;
  }
}
