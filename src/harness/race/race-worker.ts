/**
 * One race worker process (forked by run-race): runs its share of the seed's workload on the
 * shared database and records every acknowledged operation. Talks to its parent over IPC:
 * `ready` → waits for `go` → `progress`… → `done`.
 */
import { hasCode, openRepository, type RepositoryObserver } from '../../index.ts';
import { HistoryRecorder } from '../history/history-recorder.ts';
import { NaiveGraphStore } from '../naive/naive-graph-store.ts';
import type { GraphStore } from '../workload/graph-store.ts';
import { OPERATION_WEIGHTS, type OperationName, runOperation } from './race-operations.ts';
import { userRoots, type WorkerConfig, type WorkerMessage, type WorkerStats, workerConfigSchema } from './race-options.ts';
import { SeededRandom, subSeed } from './seeded-random.ts';
import { TrackedStore } from './tracked-store.ts';

const CONFLICT_CODES = ['field_conflict', 'deleted_concurrently', 'read_conflict', 'retries_exhausted'] as const;

function send(message: WorkerMessage): Promise<void> {
  return new Promise((resolve) => process.send?.(message, () => resolve()) ?? resolve());
}

async function openStore(config: WorkerConfig, counters: { conflicts: number; retries: number }): Promise<GraphStore> {
  if (config.mode === 'naive') return new NaiveGraphStore(config.db);
  const observer: RepositoryObserver = {
    onConflict: () => void counters.conflicts++,
    onRetry: () => void counters.retries++,
  };
  return openRepository({ url: config.db, observers: [observer] });
}

async function run(config: WorkerConfig): Promise<WorkerStats> {
  const counters = { conflicts: 0, retries: 0 };
  const store = await openStore(config, counters);
  const recorder = new HistoryRecorder(config.historyPath, { process: config.process });
  const stats = {
    operations: 0,
    replays: 0,
    latenciesMs: [] as number[],
    refused: {} as Record<string, number>,
    errors: [] as string[],
  };
  const users = userRoots(config.userPrefix, config.users);
  let sessionNo = 0;

  const perform = async (name: OperationName, user: string, rnd: SeededRandom) => {
    const tracked = new TrackedStore(store, { operation: name, session: `${config.process}-${sessionNo++}`, user });
    try {
      await runOperation(name, tracked, user, rnd, config.modelMs);
    } catch (error) {
      const code = hasCode(error, ...CONFLICT_CODES) ? error.code : undefined;
      if (code) stats.refused[code] = (stats.refused[code] ?? 0) + 1;
      else if (stats.errors.length < 5) stats.errors.push(error instanceof Error ? error.message : String(error));
      else stats.errors.push('…');
    }
    for (const ack of tracked.acks) recorder.append(ack);
    stats.latenciesMs.push(...tracked.latenciesMs);
    stats.replays += tracked.replays;
    stats.operations++;
    await send({ type: 'progress', done: stats.operations });
  };

  const go = new Promise<void>((resolve) => process.once('message', () => resolve()));
  await send({ type: 'ready' });
  await go;

  // Every process asks for every user's profile at once: concurrent find-or-create.
  const start = new SeededRandom(subSeed(config.seed, 0));
  await Promise.all(users.map((user) => perform('me', user, start)));
  let left = config.sessions;
  const slot = async (n: number) => {
    const rnd = new SeededRandom(subSeed(config.seed, n + 1));
    while (left > 0) {
      left--;
      const user = rnd.pick(users) as string;
      await perform(rnd.weighted(OPERATION_WEIGHTS), user, rnd);
    }
  };
  await Promise.all(Array.from({ length: config.concurrency }, (_, n) => slot(n)));
  await store.close();
  recorder.close();
  return { process: config.process, acknowledged: recorder.count, ...counters, ...stats };
}

// The config comes as argv[2] (JSON), so no message can arrive before a listener is attached.
const config = workerConfigSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
const stats = await run(config);
await send({ type: 'done', stats });
process.disconnect();
