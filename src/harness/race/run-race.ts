import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openRepository } from '../../index.ts';
import { checkHistory } from '../history/check-history.ts';
import { countAnomalies } from '../history/check-report.ts';
import { type CheckableStore, readSnapshot } from '../history/graph-snapshot.ts';
import { readHistory } from '../history/read-history.ts';
import { NaiveCheckSource } from '../naive/naive-check-source.ts';
import { openNaiveBlobStore } from '../naive/open-naive-blob-store.ts';
import { PROFILE } from '../workload/builder-types.ts';
import {
  type RaceMode,
  type RaceOptions,
  userRoots,
  type WorkerConfig,
  type WorkerMessage,
  type WorkerStats,
} from './race-options.ts';
import { type RaceResult, summarize } from './race-result.ts';
import { subSeed } from './seeded-random.ts';

const WORKER = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './race-worker.ts' : './race-worker.js', import.meta.url));

/** Bounds of one simulated model call (ms), as the seed's workload has them. */
export const MODEL_MS: [number, number] = [50, 500];

export interface RaceListener {
  onStart?(mode: RaceMode, total: number): void;
  onProgress?(mode: RaceMode, done: number): void;
  onEnd?(mode: RaceMode): void;
}

/** The file of a `sqlite:` url; undefined for a PostgreSQL url. */
export function sqliteFile(url: string): string | undefined {
  return url.startsWith('sqlite:') ? url.slice('sqlite:'.length) : undefined;
}

/**
 * The database url of a mode: anchorage's is `--db`; the naive table goes in a file beside a
 * SQLite one (`<file>.naive.db`), and in a table of its own on PostgreSQL (the same url).
 */
export function modeDatabase(mode: RaceMode, db: string): string {
  const file = sqliteFile(db);
  return mode === 'anchorage' || file === undefined ? db : `sqlite:${file.replace(/\.db$/, '')}.naive.db`;
}

async function prepare(mode: RaceMode, url: string): Promise<void> {
  const file = sqliteFile(url);
  if (file !== undefined) mkdirSync(dirname(file), { recursive: true });
  // Create and migrate once here, so the workers do not race to.
  if (mode === 'naive') await openNaiveBlobStore(url).close();
  else await (await openRepository({ url })).close();
}

interface WorkerPool {
  /** Every worker has opened the database and waits for `start`. */
  readonly ready: Promise<void>;
  start(onProgress: () => void): Promise<{ stats: WorkerStats[]; durationMs: number }>;
  kill(): void;
}

/** A promise with its settlers; a rejection nobody awaits yet is not reported as unhandled. */
function deferred() {
  let resolve = () => {};
  let reject = (_: Error) => {};
  const promise = new Promise<void>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  promise.catch(() => {});
  return { promise, resolve, reject };
}

/** Forks the workers at once; they start the workload together, on `start`. */
function forkWorkers(configs: readonly WorkerConfig[]): WorkerPool {
  const options = { execArgv: ['--import', 'tsx'], stdio: 'inherit' as const };
  const children = configs.map((config) => fork(WORKER, [JSON.stringify(config)], options));
  const stats: WorkerStats[] = [];
  const ready = deferred();
  const finished = deferred();
  const fail = (error: Error) => {
    kill();
    ready.reject(error);
    finished.reject(error);
  };
  const kill = () => {
    for (const c of children) if (c.exitCode === null) c.kill();
  };
  let onProgress = () => {};
  let readyCount = 0;
  for (const child of children) {
    child.on('message', (m: WorkerMessage) => {
      if (m.type === 'ready' && ++readyCount === children.length) ready.resolve();
      else if (m.type === 'progress') onProgress();
      else if (m.type === 'done') stats.push(m.stats);
    });
    child.on('error', fail);
    child.on('exit', (code) => {
      if (code !== 0) fail(new Error(`race worker exited with code ${code}`));
      else if (stats.length === children.length) finished.resolve();
    });
  }
  return {
    ready: ready.promise,
    async start(progress) {
      onProgress = progress;
      const started = performance.now();
      for (const c of children) c.send('go');
      await finished.promise;
      return { stats, durationMs: performance.now() - started };
    },
    kill,
  };
}

async function check(mode: RaceMode, url: string, historyPaths: string[], roots: ReadonlySet<string>) {
  const { entries } = readHistory(historyPaths);
  const open = async (): Promise<{ source: CheckableStore; close: () => Promise<void> }> => {
    if (mode === 'naive') {
      const blobs = openNaiveBlobStore(url);
      return { source: new NaiveCheckSource(blobs), close: () => blobs.close() };
    }
    const repo = await openRepository({ url });
    return { source: repo.storage, close: () => repo.close() };
  };
  const { source, close } = await open();
  try {
    const snapshot = await readSnapshot(source, { roots });
    // anchorage's receipts name every row a write changed; the naive writer's history cannot.
    return countAnomalies(checkHistory(entries, snapshot, { uniquePerRoot: [PROFILE], completeChains: mode === 'anchorage' }));
  } finally {
    await close();
  }
}

/** A mode whose workers are forked and starting; `run` starts the workload and checks it. */
export interface LaunchedMode {
  readonly mode: RaceMode;
  run(listener?: RaceListener): Promise<RaceResult>;
  /** Stops the workers (if still running) and removes the history files. */
  dispose(): void;
}

/**
 * Prepares a mode's database and forks its workers. Launching both modes before running either
 * overlaps the processes' start-up (tsx loading), which is most of a short race's time.
 */
export async function launchMode(mode: RaceMode, options: RaceOptions): Promise<LaunchedMode> {
  const url = modeDatabase(mode, options.db);
  await prepare(mode, url);
  const historyDir = mkdtempSync(join(tmpdir(), `anchorage-race-${mode}-`));
  // Roots unique to this run, so a database can be raced again.
  const userPrefix = `race-${randomUUID().slice(0, 8)}-u`;
  const configs: WorkerConfig[] = Array.from({ length: options.procs }, (_, n) => ({
    mode,
    db: url,
    process: `p${n}`,
    userPrefix,
    users: options.users,
    sessions: Math.floor(options.sessions / options.procs) + (n < options.sessions % options.procs ? 1 : 0),
    concurrency: options.concurrency,
    // Each process's plan follows from (seed, process index) alone: see sessionPlan.
    seed: subSeed(options.seed, n),
    historyPath: join(historyDir, `p${n}.jsonl`),
    modelMs: MODEL_MS,
  }));
  const pool = forkWorkers(configs);
  const dispose = () => {
    pool.kill();
    rmSync(historyDir, { recursive: true, force: true });
  };
  return {
    mode,
    dispose,
    async run(listener = {}) {
      await pool.ready;
      // Every session a worker runs: each process's opening `me` per user, then its share of --sessions.
      listener.onStart?.(mode, options.procs * options.users + options.sessions);
      let done = 0;
      const { stats, durationMs } = await pool.start(() => listener.onProgress?.(mode, ++done));
      listener.onEnd?.(mode);
      const roots = new Set(userRoots(userPrefix, options.users));
      const historyPaths = configs.map((c) => c.historyPath);
      const counts = await check(mode, url, historyPaths, roots);
      return summarize(mode, stats, counts, durationMs);
    },
  };
}
