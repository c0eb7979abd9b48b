import { describe, expect, it } from 'vitest';
import { runOperationLoop } from '../../src/harness/race/operation-loop.ts';
import { SeededRandom, subSeed } from '../../src/harness/race/seeded-random.ts';
import { type PlannedSession, sessionPlan } from '../../src/harness/race/session-plan.ts';
import { openRepository } from '../../src/index.ts';

const USERS = ['u0', 'u1', 'u2'];

/** The first `count` sessions of a process's plan. */
function planSessions(seed: number, users: readonly string[], count: number): PlannedSession[] {
  const plan = sessionPlan(seed, users);
  return Array.from({ length: count }, () => plan.next().value);
}

describe('the session plan', () => {
  it('is the same for the same seed and differs for another seed', () => {
    const plan = planSessions(42, USERS, 200);
    expect(planSessions(42, USERS, 200)).toEqual(plan);
    expect(planSessions(43, USERS, 200)).not.toEqual(plan);
    expect(planSessions(42, USERS, 200).map((s) => s.seed)).not.toEqual(planSessions(43, USERS, 200).map((s) => s.seed));
    // A longer plan starts with the shorter one: a process's share is a prefix.
    expect(planSessions(42, USERS, 300).slice(0, 200)).toEqual(plan);
  });

  it('opens with one me per user, then mixes every operation for every user, each session with a seed of its own', () => {
    const plan = planSessions(7, USERS, 400);
    expect(plan.slice(0, 3).map((s) => [s.index, s.operation, s.user])).toEqual([
      [0, 'me', 'u0'],
      [1, 'me', 'u1'],
      [2, 'me', 'u2'],
    ]);
    expect(plan.map((s) => s.index)).toEqual(plan.map((_, i) => i));
    expect(new Set(plan.map((s) => s.operation)).size).toBe(8);
    expect(new Set(plan.map((s) => s.user))).toEqual(new Set(USERS));
    expect(new Set(plan.map((s) => s.seed)).size).toBe(plan.length);
  });

  it('picks with one draw whatever the list holds, so what the database holds never shifts later draws', () => {
    const a = new SeededRandom(5);
    const b = new SeededRandom(5);
    expect(a.pick([])).toBeUndefined();
    expect(b.pick(['x', 'y', 'z'])).toBeDefined();
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
  });
});

describe('the operation loop', () => {
  /** Two "processes" racing on one memory repository; what each started, in order. */
  async function race(seed: number): Promise<PlannedSession[][]> {
    const repo = await openRepository({ url: 'memory:' });
    const started: PlannedSession[][] = [[], []];
    try {
      const stats = await Promise.all(
        started.map((log, n) =>
          runOperationLoop({
            store: repo,
            process: `p${n}`,
            users: USERS,
            seed: subSeed(seed, n),
            sessions: 60,
            concurrency: 4,
            modelMs: [0, 3],
            hooks: {},
            onSession: (s) => void log.push(s),
          }),
        ),
      );
      for (const s of stats) {
        expect([s.operations, s.opening]).toEqual([3 + 60, 3]);
        expect(s.errors).toEqual([]);
      }
    } finally {
      await repo.close();
    }
    return started;
  }

  it('runs the same sessions (operation, user, own seed) per process for the same seed, in plan order', async () => {
    const first = await race(1234);
    const second = await race(1234);
    expect(second).toEqual(first);
    for (const [n, log] of first.entries()) {
      // Exactly the plan's opening me's and its next 60 sessions, started in plan order.
      expect(log).toEqual(planSessions(subSeed(1234, n), USERS, 3 + 60));
    }
    const other = await race(4321);
    expect(other.map((log) => log.map((s) => [s.operation, s.user]))).not.toEqual(
      first.map((log) => log.map((s) => [s.operation, s.user])),
    );
  });

  it('stops taking sessions when more() says no, the opening ones too', async () => {
    const repo = await openRepository({ url: 'memory:' });
    let left = 2;
    const started: string[] = [];
    const stats = await runOperationLoop({
      store: repo,
      process: 'p',
      users: USERS,
      seed: 9,
      concurrency: 2,
      modelMs: [0, 1],
      hooks: {},
      more: () => left-- > 0,
      onSession: (s) => void started.push(`${s.operation}:${s.user}`),
    });
    await repo.close();
    expect([stats.operations, stats.opening]).toEqual([2, 2]);
    expect(started).toEqual(['me:u0', 'me:u1']);
  });
});
