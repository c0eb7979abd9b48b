import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepository } from '../../src/index.ts';
import { type DashboardDocument, dashboardSchema, exportMetrics, type MetricsSnapshot } from '../../src/metrics/index.ts';
import { tempDir } from '../support/backends.ts';
import { forceKnownConflicts, KNOWN, type KnownConflicts } from '../support/known-conflicts.ts';
import { createScratchSchema, PG_URL } from '../support/postgres-database.ts';
import { type PromSample, parsePromText, promValue } from '../support/prom-text.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Each CLI run starts node and tsx (seconds on a loaded machine). */
const CLI_TIMEOUT = 120_000;

/** Runs the CLI in its own process, as an operator would after the fact. */
function cli(...args: string[]): string {
  return execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, encoding: 'utf8' });
}

function expectPromCounts(samples: readonly PromSample[], backend: string): void {
  for (const [outcome, n] of Object.entries(KNOWN.commits) as Array<[string, number]>) {
    expect(promValue(samples, 'anchorage_commits_total', { backend, outcome }), `commits ${outcome}`).toBe(n);
  }
  for (const [outcome, n] of Object.entries(KNOWN.casAttempts) as Array<[string, number]>) {
    expect(promValue(samples, 'anchorage_cas_attempts_total', { backend, outcome }), `attempts ${outcome}`).toBe(n);
  }
  for (const c of KNOWN.conflicts) {
    expect(promValue(samples, 'anchorage_conflicts_total', { kind: c.kind, resolution: c.resolution })).toBe(c.count);
  }
  const conflicts = samples.filter((s) => s.name === 'anchorage_conflicts_total').reduce((n, s) => n + s.value, 0);
  expect(conflicts).toBe(KNOWN.total);
  const commits = Object.values(KNOWN.commits).reduce((a: number, b) => a + b, 0);
  expect(promValue(samples, 'anchorage_commit_attempts_count')).toBe(commits);
  expect(promValue(samples, 'anchorage_commit_attempts_sum')).toBe(KNOWN.casAttempts.committed + KNOWN.casAttempts.conflict);
  expect(promValue(samples, 'anchorage_commit_duration_seconds_bucket', { le: '+Inf' })).toBe(commits);
}

function expectDocumentCounts(doc: DashboardDocument, k: KnownConflicts): void {
  expect(doc.totals.commits).toEqual({ ...KNOWN.commits, total: 11 });
  expect(doc.totals.casAttempts).toEqual({ ...KNOWN.casAttempts, total: 13 });
  expect(doc.totals.conflicts.total).toBe(KNOWN.total);
  expect(doc.totals.conflicts.escaped).toBe(KNOWN.escaped);
  expect(doc.totals.conflictRatio).toBeCloseTo(4 / 13, 10);
  expect(new Set(doc.resolutionBreakdown.map((r) => JSON.stringify(r)))).toEqual(
    new Set(KNOWN.conflicts.map((r) => JSON.stringify(r))),
  );
  expect(doc.hotAnchors[0]).toMatchObject({ anchorId: k.ids.status, type: 'Doc', count: 2, kinds: { field: 2 } });
  expect(doc.hotAnchors.map((a) => a.anchorId).sort()).toEqual(Object.values(k.ids).sort());
  expect(doc.hotTypes).toEqual([{ type: 'Doc', count: KNOWN.total }]);
  const { writers, counts } = doc.writerPairs;
  expect(counts[writers.indexOf(KNOWN.pairs.writer)]?.[writers.indexOf(KNOWN.pairs.raced)]).toBe(KNOWN.pairs.count);
  expect(counts.flat().reduce((a, b) => a + b, 0)).toBe(KNOWN.pairs.count);
  expect(doc.commitAttempts).toMatchObject({ count: 11, p50: 1, p99: 2 });
}

