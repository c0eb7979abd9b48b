import { OPERATION_WEIGHTS, type OperationName } from './race-operations.ts';
import { SeededRandom, subSeed } from './seeded-random.ts';

/** One session of a process's plan: fixed by the seed, whatever the database holds when it runs. */
export interface PlannedSession {
  /** Position in the process's plan; the session is named `<process>-<index>`. */
  readonly index: number;
  readonly operation: OperationName;
  readonly user: string;
  /** Seed of the session's own draws (which project it picks, model-call durations, names). */
  readonly seed: number;
}

/**
 * A process's workload, derived from its seed alone: first one `me` per user (the IDE's page
 * load: every profile found or created at once), then weighted random operations for random
 * users, each with a seed of its own. Endless; the race takes its share, torture takes until
 * told to stop. The same seed and users give the same sequence.
 */
export function* sessionPlan(seed: number, users: readonly string[]): Generator<PlannedSession, never> {
  if (users.length === 0) throw new Error('a session plan needs at least one user');
  const rnd = new SeededRandom(subSeed(seed, 0));
  let index = 0;
  const next = (operation: OperationName, user: string): PlannedSession => ({
    index,
    operation,
    user,
    seed: subSeed(seed, 1, index++),
  });
  for (const user of users) yield next('me', user);
  for (;;) {
    const operation = rnd.weighted(OPERATION_WEIGHTS);
    yield next(operation, users[rnd.int(0, users.length - 1)] as string);
  }
}
