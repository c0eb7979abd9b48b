import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ContenderConnection } from './contenders/contender.ts';
import { contenderNamed } from './contenders/registry.ts';
import type { FromChild, Job, ProcessResult, ToChild } from './protocol.ts';
import { seededRandom } from './random.ts';
import { itemId } from './seed-data.ts';
import { Acks } from './workloads/acks.ts';
import { caseById } from './workloads/cases.ts';
import type { HeapCase, Op, TimedCase } from './workloads/workload.ts';

/** A process stops early when this many operations have failed: something is broken, not slow. */
const MAX_FAILURES = 100;

/** Resolves once the message is handed to the channel, so a disconnect right after cannot drop it. */
function send(message: FromChild): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) reject(new Error('bench/child.ts runs only as a child of bench/main.ts'));
    else process.send(message, undefined, undefined, (error) => (error ? reject(error) : resolve()));
  });
}

async function nextMessage(): Promise<ToChild> {
  const [message] = (await once(process, 'message')) as [ToChild];
  return message;
}

async function startSignal(): Promise<void> {
  const go = nextMessage(); // listening before saying ready, so the answer cannot slip past
  await send({ type: 'ready' });
  const message = await go;
  if (message.type !== 'go') throw new Error(`expected go, got ${message.type}`);
}

async function runTimed(c: TimedCase, conn: ContenderConnection, job: Job): Promise<ProcessResult> {
  const acks = new Acks();
  const think = c.thinks && job.thinkMs > 0 ? () => sleep(job.thinkMs) : () => Promise.resolve();
  const ctx = { proc: job.proc, procs: job.procs, random: seededRandom(job.seed), think, acks };
  const op = await c.prepare(conn, ctx);
  const warmup = c.prepareWarmup ? await c.prepareWarmup(conn, ctx) : op;
  let failed = 0;
  const errors: string[] = [];
  const attempt = async (run: Op): Promise<boolean> => {
    try {
      await run();
      return true;
    } catch (error) {
      failed++;
      if (errors.length < 5) errors.push(String((error as Error)?.message ?? error));
      return false;
    }
  };
  const warmStart = performance.now();
  for (let i = 0; i < c.budget.warmup || performance.now() - warmStart < c.budget.warmupMs; i++) await attempt(warmup);
  await startSignal();
  const perOp = c.perOp ?? 1;
  const latenciesMs: number[] = [];
  const start = performance.now();
  let now = start;
  while (latenciesMs.length < c.budget.ops && now - start < c.budget.ms && failed < MAX_FAILURES) {
    const t = now;
    const ok = await attempt(op);
    now = performance.now();
    if (ok) latenciesMs.push((now - t) / perOp);
  }
  return { ops: latenciesMs.length, elapsedMs: now - start, latenciesMs, failed, errors, acks: acks.toLog() };
}

function collect(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('heap cases need --expose-gc');
  for (let i = 0; i < 4; i++) gc();
  return process.memoryUsage().heapUsed;
}

async function runHeap(c: HeapCase, conn: ContenderConnection): Promise<ProcessResult> {
  const ids = Array.from({ length: c.seed.items }, (_, i) => itemId(i));
  // Warm every code path first, so the delta is the data, not compiled code or statement caches.
  await conn.openSession(ids.slice(0, 1000));
  await startSignal();
  const before = collect();
  const read = await conn.openSession(ids);
  const after = collect();
  if (read(ids[0] as string) === undefined) throw new Error('the session lost its anchors');
  const empty = { increments: [], edges: [] };
  return {
    ops: 1,
    elapsedMs: 0,
    latenciesMs: [],
    failed: 0,
    errors: [],
    acks: empty,
    heapBytesPerAnchor: (after - before) / ids.length,
  };
}

async function main(): Promise<void> {
  const job = JSON.parse(process.argv[2] ?? 'null') as Job;
  const c = caseById(job.scale, job.caseId);
  const contender = await contenderNamed(job.contender);
  const conn = await contender.connect(job.db, { durability: job.durability, busyTimeoutMs: job.busyTimeoutMs });
  try {
    const result = c.measure === 'memory' ? await runHeap(c, conn) : await runTimed(c, conn, job);
    await send({ type: 'result', result });
  } finally {
    await conn.close();
  }
}

main().then(
  () => process.disconnect?.(),
  async (error: unknown) => {
    process.exitCode = 1;
    await send({ type: 'failed', message: String((error as Error)?.stack ?? error) }).catch(() => undefined);
    process.disconnect?.();
  },
);
