/**
 * One torture worker process (forked, and re-forked after every kill, by the worker fleet): runs
 * the race workload on the shared database until told to stop, with every intent and every
 * acknowledgement fsynced as it happens, so a SIGKILL at any moment leaves a checkable trail.
 * IPC: `ready` → (`error`…) → on `stop`, finishes what is in flight → `done`.
 */
import { openRepository } from '../../index.ts';
import { HistoryRecorder } from '../history/history-recorder.ts';
import { runOperationLoop } from '../race/operation-loop.ts';
import { userRoots } from '../race/race-options.ts';
import { IntentLog } from './intent-log.ts';
import { type TortureWorkerMessage, tortureWorkerConfigSchema } from './torture-options.ts';

function send(message: TortureWorkerMessage): Promise<void> {
  return new Promise((resolve) => process.send?.(message, () => resolve()) ?? resolve());
}

// The config comes as argv[2] (JSON); the stop listener is attached before `ready` is sent.
const config = tortureWorkerConfigSchema.parse(JSON.parse(process.argv[2] ?? '{}'));
const store = await openRepository({ url: config.db });
const recorder = new HistoryRecorder(config.historyPath, { process: config.process, fsync: true });
const intents = new IntentLog(config.intentPath, config.process);
let stopping = false;
process.on('message', (m) => {
  if (m === 'stop') stopping = true;
});
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
