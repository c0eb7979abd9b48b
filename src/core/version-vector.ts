/** Writer id → number of that writer's writes to one row. The sum of counts is the row's version. */
export type VersionVector = Readonly<Record<string, number>>;

export type Ordering = 'before' | 'after' | 'equal' | 'concurrent';

export function increment(vv: VersionVector, writer: string): VersionVector {
  return { ...vv, [writer]: (vv[writer] ?? 0) + 1 };
}

/** Pointwise maximum: the least vector that has seen both. */
export function merge(a: VersionVector, b: VersionVector): VersionVector {
  const out: Record<string, number> = { ...a };
  for (const [w, n] of Object.entries(b)) out[w] = Math.max(out[w] ?? 0, n);
  return out;
}

/** How `a` relates to `b` in happened-before order. */
export function compare(a: VersionVector, b: VersionVector): Ordering {
  let aAhead = false;
  let bAhead = false;
  for (const w of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = a[w] ?? 0;
    const y = b[w] ?? 0;
    if (x > y) aAhead = true;
    if (y > x) bAhead = true;
  }
  if (aAhead && bAhead) return 'concurrent';
  if (aAhead) return 'after';
  if (bAhead) return 'before';
  return 'equal';
}

/** Writers that wrote the row between `base` and `current`: who raced a stale writer. */
export function writersSince(base: VersionVector, current: VersionVector): string[] {
  return Object.keys(current)
    .filter((w) => (current[w] ?? 0) > (base[w] ?? 0))
    .sort();
}

/** Sum of all counts; equals the row version when every write bumped exactly one count. */
export function total(vv: VersionVector): number {
  let sum = 0;
  for (const n of Object.values(vv)) sum += n;
  return sum;
}
