/**
 * One race worker process (forked by run-race): runs its share of the seed's workload on the
 * shared database and records every acknowledged operation. Talks to its parent over IPC:
 * `ready` → waits for `go` → `progress`… → `done`.
 */
import { openRepository, type RepositoryObserver } from '../../index.ts';
import { HistoryRecorder } from '../history/history-recorder.ts';
import { NaiveGraphStore } from '../naive/naive-graph-store.ts';
import type { GraphStore } from '../workload/graph-store.ts';
import { runOperationLoop } from './operation-loop.ts';
import { userRoots, type WorkerConfig, type WorkerMessage, type WorkerStats, workerConfigSchema } from './race-options.ts';

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
  const go = new Promise<void>((resolve) => process.once('message', () => resolve()));
  await send({ type: 'ready' });
  await go;

  const stats = await runOperationLoop({
    store,
    process: config.process,
    users: userRoots(config.userPrefix, config.users),
    seed: config.seed,
    sessions: config.sessions,
    concurrency: config.concurrency,
    modelMs: config.modelMs,
    hooks: { acknowledged: (ack) => recorder.append(ack) },
    onOperation: (done) => send({ type: 'progress', done }),
  });
  await store.close();
  recorder.close();
  return { process: config.process, acknowledged: recorder.count, ...counters, ...stats };
}

// The config comes as argv[2] (JSON), so no message can arrive before a listener is attached.
const config = workerConfigSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
const stats = await run(config);
await send({ type: 'done', stats });
process.disconnect();
