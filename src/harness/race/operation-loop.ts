import { hasCode } from '../../index.ts';
import type { GraphStore } from '../workload/graph-store.ts';
import { OPERATION_WEIGHTS, type OperationName, runOperation } from './race-operations.ts';
import { SeededRandom, subSeed } from './seeded-random.ts';
import { TrackedStore, type TrackingHooks } from './tracked-store.ts';

const CONFLICT_CODES = ['field_conflict', 'deleted_concurrently', 'read_conflict', 'retries_exhausted'] as const;

export interface OperationLoopOptions {
  readonly store: GraphStore;
  /** Names the sessions: `<process>-<n>`. */
  readonly process: string;
  readonly users: readonly string[];
  readonly seed: number;
  /** Operations in flight at once. */
  readonly concurrency: number;
  /** Bounds of one simulated model call, in ms. */
  readonly modelMs: readonly [number, number];
  /** Given to every operation's TrackedStore: where acknowledgements (and intents) go. */
  readonly hooks: TrackingHooks;
  /** Whether another operation may start (a session budget, or not stopping yet); asked once per operation. */
  more(): boolean;
  /** After each operation, with the count so far. */
  onOperation?(done: number): Promise<void> | void;
  /** Each unexpected failure (not a conflict), as it happens. */
  onError?(message: string): void;
}

export interface LoopStats {
  readonly operations: number;
  readonly latenciesMs: number[];
  /** Transaction runs beyond the first. */
  readonly replays: number;
  /** Operations refused by a conflict anchorage reports instead of losing a write, by code. */
  readonly refused: Record<string, number>;
  /** Unexpected failures: the first five messages, then `…` for each later one. */
  readonly errors: string[];
}

/**
 * Runs the seed's workload in one process: first every user's profile at once (concurrent
 * find-or-create), then `concurrency` slots of weighted random operations while `more()` allows.
 * Failed operations are counted, never thrown: a conflict is a refusal, anything else an error.
 */
export async function runOperationLoop(options: OperationLoopOptions): Promise<LoopStats> {
  const stats = { operations: 0, replays: 0, latenciesMs: [] as number[], refused: {} as Record<string, number> };
  const errors: string[] = [];
  let sessionNo = 0;

  const perform = async (operation: OperationName, user: string, rnd: SeededRandom) => {
    const meta = { operation, session: `${options.process}-${sessionNo++}`, user };
    const tracked = new TrackedStore(options.store, meta, options.hooks);
    try {
      await runOperation(operation, tracked, user, rnd, options.modelMs);
    } catch (error) {
      const code = hasCode(error, ...CONFLICT_CODES) ? error.code : undefined;
      if (code) stats.refused[code] = (stats.refused[code] ?? 0) + 1;
      else {
        const message = error instanceof Error ? error.message : String(error);
        errors.push(errors.length < 5 ? message : '…');
        options.onError?.(message);
      }
    }
    stats.latenciesMs.push(...tracked.latenciesMs);
    stats.replays += tracked.replays;
    stats.operations++;
    await options.onOperation?.(stats.operations);
  };

  const start = new SeededRandom(subSeed(options.seed, 0));
  await Promise.all(options.users.map((user) => perform('me', user, start)));
  const slot = async (n: number) => {
    const rnd = new SeededRandom(subSeed(options.seed, n + 1));
    while (options.more()) {
      const user = rnd.pick(options.users) as string;
      await perform(rnd.weighted(OPERATION_WEIGHTS), user, rnd);
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, n) => slot(n)));
  return { ...stats, errors };
}
