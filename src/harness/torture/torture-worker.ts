/**
 * One torture worker process (forked by the worker fleet, ahead of need: loading takes seconds):
 * runs the race workload on the shared database until told to stop, with every intent and every
 * acknowledgement fsynced as it happens, so a SIGKILL at any moment leaves a checkable trail.
 * IPC: `loaded` → waits for `go` (its config) → `ready` → (`error`…) → on `stop`, finishes what
 * is in flight → `done`.
 */
import { openRepository } from '../../index.ts';
import { HistoryRecorder } from '../history/history-recorder.ts';
import { runOperationLoop } from '../race/operation-loop.ts';
import { userRoots } from '../race/race-options.ts';
import { IntentLog } from './intent-log.ts';
import { type TortureFleetMessage, type TortureWorkerMessage, tortureWorkerConfigSchema } from './torture-options.ts';

function send(message: TortureWorkerMessage): Promise<void> {
  return new Promise((resolve) => process.send?.(message, () => resolve()) ?? resolve());
}

// The listener is attached before `loaded` is sent, so neither `go` nor `stop` can be missed.
let stopping = false;
const go = new Promise<unknown>((resolve) =>
  process.on('message', (m: TortureFleetMessage) => {
    if (m.type === 'go') resolve(m.config);
    else stopping = true;
  }),
);
await send({ type: 'loaded' });
const config = tortureWorkerConfigSchema.parse(await go);
const store = await openRepository({ url: config.db });
const recorder = new HistoryRecorder(config.historyPath, { process: config.process, fsync: true });
const intents = new IntentLog(config.intentPath, config.process);
await send({ type: 'ready' });

const stats = await runOperationLoop({
  store,
  process: config.process,
  users: userRoots(config.userPrefix, config.users),
  seed: config.seed,
  concurrency: config.concurrency,
  modelMs: config.modelMs,
  hooks: {
    acknowledged: (ack) => recorder.append(ack),
    intend: (intent) => intents.intend(intent),
    refused: (commitId) => intents.refused(commitId),
  },
  more: () => !stopping,
  onError: (message) => void send({ type: 'error', message }),
});
await store.close();
recorder.close();
intents.close();
await send({ type: 'done', operations: stats.operations });
process.disconnect();
