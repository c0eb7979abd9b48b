/**
 * One hot row, N clients, each incrementing a counter on it as fast as it can, on PostgreSQL:
 * anchorage against the same work done by hand with node-postgres, in one run.
 *
 *   npx tsx bench/postgres-hot-row.ts --db postgres://user@host:port/db [--clients 8] [--seconds 5] [--rounds 3] [--warmup 2]
 *     [--rtt-ms 0] [--only for-update,anchorage]
 *
 * (`--db` defaults to ANCHORAGE_PG_URL; `source .ci/services` starts a throwaway server.)
 * Every client is a worker thread with its own event loop and connection, as N app servers
 * would be (in one event loop, a lock holder's next statement waits behind the other clients'
 * JavaScript). Contenders, each on a fresh schema:
 * - `for-update`: BEGIN; SELECT … FOR UPDATE; UPDATE; COMMIT — pessimistic, by hand;
 * - `cas-retry`: SELECT; UPDATE … WHERE version = $v (autocommit); on a miss, read and try again;
 * - `anchorage`: session.get → `fields.n += 1` → commit(), the counter merged by a field policy
 *   (`theirs + mine − base`), so a conflict rebases instead of failing;
 * - `anchorage-tx`: `repository.transaction()` with the default `reject` policy: a conflict
 *   replays the function (reads again) — the general read-modify-write.
 * Each run checks that the counter equals the number of acknowledged increments. Contenders take
 * turns for `--rounds` rounds; each figure is the median round (a shared machine is noisy).
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { isMainThread, type MessagePort, parentPort, Worker, workerData } from 'node:worker_threads';
import pg from 'pg';
import { type Anchor, type FieldPolicy, openRepository, type PolicyTable, type Repository } from '../src/index.ts';
import { type CpuSample, cpuPerOp, postmasterOf, sampleCpu } from './cpu-sampler.ts';
import { startDelayProxy } from './delay-proxy.ts';

type Op = () => Promise<void>;
interface Contender {
  readonly name: string;
  /** Creates the hot row; returns its id. */
  prepare(url: string): Promise<string>;
  /** One client (in its worker): its increment, and how to let go. */
  client(url: string, id: string): Promise<{ op: Op; close: () => Promise<void> }>;
  read(url: string, id: string): Promise<number>;
}
/** The measured window, in ms since the epoch; clients start at once and warm up until `from`. */
interface Window {
  readonly from: number;
  readonly until: number;
}
interface ClientJob {
  readonly contender: string;
  readonly url: string;
  readonly id: string;
}
interface ClientResult {
  /** Every acknowledged increment, warm-up included (the counter must equal their sum). */
  readonly acks: number;
  /** Increments in the measured window. */
  readonly ops: number;
  readonly failed: number;
  readonly latenciesMs: number[];
}

async function onPool<T>(url: string, fn: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    return await fn(pool);
  } finally {
    await pool.end();
  }
}

const handTable = {
  prepare: (url: string) =>
    onPool(url, async (p) => {
      await p.query('CREATE TABLE counter (id text PRIMARY KEY, n integer NOT NULL, version integer NOT NULL)');
      await p.query("INSERT INTO counter VALUES ('hot', 0, 1)");
      return 'hot';
    }),
  read: (url: string, id: string) =>
    onPool(url, async (p) => (await p.query('SELECT n FROM counter WHERE id = $1', [id])).rows[0].n as number),
};

const forUpdate: Contender = {
  name: 'for-update',
  ...handTable,
  async client(url, id) {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const op = async () => {
      await c.query('BEGIN');
      try {
        const { rows } = await c.query({ name: 'sel', text: 'SELECT n FROM counter WHERE id = $1 FOR UPDATE', values: [id] });
        await c.query({ name: 'upd', text: 'UPDATE counter SET n = $2 WHERE id = $1', values: [id, rows[0].n + 1] });
        await c.query('COMMIT');
      } catch (error) {
        await c.query('ROLLBACK');
        throw error;
      }
    };
    return { op, close: () => c.end() };
  },
};

const casRetry: Contender = {
  name: 'cas-retry',
  ...handTable,
  async client(url, id) {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const op = async () => {
      for (;;) {
        const { rows } = await c.query({ name: 'sel', text: 'SELECT n, version FROM counter WHERE id = $1', values: [id] });
        const res = await c.query({
          name: 'upd',
          text: 'UPDATE counter SET n = $2, version = version + 1 WHERE id = $1 AND version = $3',
          values: [id, rows[0].n + 1, rows[0].version],
        });
        if (res.rowCount === 1) return;
      }
    };
    return { op, close: () => c.end() };
  },
};

const sum: FieldPolicy = (base, mine, theirs) => (theirs as number) + (mine as number) - (base as number);