/** Databases another process can open by url: a SQLite file, and PostgreSQL when a server is given. */
const databases = [
  {
    name: 'sqlite',
    async create() {
      const dir = tempDir();
      return { dir, url: `sqlite:${join(dir, 'known.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
    },
  },
  ...(PG_URL
    ? [
        {
          name: 'postgres',
          async create() {
            const schema = await createScratchSchema();
            return { dir: tempDir(), url: schema.url, drop: () => schema.drop() };
          },
        },
      ]
    : []),
];

describe.each(databases)('metrics of known conflicts (two sessions, one node) on $name', (database) => {
  let dir: string;
  let url: string;
  let drop: () => Promise<void>;
  let k: KnownConflicts;
  let live: string;
  let snapshots: MetricsSnapshot[];
  const backend = database.name;

  beforeAll(async () => {
    ({ dir, url, drop } = await database.create());
    k = await forceKnownConflicts(url);
    live = (await k.alice.metrics?.prometheus()) ?? '';
    snapshots = [k.alice, k.bob].map((r) => r.metrics?.snapshot() as MetricsSnapshot);
    // Closing flushes each writer's commit counts into the database.
    await k.alice.close();
    await k.bob.close();
  });
  afterAll(async () => {
    await drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts them live in the shared prom-client registry', () => {
    expectPromCounts(parsePromText(live).samples, backend);
  });

  it('counts them in each repository snapshot: bob met all five, alice none', () => {
    const [alice, bob] = snapshots as [MetricsSnapshot, MetricsSnapshot];
    expect(alice.totals.conflicts.total).toBe(0);
    expect(alice.totals.commits.committed).toBe(6);
    expect(bob.totals.conflicts.total).toBe(KNOWN.total);
    expect(bob.totals.commits).toMatchObject({ committed: 3, conflict: 2 });
    expect(bob.hotAnchors[0]).toMatchObject({ anchorId: k.ids.status, count: 2, error: 0 });
    expect(alice.totals.casAttempts.total + bob.totals.casAttempts.total).toBe(13);
  });

  it('exports the same counts as JSON, Prometheus text and HTML from the database alone', async () => {
    const repo = await openRepository({ url, metrics: false, journalRetention: false });
    try {
      const json = dashboardSchema.parse(JSON.parse(await exportMetrics(repo.storage, 'json')));
      expectDocumentCounts(json, k);
      expectPromCounts(parsePromText(await exportMetrics(repo.storage, 'prom')).samples, backend);
      const html = await exportMetrics(repo.storage, 'html');
      const embedded = /<script type="application\/json" id="anchorage-data">(.*?)<\/script>/s.exec(html)?.[1];
      expectDocumentCounts(dashboardSchema.parse(JSON.parse(embedded ?? 'null')), k);
    } finally {
      await repo.close();
    }
  });

  it(
    'exports the same counts from another process through the CLI',
    () => {
      expectDocumentCounts(dashboardSchema.parse(JSON.parse(cli('metrics', '--db', url, '--format', 'json'))), k);
      expectPromCounts(parsePromText(cli('metrics', '--db', url, '--format', 'prom')).samples, backend);
      const out = join(dir, 'report.html');
      cli('metrics', '--db', url, '--format', 'html', '--out', out, '--since', '1h');
      const embedded = /<script type="application\/json" id="anchorage-data">(.*?)<\/script>/s.exec(
        readFileSync(out, 'utf8'),
      )?.[1];
      expectDocumentCounts(dashboardSchema.parse(JSON.parse(embedded ?? 'null')), k);
    },
    CLI_TIMEOUT,
  );

  it(
    'exports nothing older than --since',
    () => {
      const doc = dashboardSchema.parse(JSON.parse(cli('metrics', '--db', url, '--format', 'json', '--since', '1ms')));
      expect(doc.totals.conflicts.total).toBe(0);
      expect(doc.totals.commits.total).toBe(0);
    },
    CLI_TIMEOUT,
  );
});
