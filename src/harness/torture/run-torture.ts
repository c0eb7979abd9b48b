import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openRepository } from '../../index.ts';
import { userRoots } from '../race/race-options.ts';
import { SeededRandom, subSeed } from '../race/seeded-random.ts';
import { checkTorture } from './check-torture.ts';
import { runNemesis } from './nemesis.ts';
import { TORTURE_MODEL_MS, type TortureOptions } from './torture-options.ts';
import { summarizeTorture, type TortureResult } from './torture-result.ts';
import { WorkerFleet } from './worker-fleet.ts';

/**
 * The crash campaign: `procs` workers run the race workload on one SQLite file, every commit
 * pausing between its writes and COMMIT; a nemesis SIGKILLs `kills` of them at random moments
 * (half aimed at those pauses), each restarted at once; then the workers stop and the database is
 * checked against their intent and history logs. The logs are removed unless something is wrong.
 */
export async function runTorture(options: TortureOptions): Promise<TortureResult & { readonly logs?: string }> {
  const path = options.db.slice('sqlite:'.length);
  mkdirSync(dirname(path), { recursive: true });
  // Create and migrate once here, so the workers do not race to.
  await (await openRepository({ url: options.db })).close();
  const dir = mkdtempSync(join(tmpdir(), 'anchorage-torture-'));
  // Roots unique to this run, so a database file can be tortured again.
  const userPrefix = `torture-${randomUUID().slice(0, 8)}-u`;
  const fleet = new WorkerFleet({
    procs: options.procs,
    spares: Math.min(options.procs, 2),
    pauseMs: options.pauseMs,
    configFor: (slot, n) => ({
      db: options.db,
      process: `w${slot}.${n}`,
      userPrefix,
      users: options.users,
      concurrency: options.concurrency,
      seed: subSeed(options.seed, slot, n),
      historyPath: join(dir, `w${slot}.${n}.history.jsonl`),
      intentPath: join(dir, `w${slot}.${n}.intents.jsonl`),
      modelMs: TORTURE_MODEL_MS,
    }),
  });
  const started = performance.now();
  let keep = false;
  try {
    fleet.start();
    await runNemesis(fleet, options.kills, new SeededRandom(options.seed));
    await fleet.stop();
    const durationMs = performance.now() - started;
    const configs = fleet.incarnations.map((i) => i.config);
    const check = await checkTorture({
      path,
      historyPaths: configs.map((c) => c.historyPath),
      intentPaths: configs.map((c) => c.intentPath),
      roots: new Set(userRoots(userPrefix, options.users)),
    });
    const result = summarizeTorture(
      {
        procs: options.procs,
        seed: options.seed,
        kills: fleet.kills,
        killsInCommit: fleet.killsInCommit,
        restarts: fleet.incarnations.length - options.procs,
        errors: fleet.errors,
        durationMs,
      },
      check,
    );
    keep = result.anomalies > 0;
    return keep ? { ...result, logs: dir } : result;
  } finally {
    fleet.abort();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}