function anchorage(name: string, policies: PolicyTable, increment: (repo: Repository, id: string) => Promise<void>): Contender {
  const open = (url: string) => openRepository({ url, poolSize: 1, policies });
  return {
    name,
    async prepare(url) {
      const repo = await open(url);
      const s = repo.session();
      const counter = s.create('Counter', { n: 0 });
      s.connect(await s.root(), counter);
      await s.commit();
      await repo.close();
      return counter.id;
    },
    async client(url, id) {
      const repo = await open(url);
      return { op: () => increment(repo, id), close: () => repo.close() };
    },
    async read(url, id) {
      const repo = await open(url);
      const n = await repo.session().get(id);
      await repo.close();
      return n?.fields.n as number;
    },
  };
}

const bump = (n: Anchor | undefined) => {
  if (!n) throw new Error('counter gone');
  n.fields.n = (n.fields.n as number) + 1;
};
const anchorageMerge = anchorage('anchorage', { Counter: { n: sum } }, async (repo, id) => {
  const s = repo.session();
  bump(await s.get(id));
  await s.commit();
});
const anchorageTx = anchorage('anchorage-tx', {}, (repo, id) => repo.transaction(async (tx) => bump(await tx.get(id))));

const contenders = [forUpdate, casRetry, anchorageMerge, anchorageTx];

/** In a worker: connects, says ready, waits for the deadline, then increments until it. */
async function runClient(job: ClientJob, port: MessagePort): Promise<ClientResult> {
  const contender = contenders.find((c) => c.name === job.contender) as Contender;
  const { op, close } = await contender.client(job.url, job.id);
  const go = new Promise<Window>((resolve) => port.once('message', resolve));
  port.postMessage('ready');
  const { from, until } = await go;
  const latenciesMs: number[] = [];
  let failed = 0;
  let acks = 0;
  while (Date.now() < until) {
    const t = performance.now();
    const measured = Date.now() >= from; // before: warm-up (JIT, connections), not counted
    try {
      await op();
      acks++;
      if (measured) latenciesMs.push(performance.now() - t);
    } catch (error) {
      // anchorage-tx: `retries_exhausted` when a writer lost every replay; counted, not fatal.
      if (measured) failed++;
      if (failed > 1000) throw error;
    }
  }
  await close();
  return { acks, ops: latenciesMs.length, failed, latenciesMs };
}

async function withSchema<T>(db: string, fn: (url: string) => Promise<T>): Promise<T> {
  const schema = `bench_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  await onPool(db, (p) => p.query(`CREATE SCHEMA ${schema}`));
  const url = new URL(db);
  url.searchParams.set('options', `-c search_path=${schema}`);
  try {
    return await fn(url.toString());
  } finally {
    await onPool(db, (p) => p.query(`DROP SCHEMA ${schema} CASCADE`));
  }
}

/** Starts a client in a worker; resolves once it is connected, with a function to start it. */
function inWorker(job: ClientJob): Promise<(window: Window) => Promise<ClientResult>> {
  return new Promise((ready, reject) => {
    // Workers do not inherit tsx's loader from `npx tsx`: the worker registers it, then loads this file.
    const boot = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register(); await import(${JSON.stringify(import.meta.url)});`;
    const w = new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData: job });
    w.once('error', reject);
    w.once('message', () =>
      ready((window) => {
        const result = new Promise<ClientResult>((resolve, fail) => {
          w.once('message', resolve);
          w.once('error', fail);
          w.once('exit', (code) => fail(new Error(`a ${job.contender} client exited (${code}) without a result`)));
        });
        w.postMessage(window);
        return result;
      }),
    );
  });
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

interface Run {
  readonly rate: number;
  readonly ops: number;
  readonly failed: number;
  readonly p50: number;
  readonly p99: number;
  readonly correct: boolean;
  /** CPU µs per measured op: the clients' process, and PostgreSQL's (when it runs on this machine). */
  readonly cpu: { client: number; server: number | undefined };
}

/** Samples CPU at `at` (ms since the epoch); the main thread runs no client (only the proxy, with --rtt-ms). */
const sampleAt = (at: number, postmaster: number | undefined) =>
  new Promise<CpuSample>((resolve) => setTimeout(() => resolve(sampleCpu(postmaster)), Math.max(0, at - Date.now())));

interface Setup {
  readonly clients: number;
  readonly seconds: number;
  readonly warmup: number;
  readonly rttMs: number;
  /** The server's postmaster pid, when it runs on this machine (its CPU is then measured). */
  readonly postmaster: number | undefined;
}

/** `url`, or, with a round trip to emulate, the same database behind a delaying proxy. */
async function clientUrl(url: string, rttMs: number): Promise<{ url: string; close: () => Promise<void> }> {
  if (rttMs <= 0) return { url, close: async () => {} };
  const direct = new URL(url);
  const proxy = await startDelayProxy({ host: direct.hostname, port: Number(direct.port || 5432) }, rttMs);
  const via = new URL(url);
  via.hostname = '127.0.0.1';
  via.port = String(proxy.port);
  return { url: via.toString(), close: proxy.close };
}

