import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FromChild, Job, ProcessResult, ToChild } from './protocol.ts';

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface Spawn {
  readonly jobs: readonly Job[];
  /** Extra node flags for the children (`--expose-gc`, `--cpu-prof`). */
  readonly nodeFlags: readonly string[];
  /** The whole run is abandoned (its processes killed) after this long. */
  readonly timeoutMs: number;
}

/**
 * Forks one process per job, waits until every one is ready (connected, warmed up), starts them
 * together, and resolves to their results once every process has exited (its database closed).
 * Any failure kills the run's processes and rejects.
 */
export async function runProcesses(spawn: Spawn): Promise<ProcessResult[]> {
  const children: ChildProcess[] = [];
  const kill = () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<ProcessResult[]>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`run timed out after ${spawn.timeoutMs} ms`)), spawn.timeoutMs);
      const results: Array<ProcessResult | undefined> = [];
      let ready = 0;
      let exited = 0;
      spawn.jobs.forEach((job, i) => {
        const child = fork(CHILD, [JSON.stringify(job)], {
          cwd: ROOT,
          execArgv: [...spawn.nodeFlags, '--import', 'tsx'],
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        });
        children.push(child);
        child.on('message', (message: FromChild) => {
          if (message.type === 'ready' && ++ready === spawn.jobs.length)
            for (const c of children) c.send({ type: 'go' } satisfies ToChild);
          if (message.type === 'failed') reject(new Error(`${job.contender} process ${job.proc}: ${message.message}`));
          if (message.type === 'result') results[i] = message.result;
        });
        child.on('exit', (code, signal) => {
          if (results[i] === undefined)
            reject(new Error(`${job.contender} process ${job.proc} exited (${signal ?? code}) without a result`));
          else if (++exited === spawn.jobs.length) resolve(results as ProcessResult[]);
        });
      });
    });
  } finally {
    clearTimeout(timer);
    kill();
  }
}
