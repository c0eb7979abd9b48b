/**
 * How big a run is: `full` for the published table; `quick` for the CI smoke run, which runs every
 * workload on every contender, smaller (fewer processes, smaller graphs, a few operations each).
 */
export type Scale = 'full' | 'quick';

export interface Shapes {
  /** Process counts of the hot-node cases. */
  readonly hotProcs: readonly number[];
  readonly spreadProcs: number;
  /** Hubs seeded in the graph of the degree and read cases (1,000 is the `neighbors` one). */
  readonly hubDegrees: readonly number[];
  /** Degrees timed by the degree cases. */
  readonly degrees: readonly number[];
  readonly graphItems: number;
  readonly memoryItems: number;
}

export function shapes(scale: Scale): Shapes {
  return scale === 'full'
    ? {
        hotProcs: [1, 2, 4, 8],
        spreadProcs: 8,
        hubDegrees: [10, 1000, 100_000],
        degrees: [10, 1000, 100_000],
        graphItems: 10_000,
        memoryItems: 100_000,
      }
    : {
        hotProcs: [2],
        spreadProcs: 2,
        hubDegrees: [10, 1000, 10_000],
        degrees: [10, 10_000],
        graphItems: 2_000,
        memoryItems: 10_000,
      };
}

export interface Budget {
  /** Timed operations at most. */
  readonly ops: number;
  /** Timed milliseconds at most. */
  readonly ms: number;
  /** Untimed operations first, at least … */
  readonly warmup: number;
  /** … and for at least this long, so the JIT has compiled the hot path of every contender alike. */
  readonly warmupMs: number;
}

/** Full runs warm up for this long before timing; a fresh process runs cold code for a while. */
const FULL_WARMUP_MS = 1500;

export function budget(scale: Scale, full: Omit<Budget, 'warmupMs'>, quick: Omit<Budget, 'warmupMs'>): Budget {
  return scale === 'full' ? { ...full, warmupMs: FULL_WARMUP_MS } : { ...quick, warmupMs: 0 };
}

/** What the multi-process cases share: requests think between read and write; timed by duration. */
export function contended(scale: Scale) {
  const forever = Number.POSITIVE_INFINITY;
  return {
    measure: 'throughput',
    thinks: true,
    writes: true,
    budget: budget(scale, { ops: forever, ms: 2000, warmup: 5 }, { ops: forever, ms: 300, warmup: 1 }),
  } as const;
}

/** `count` distinct integers below `below`, drawn from `random`. */
export function distinctIndexes(random: () => number, count: number, below: number): number[] {
  const picked = new Set<number>();
  while (picked.size < count) picked.add(Math.floor(random() * below));
  return [...picked];
}
