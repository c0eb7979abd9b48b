/**
 * Commit throughput with metrics on versus off: `npx tsx bench/metrics-overhead.ts
 * [--commits 200] [--rounds 41] [--durability normal|full]`. Two repositories on two SQLite
 * files (one with the default metrics, one with `metrics: false`) run the same work in many
 * short alternating rounds, so drift hits both alike. Printed: throughput per CPU second over all
 * rounds and the median of the per-round on/off ratios (target ≥ 0.95), and what the
 * metrics observer costs per commit on its own. `normal` durability (no fsync per commit) is the
 * default: it makes commits cheapest, so any overhead shows most.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type NodeAnchor, openRepository, type Repository } from '../src/index.ts';
import { MetricsObserver } from '../src/metrics/metrics-observer.ts';
import { MemoryStorage } from '../src/storage/memory/memory-storage.ts';

const { values } = parseArgs({
  options: {
    commits: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '41' },
    durability: { type: 'string', default: 'normal' },
  },
});
const COMMITS = Number(values.commits);
const ROUNDS = Number(values.rounds);
const durability = values.durability === 'full' ? 'full' : 'normal';

interface Workload {
  readonly name: string;
  /** Runs `n` commits on the node. */
  run(repo: Repository, node: string, n: number): Promise<void>;
}

const WORKLOADS: readonly Workload[] = [
  {
    name: 'update one field',
    async run(repo, node, n) {
      for (let i = 0; i < n; i++) {
        const s = repo.session();
        ((await s.get(node)) as NodeAnchor).fields.n = i;
        await s.commit();
      }
    },
  },
  {
    // Two sessions race on one field (lww): every second commit meets a conflict and rebases.
    name: 'race on one field (lww)',
    async run(repo, node, n) {
      for (let i = 0; i < n; i += 2) {
        const a = repo.session();
        const b = repo.session();
        ((await a.get(node)) as NodeAnchor).fields.n = i;
        ((await b.get(node)) as NodeAnchor).fields.n = -i;
        await a.commit();
        await b.commit();
      }
    },
  },
];

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function open(dir: string, name: string, metrics: boolean) {
  const repo = await openRepository({
    url: `sqlite:${join(dir, `${name}.db`)}`,
    durability,
    policies: { Doc: { n: 'lww' } },
    ...(metrics ? {} : { metrics: false as const }),
  });
  const s = repo.session();
  const node = s.create('Doc', { n: 0 });
  await s.commit();
  return { repo, node: node.id };
}

/** What the observer itself costs per commit (one attempt, one commit; a conflict every 10th), in µs. */
function observerCostMicros(): number {
  const observer = new MetricsObserver(new MemoryStorage(), {
    writer: 'bench',
    topK: 20,
    flushIntervalMs: 3_600_000,
    clock: Date.now,
  });
  const n = 200_000;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    observer.onAttempt({ backend: 'sqlite', attempt: 1, outcome: 'committed', durationMs: 0.05 });
    if (i % 10 === 0) {
      const at = 0;
      observer.onConflict({
        backend: 'sqlite',
        commitId: 'c',
        at,
        writer: 'bench',
        anchorId: `n${i % 50}`,
        type: 'Doc',
        kind: 'field',
        resolution: 'lww',
        fields: ['n'],
        edges: [],
        writers: ['x'],
      });
    }
    observer.onCommit({
      backend: 'sqlite',
      outcome: 'committed',
      attempts: 1,
      durationMs: 0.2,
      backoffMs: 0,
      lockWaitMs: 0,
      rows: 1,
    });
  }
  const micros = ((performance.now() - t0) * 1000) / n;
  void observer.onClose();
  return micros;
}

const dir = mkdtempSync(join(tmpdir(), 'anchorage-metrics-bench-'));
try {
  console.log(
    `metrics overhead: ${COMMITS} commits × ${ROUNDS} rounds each way, SQLite durability=${durability}, node ${process.version}`,
  );
  observerCostMicros(); // warm-up
  console.log(`metrics observer alone: ${observerCostMicros().toFixed(2)} µs per commit`);
  for (const w of WORKLOADS) {
    const on = await open(dir, `${w.name.replaceAll(/\W+/g, '-')}-on`, true);
    const off = await open(dir, `${w.name.replaceAll(/\W+/g, '-')}-off`, false);
    // CPU time of this process (user + system): the commit path is synchronous SQLite in-process,
    // so CPU time measures it without the wait for a core that other processes' load adds to wall time.
    const seconds = async (r: { repo: Repository; node: string }) => {
      const t0 = process.cpuUsage();
      await w.run(r.repo, r.node, COMMITS);
      const d = process.cpuUsage(t0);
      return (d.user + d.system) / 1e6;
    };
    // Warm-up: JIT, page cache, WAL.
    await seconds(on);
    await seconds(off);
    const time = { on: [] as number[], off: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which goes first, so neither always meets a warmer machine.
      const order = round % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const);
      for (const which of order) time[which].push(await seconds(which === 'on' ? on : off));
    }
    const total = (xs: number[]) => (COMMITS * xs.length) / xs.reduce((a, b) => a + b, 0);
    const paired = time.on.map((t, i) => (time.off[i] as number) / t);
    console.log(
      `${w.name.padEnd(24)} on ${total(time.on).toFixed(0).padStart(6)} commits/CPU-s   off ${total(time.off).toFixed(0).padStart(6)} commits/CPU-s   ` +
        `ratio ${(total(time.on) / total(time.off)).toFixed(3)}   median per-round ratio ${median(paired).toFixed(3)}`,
    );
    await on.repo.close();
    await off.repo.close();
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
