import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NodeAnchor, openRepository, type Repository, StorageError } from '../../src/index.ts';
import { type DashboardDocument, dashboardSchema, exportMetrics, type MetricsSnapshot } from '../../src/metrics/index.ts';
import { tempDir } from '../support/backends.ts';
import { withApply } from '../support/fault-storage.ts';
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

/**
 * Runs a scenario on a fresh database of `database`'s kind and reads, before closing them in
 * order (closing flushes each writer's commit counts into the database), the first repository's
 * live Prometheus text and every repository's snapshot. `drop` removes the database.
 */
async function runScenario<T>(
  database: (typeof databases)[number],
  force: (url: string) => Promise<T>,
  repos: (scenario: T) => readonly Repository[],
) {
  const { dir, url, drop } = await database.create();
  const scenario = await force(url);
  const opened = repos(scenario);
  const live = (await opened[0]?.metrics?.prometheus()) ?? '';
  const snapshots = opened.map((r) => r.metrics?.snapshot() as MetricsSnapshot);
  for (const r of opened) await r.close();
  return {
    dir,
    url,
    scenario,
    live,
    snapshots,
    drop: async () => {
      await drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe.each(databases)('metrics of known conflicts (two sessions, one node) on $name', (database) => {
  let dir: string;
  let url: string;
  let drop: () => Promise<void>;
  let k: KnownConflicts;
  let live: string;
  let snapshots: MetricsSnapshot[];
  const backend = database.name;

  beforeAll(async () => {
    ({
      dir,
      url,
      drop,
      scenario: k,
      live,
      snapshots,
    } = await runScenario(database, forceKnownConflicts, (k) => [k.alice, k.bob]));
  });
  afterAll(() => drop());

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

/**
 * What `forceExhaustion` does, counted by hand: the victim's first commit finds the database busy
 * once, then meets bumper's change of the same field before each of its other 3 attempts (retries:
 * 3) and gives up; its second commit goes through at once.
 */
const EXHAUSTED = {
  commits: { committed: 1, conflict: 0, exhausted: 1, error: 0 },
  casAttempts: { committed: 1, conflict: 3, busy: 1, error: 0 },
  retries: { conflict: 2, busy: 1 },
  /** The rebases of the commit that gave up, journaled as one `exhausted` conflict. */
  conflicts: [{ kind: 'field', resolution: 'exhausted', count: 1 }],
} as const;
/** How long the busy attempt holds on before it throws: the least busy wait counted. */
const BUSY_MS = 20;

async function forceExhaustion(url: string) {
  const bumper = await openRepository({ url, writerId: 'bumper', metrics: false, journalRetention: false });
  const setup = bumper.session();
  const id = setup.create('Doc', { x: 0 }).id;
  await setup.commit();
  let busy = 1;
  let bumping = true;
  // Busy once, then another writer moves the row before every attempt, which cannot rebase in place.
  const faulty = withApply(bumper.storage, async (ws) => {
    if (busy-- > 0) {
      await new Promise((resolve) => setTimeout(resolve, BUSY_MS));
      throw new StorageError('database is locked', { retryable: true });
    }
    if (bumping) {
      const s = bumper.session();
      const n = (await s.get(id)) as NodeAnchor;
      n.fields.x = Number(n.fields.x) - 1;
      await s.commit();
    }
    return bumper.storage.apply(ws);
  });
  const registry = new Registry();
  const victim = await openRepository({
    storage: faulty,
    writerId: 'victim',
    policies: { Doc: { x: 'lww' } },
    retry: { retries: 3, minDelayMs: 4, maxDelayMs: 4 },
    metrics: { registry },
    journalRetention: false,
  });
  const first = victim.session();
  ((await first.get(id)) as NodeAnchor).fields.x = 100;
  const error = await first.commit().then(
    () => undefined,
    (e: unknown) => e,
  );
  bumping = false;
  const second = victim.session();
  ((await second.get(id)) as NodeAnchor).fields.x = 200;
  await second.commit();
  return { bumper, victim, id, error };
}

function expectExhaustedProm(samples: readonly PromSample[], backend: string): void {
  for (const [outcome, n] of Object.entries(EXHAUSTED.commits)) {
    expect(promValue(samples, 'anchorage_commits_total', { backend, outcome }), `commits ${outcome}`).toBe(n);
  }
  for (const [outcome, n] of Object.entries(EXHAUSTED.casAttempts)) {
    expect(promValue(samples, 'anchorage_cas_attempts_total', { backend, outcome }), `attempts ${outcome}`).toBe(n);
  }
  for (const [reason, n] of Object.entries(EXHAUSTED.retries)) {
    expect(promValue(samples, 'anchorage_retries_total', { backend, reason }), `retries ${reason}`).toBe(n);
  }
  expect(promValue(samples, 'anchorage_conflicts_total', { backend, kind: 'field', resolution: 'exhausted' })).toBe(1);
  const conflicts = samples.filter((s) => s.name === 'anchorage_conflicts_total').reduce((n, s) => n + s.value, 0);
  expect(conflicts).toBe(1);
  // Three backoffs of up to 4 ms each, and one busy attempt of at least BUSY_MS.
  const backoff = promValue(samples, 'anchorage_retry_backoff_seconds_total', { backend });
  expect(backoff).toBeGreaterThan(0);
  expect(backoff).toBeLessThanOrEqual(0.012 + 1e-9);
  expect(promValue(samples, 'anchorage_busy_wait_seconds_total', { backend })).toBeGreaterThanOrEqual((BUSY_MS - 1) / 1000);
  // Attempts per commit: 4 and 1.
  expect(promValue(samples, 'anchorage_commit_attempts_count', { backend })).toBe(2);
  expect(promValue(samples, 'anchorage_commit_attempts_sum', { backend })).toBe(5);
  expect(promValue(samples, 'anchorage_commit_attempts_bucket', { backend, le: '3' })).toBe(1);
  expect(promValue(samples, 'anchorage_commit_attempts_bucket', { backend, le: '4' })).toBe(2);
}

function expectExhaustedTotals(totals: DashboardDocument['totals']): void {
  expect(totals.commits).toEqual({ ...EXHAUSTED.commits, total: 2 });
  expect(totals.casAttempts).toEqual({ ...EXHAUSTED.casAttempts, total: 5 });
  expect(totals.retries).toEqual(EXHAUSTED.retries);
  expect(totals.conflicts).toMatchObject({ total: 1, escaped: 1, byKind: { field: 1 }, byResolution: { exhausted: 1 } });
  expect(totals.retryBackoffSeconds).toBeGreaterThan(0);
  expect(totals.busyWaitSeconds).toBeGreaterThanOrEqual((BUSY_MS - 1) / 1000);
  expect(totals.backoffShare).toBeGreaterThan(0);
}

describe.each(databases)('metrics of a commit that runs out of retries (busy, then conflicts) on $name', (database) => {
  let dir: string;
  let url: string;
  let drop: () => Promise<void>;
  let forced: Awaited<ReturnType<typeof forceExhaustion>>;
  let live: string;
  let snapshot: MetricsSnapshot;
  const backend = database.name;

  beforeAll(async () => {
    // The victim closes first: it flushes its counts (and closes the port it shares with bumper).
    const run = await runScenario(database, forceExhaustion, (f) => [f.victim, f.bumper]);
    ({ dir, url, drop, scenario: forced, live } = run);
    snapshot = run.snapshots[0] as MetricsSnapshot;
  });
  afterAll(() => drop());

  it('fails the commit with retries_exhausted after 4 attempts', () => {
    expect(forced.error).toMatchObject({ code: 'retries_exhausted', context: { attempts: 4 } });
  });

  it('counts it live: exhausted conflict and commit, busy and conflict attempts and retries, backoff', () => {
    expectExhaustedProm(parsePromText(live).samples, backend);
  });

  it('counts it in the snapshot, with the anchor and the writer it raced', () => {
    expectExhaustedTotals(snapshot.totals);
    expect(snapshot.resolutionBreakdown).toEqual(EXHAUSTED.conflicts);
    expect(snapshot.hotAnchors).toMatchObject([{ anchorId: forced.id, count: 1, kinds: { field: 1 } }]);
    const { writers, counts } = snapshot.writerPairs;
    expect(counts[writers.indexOf('victim')]?.[writers.indexOf('bumper')]).toBe(1);
  });

  it('exports the same from the database, as JSON and Prometheus text', async () => {
    const repo = await openRepository({ url, metrics: false, journalRetention: false });
    try {
      const doc = dashboardSchema.parse(JSON.parse(await exportMetrics(repo.storage, 'json')));
      expectExhaustedTotals(doc.totals);
      expect(doc.resolutionBreakdown).toEqual(EXHAUSTED.conflicts);
      expect(doc.series.reduce((n, p) => n + p.resolutions.exhausted, 0)).toBe(1);
      expect(doc.commitAttempts).toMatchObject({ count: 2, p99: 4 });
      expectExhaustedProm(parsePromText(await exportMetrics(repo.storage, 'prom')).samples, backend);
    } finally {
      await repo.close();
    }
  });
});
