import { setTimeout as sleep } from 'node:timers/promises';
import type { Contender } from './contenders/contender.ts';
import type { Databases, Prepared } from './databases.ts';
import type { BenchOptions } from './options.ts';
import type { Job, ProcessResult } from './protocol.ts';
import { type RunRecord, recordOf } from './results.ts';
import { runProcesses } from './run-processes.ts';
import { formatValue } from './table.ts';
import { countLost } from './workloads/acks.ts';
import type { WorkloadCase } from './workloads/workload.ts';

/** How many times a run is started again when a process died without reporting (not when it timed out). */
const REPEATS = 2;
const NO_RESULT = 'without a result';
/** Heap cases load 100k anchors per run; three repetitions are plenty for a figure that barely moves. */
const HEAP_REPS = 3;
/** Start-up, seeding the session, closing: time a run may take beyond its budget. */
const SLACK_MS = 180_000;

async function verify(
  contender: Contender,
  db: string,
  results: readonly ProcessResult[],
  options: BenchOptions,
): Promise<number> {
  const conn = await contender.connect(db, { durability: options.durability, busyTimeoutMs: options.busyTimeoutMs });
  try {
    return await countLost(
      conn,
      results.map((r) => r.acks),
    );
  } finally {
    await conn.close();
  }
}

function nodeFlags(c: WorkloadCase, contender: Contender, options: BenchOptions): string[] {
  const flags = c.measure === 'memory' ? ['--expose-gc'] : [];
  if (options.cpuProf) flags.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProf}/${c.id}-${contender.name}`);
  return flags;
}

async function runOnce(
  c: WorkloadCase,
  contender: Contender,
  rep: number,
  databases: Databases,
  options: BenchOptions,
): Promise<RunRecord> {
  let prepared: Prepared | undefined;
  try {
    prepared = await databases.prepare(contender.layout, c.seed, c.writes);
    const db = prepared.location;
    const jobs = Array.from(
      { length: c.procs },
      (_, proc): Job => ({
        caseId: c.id,
        scale: options.scale,
        contender: contender.name,
        db,
        proc,
        procs: c.procs,
        seed: rep * 1000 + proc + 1,
        thinkMs: options.thinkMs,
        durability: options.durability,
        busyTimeoutMs: options.busyTimeoutMs,
      }),
    );
    const budgetMs = c.measure === 'memory' ? 0 : c.budget.ms;
    const results = await runProcesses({ jobs, nodeFlags: nodeFlags(c, contender, options), timeoutMs: budgetMs + SLACK_MS });
    const lost = c.writes ? await verify(contender, db, results, options) : 0;
    return recordOf(c, contender.name, rep, results, lost);
  } catch (error) {
    return {
      caseId: c.id,
      contender: contender.name,
      rep,
      lost: 0,
      failed: 0,
      errors: [],
      error: String((error as Error)?.message ?? error),
    };
  } finally {
    await prepared?.dispose();
  }
}

/**
 * Every repetition of one case for every contender on its backend. The order of contenders rotates each
 * repetition, so slow drift of a shared machine hits every contender alike.
 */
export async function runCase(
  c: WorkloadCase,
  contenders: readonly Contender[],
  databases: Databases,
  options: BenchOptions,
): Promise<RunRecord[]> {
  const mine = contenders.filter((x) => x.layout.backend === (c.backend ?? 'sqlite'));
  const reps = c.measure === 'memory' ? Math.min(options.reps, HEAP_REPS) : options.reps;
  const records: RunRecord[] = [];
  for (let rep = 0; rep < reps; rep++) {
    for (let i = 0; i < mine.length; i++) {
      const contender = mine[(i + rep) % mine.length] as Contender;
      let record = await runOnce(c, contender, rep, databases, options);
      // A process that never reports (the shared machine's node_modules reinstalled under us,
      // say) is run again after a pause; the record says so, and the report counts it.
      for (let repeat = 1; record.error?.includes(NO_RESULT) && repeat <= REPEATS; repeat++) {
        process.stderr.write(`  ${c.id} #${rep + 1} ${contender.name}: ${record.error.split('\n')[0]}; running it again\n`);
        await sleep(options.scale === 'full' ? 20_000 : 2_000);
        record = { ...(await runOnce(c, contender, rep, databases, options)), repeated: repeat };
      }
      records.push(record);
      const figure = record.error ? `FAILED: ${record.error.split('\n')[0]}` : formatValue(c.measure, record.value ?? Number.NaN);
      process.stderr.write(`  ${c.id} #${rep + 1} ${contender.name}: ${figure}, lost ${record.lost}, failed ${record.failed}\n`);
    }
  }
  return records;
}