async function runContender(c: Contender, db: string, { clients, seconds, warmup, rttMs, postmaster }: Setup): Promise<Run> {
  return withSchema(db, async (url) => {
    const id = await c.prepare(url);
    const route = await clientUrl(url, rttMs);
    let results: ClientResult[];
    let cpu: [Promise<CpuSample>, Promise<CpuSample>];
    try {
      const job = { contender: c.name, url: route.url, id };
      const starts = await Promise.all(Array.from({ length: clients }, () => inWorker(job)));
      const from = Date.now() + warmup * 1000; // every client connected: all start together
      const until = from + seconds * 1000;
      cpu = [sampleAt(from, postmaster), sampleAt(until, postmaster)];
      results = await Promise.all(starts.map((start) => start({ from, until })));
    } finally {
      await route.close();
    }
    const ops = results.reduce((n, r) => n + r.ops, 0);
    const latencies = results.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
    const final = await c.read(url, id);
    return {
      rate: ops / seconds,
      ops,
      failed: results.reduce((n, r) => n + r.failed, 0),
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      correct: final === results.reduce((n, r) => n + r.acks, 0),
      cpu: cpuPerOp(await cpu[0], await cpu[1], ops),
    };
  });
}

async function main(): Promise<void> {
  const { values: args } = parseArgs({
    options: {
      db: { type: 'string', default: process.env.ANCHORAGE_PG_URL },
      clients: { type: 'string', default: '8' },
      seconds: { type: 'string', default: '5' },
      rounds: { type: 'string', default: '3' },
      warmup: { type: 'string', default: '2' },
      'rtt-ms': { type: 'string', default: '0' },
      only: { type: 'string' },
    },
  });
  if (!args.db) throw new Error('give --db postgres://… (or set ANCHORAGE_PG_URL; `source .ci/services` starts a server)');
  const [clients, seconds, rounds, warmup, rttMs] = [args.clients, args.seconds, args.rounds, args.warmup, args['rtt-ms']].map(
    Number,
  ) as [number, number, number, number, number];
  // Read while the backend is connected (it exits with its connection).
  const postmaster = await onPool(args.db, async (p) =>
    postmasterOf((await p.query('SELECT pg_backend_pid() AS pid')).rows[0].pid),
  );
  const setup = { clients, seconds, warmup, rttMs, postmaster };
  const chosen = contenders.filter((c) => args.only === undefined || args.only.split(',').includes(c.name));
  const runs = new Map<string, Run[]>(chosen.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    for (const c of chosen) runs.get(c.name)?.push(await runContender(c, args.db, setup));
  }
  const median = (rs: Run[]) => [...rs].sort((a, b) => a.rate - b.rate)[Math.floor(rs.length / 2)] as Run;
  const results = new Map([...runs].map(([name, rs]) => [name, median(rs)]));

  console.log(
    `hot row on PostgreSQL: ${clients} clients (worker threads), ${warmup} s warm-up + ${seconds} s per run, median of ${rounds} rounds` +
      (rttMs > 0 ? `, clients ${rttMs} ms away (a delaying proxy; its CPU counts as the clients')\n` : '\n'),
  );
  console.log('contender       ops/s   p50 ms   p99 ms   failed   cpu µs/op client   server   counter = acks (every round)');
  for (const [name, r] of results) {
    const correct = runs.get(name)?.every((x) => x.correct) ?? false;
    const cells = [r.rate.toFixed(0).padStart(8), r.p50.toFixed(2).padStart(8), r.p99.toFixed(2).padStart(8)];
    const cpu = [r.cpu.client.toFixed(0).padStart(17), (r.cpu.server?.toFixed(0) ?? 'n/a').padStart(8)];
    console.log([name.padEnd(12), ...cells, String(r.failed).padStart(8), ...cpu, `   ${correct ? 'yes' : 'NO'}`].join(' '));
  }
  const rate = (name: string) => results.get(name)?.rate ?? Number.NaN;
  console.log('');
  for (const a of ['anchorage', 'anchorage-tx'].filter((name) => results.has(name))) {
    const vsLock = (rate(a) / rate('for-update')).toFixed(2);
    const vsCas = (rate(a) / rate('cas-retry')).toFixed(2);
    console.log(`${a} / for-update: ${vsLock}x   ${a} / cas-retry: ${vsCas}x`);
  }
  if (![...runs.values()].flat().every((r) => r.correct)) process.exitCode = 1;
}

if (!isMainThread) {
  const port = parentPort as MessagePort;
  port.postMessage(await runClient(workerData as ClientJob, port));
} else {
  await main();
}
