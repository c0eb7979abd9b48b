import { hasCode } from '../../index.ts';
import type { GraphStore } from '../workload/graph-store.ts';
import { runOperation } from './race-operations.ts';
import { SeededRandom } from './seeded-random.ts';
import { type PlannedSession, sessionPlan } from './session-plan.ts';
import { TrackedStore, type TrackingHooks } from './tracked-store.ts';

const CONFLICT_CODES = ['field_conflict', 'deleted_concurrently', 'read_conflict', 'retries_exhausted'] as const;

export interface OperationLoopOptions {
  readonly store: GraphStore;
  /** Names the sessions: `<process>-<index in the plan>`. */
  readonly process: string;
  readonly users: readonly string[];
  /** The process's seed: it fixes the plan (see sessionPlan), whatever the database holds. */
  readonly seed: number;
  /** How many sessions of the plan to run after the opening `me`s; unbounded when absent. */
  readonly sessions?: number;
  /** Operations in flight at once. */
  readonly concurrency: number;
  /** Bounds of one simulated model call, in ms. */
  readonly modelMs: readonly [number, number];
  /** Given to every operation's TrackedStore: where acknowledgements (and intents) go. */
  readonly hooks: TrackingHooks;
  /** Whether another session may start (not stopping yet); asked once per session, the opening's too. */
  more?(): boolean;
  /** Each planned session, as it starts (in plan order). */
  onSession?(session: PlannedSession): void;
  /** After each operation, with the count so far. */
  onOperation?(done: number): Promise<void> | void;
  /** Each unexpected failure (not a conflict), as it happens. */
  onError?(message: string): void;
}

export interface LoopStats {
  /** Sessions run, the opening `me`s included. */
  readonly operations: number;
  /** Of which the opening `me`s (one per user, unless stopped before). */
  readonly opening: number;
  readonly latenciesMs: number[];
  /** Transaction runs beyond the first. */
  readonly replays: number;
  /** Operations refused by a conflict anchorage reports instead of losing a write, by code. */
  readonly refused: Record<string, number>;
  /** Unexpected failures: the first five messages, then `…` for each later one. */
  readonly errors: string[];
}

/**
 * Runs the seed's plan in one process (see sessionPlan): first the opening `me` of every user at
 * once (concurrent find-or-create), then `sessions` more, handed out in order to `concurrency`
 * slots, while `more()` allows. Each session draws from its own seeded PRNG, so the
 * sequence of operations, users and draws is the seed's; only what the database holds when a
 * session runs may differ. Failed operations are counted, never thrown: a conflict is a
 * refusal, anything else an error.
 */
export async function runOperationLoop(options: OperationLoopOptions): Promise<LoopStats> {
  const stats = { operations: 0, replays: 0, latenciesMs: [] as number[], refused: {} as Record<string, number> };
  const errors: string[] = [];
  const plan = sessionPlan(options.seed, options.users);
  const budget = options.users.length + (options.sessions ?? Number.POSITIVE_INFINITY);
  let taken = 0;
  /** The plan's next session, while the budget and `more()` allow. */
  const take = (): PlannedSession | undefined => {
    if (taken >= budget || (options.more && !options.more())) return undefined;
    taken++;
    return plan.next().value;
  };

  const perform = async (planned: PlannedSession) => {
    options.onSession?.(planned);
    const { operation, user } = planned;
    const meta = { operation, session: `${options.process}-${planned.index}`, user };
    const tracked = new TrackedStore(options.store, meta, options.hooks);
    try {
      await runOperation(operation, tracked, user, new SeededRandom(planned.seed), options.modelMs);
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

  const opening: PlannedSession[] = [];
  while (opening.length < options.users.length) {
    const s = take();
    if (!s) break;
    opening.push(s);
  }
  await Promise.all(opening.map(perform));
  const slot = async () => {
    for (let s = take(); s; s = take()) await perform(s);
  };
  await Promise.all(Array.from({ length: options.concurrency }, slot));
  return { ...stats, opening: opening.length, errors };
}
