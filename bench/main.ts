import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Contender } from './contenders/contender.ts';
import { loadContenders } from './contenders/registry.ts';
import { Databases } from './databases.ts';
import { type BenchOptions, parseOptions, USAGE } from './options.ts';
import { serverDurability } from './pg-schemas.ts';
import { type RunRecord, summarize } from './results.ts';
import { runCase } from './run-case.ts';
import { renderTable } from './table.ts';
import { evaluateTargets, renderTargets } from './targets.ts';
import { allCases } from './workloads/cases.ts';
import { anchorJsonBytes } from './workloads/memory.ts';
import type { WorkloadCase } from './workloads/workload.ts';

/**
 * Splits `--only` into contenders and cases; the limits (`raw`, `raw-pg`) always run, since every
 * ratio is to them. PostgreSQL cases and contenders run only with `--db`.
 */
function select(options: BenchOptions, all: readonly Contender[], everyCase: readonly WorkloadCase[]) {
  const onPostgres = (backend: string | undefined) => backend === 'postgres';
  const contenders = all.filter((c) => options.db !== undefined || !onPostgres(c.layout.backend));
  const cases = everyCase.filter((c) => options.db !== undefined || !onPostgres(c.backend));
  const names = new Set(contenders.map((c) => c.name));
  const wantedContenders = options.only.filter((n) => names.has(n));
  const wantedCases = options.only.filter((n) => !names.has(n));
  const unknown = wantedCases.filter((n) => !cases.some((c) => c.id === n || c.group === n));
  if (unknown.length > 0) throw new Error(`--only: no contender, case or workload named ${unknown.join(', ')}`);
  return {
    contenders:
      wantedContenders.length === 0 ? contenders : contenders.filter((c) => c.limit || wantedContenders.includes(c.name)),
    cases: wantedCases.length === 0 ? cases : cases.filter((c) => wantedCases.includes(c.id) || wantedCases.includes(c.group)),
  };
}

function describe(options: BenchOptions): string {
  const cpu = cpus();
  return [
    `anchorage bench (${options.scale}): ${options.reps} repetition(s), think time ${options.thinkMs} ms, durability ${options.durability} for every contender`,
    `machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown cpu'}, node ${process.version}, ${process.platform}, ${load()}`,
  ].join('\n');
}

/** Other work on the machine adds noise to every figure: say how much there was. */
function load(): string {
  return `load average ${loadavg()
    .map((n) => n.toFixed(1))
    .join(' / ')} (1 / 5 / 15 min)`;
}

async function main(): Promise<number> {
  let options: BenchOptions | 'help';
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (options === 'help') {
    console.log(USAGE);
    return 0;
  }
  const loaded = await loadContenders();
  let selected: ReturnType<typeof select>;
  try {
    selected = select(options, loaded.contenders, allCases(options.scale));
  } catch (error) {
    const names = [...loaded.contenders.map((c) => c.name), ...allCases(options.scale).map((c) => c.id)];
    console.error(`${(error as Error).message}\nknown: ${names.join(', ')}`);
    return 2;
  }
  const { contenders, cases } = selected;
  const skipped = loaded.skipped;

  console.log(describe(options));
  if (options.db)
    console.log(`PostgreSQL cases: ${await serverDurability(options.db)} (the server's settings, alike for every contender)`);
  for (const c of contenders) console.log(`- ${c.name}: ${c.summary}`);
  for (const s of skipped) console.log(`- skipped ${s.name}: ${s.reason}`);

  const dir = mkdtempSync(join(tmpdir(), 'anchorage-bench-'));
  if (options.cpuProf) mkdirSync(options.cpuProf, { recursive: true });
  const records: RunRecord[] = [];
  try {
    const databases = new Databases(dir, options.db);
    for (const c of cases) {
      process.stderr.write(`▸ ${c.id}: ${c.label}\n`);
      records.push(...(await runCase(c, contenders, databases, options)));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const heapCase = cases.find((c) => c.measure === 'memory');
  const jsonBytes = heapCase ? anchorJsonBytes(heapCase.seed.items) : Number.NaN;
  const rows = summarize(cases, contenders, records, jsonBytes);
  const targets = evaluateTargets(rows, cases);
  console.log(`\n${renderTable(rows)}\n`);
  const json = Number.isFinite(jsonBytes)
    ? `; memory: heap bytes per anchor ÷ the anchor's JSON (${jsonBytes.toFixed(0)} B)`
    : '';
  console.log(`ratio: speed relative to the backend's limit (op/s ÷ its op/s, or its latency ÷ this one)${json}.`);
  console.log('p99: of every operation of every process, median over repetitions (multi-process cases).');
  console.log(
    'lost: acknowledged writes missing from the final state, summed over repetitions; failed: operations that threw (never acknowledged).\n',
  );
  console.log(`targets:\n${renderTargets(targets)}`);
  console.log(`\nat the end: ${load()}`);

  if (options.json) {
    const meta = { options, machine: describe(options), jsonBytesPerAnchor: jsonBytes, at: new Date().toISOString() };
    const summaries = contenders.map((c) => ({ name: c.name, summary: c.summary }));
    writeFileSync(
      options.json,
      `${JSON.stringify({ meta, contenders: summaries, skipped, rows, targets, runs: records }, null, 2)}\n`,
    );
  }

  // The smoke check: every contender ran every case, and nothing anchorage acknowledged was lost.
  const repeated = records.filter((r) => r.repeated !== undefined);
  if (repeated.length > 0) {
    console.log(
      `runs repeated after their processes failed: ${repeated.map((r) => `${r.caseId} ${r.contender} #${r.rep + 1}`).join(', ')}`,
    );
  }
  const broken = records.filter((r) => r.error !== undefined);
  const ours = rows.filter((r) => r.contender.startsWith('anchorage') && r.lost > 0);
  for (const r of broken) console.error(`did not run: ${r.caseId} ${r.contender} #${r.rep + 1}: ${r.error}`);
  for (const r of ours) console.error(`LOST WRITES: ${r.contender} lost ${r.lost} acknowledged writes in ${r.caseId}`);
  return broken.length > 0 || ours.length > 0 ? 1 : 0;
}

process.exitCode = await main();
