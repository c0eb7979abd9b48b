/** How long a run is: `full` for the published table, `quick` for the CI smoke run (same shapes, fewer operations). */
export type Scale = 'full' | 'quick';

export interface Budget {
  readonly ops: number;
  readonly ms: number;
  readonly warmup: number;
}

export function budget(scale: Scale, full: Budget, quick: Budget): Budget {
  return scale === 'full' ? full : quick;
}

/** `count` distinct integers below `below`, drawn from `random`. */
export function distinctIndexes(random: () => number, count: number, below: number): number[] {
  const picked = new Set<number>();
  while (picked.size < count) picked.add(Math.floor(random() * below));
  return [...picked];
}
