import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryRecorder } from '../../src/harness/history/history-recorder.ts';
import { TrackedStore, type TrackingHooks } from '../../src/harness/race/tracked-store.ts';
import { checkTorture } from '../../src/harness/torture/check-torture.ts';
import { IntentLog } from '../../src/harness/torture/intent-log.ts';
import type { TortureResult } from '../../src/harness/torture/torture-result.ts';
import { findOrCreateProfile, touchProfile } from '../../src/harness/workload/profile-ops.ts';
import { createProject } from '../../src/harness/workload/project-ops.ts';
import { type NodeAnchor, openRepository, type Repository } from '../../src/index.ts';
import { tempDir } from '../support/backends.ts';
import { runToEnd, spawnCli } from '../support/spawn-cli.ts';

const dir = tempDir('anchorage-torture-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('anchorage torture', () => {
  it('loses no acknowledged commit and leaves no commit half-stored when 3 workers are SIGKILLed 20 times, some inside commits', async () => {
    const db = `sqlite:${join(dir, 'torture.db')}`;
    const run = await runToEnd(spawnCli(['torture', '--db', db, '--procs', '3', '--kills', '20', '--seed', '7', '--json']));
    console.log(`torture figures: ${run.stdout}`);
    expect(run.code, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as TortureResult;
    expect(result).toMatchObject({
      kills: 20,
      anomalies: 0,
      partial: 0,
      acknowledgedIncomplete: 0,
      refusedApplied: 0,
      lost: 0,
      zombies: 0,
      dangling: 0,
      duplicates: 0,
      counterDrift: 0,
      versionChains: 0,
      findings: 0,
      integrity: 'ok',
      errors: 0,
    });
    // A run whose kills all missed the commits would prove little.
    expect(result.killsInCommit).toBeGreaterThanOrEqual(1);
    expect(result.cutOff).toBeGreaterThanOrEqual(1);
    expect(result.acknowledged).toBeGreaterThan(0);
    // Each kill is followed by a restart, except those the end of the run overtook (one per slot at most).
    expect(result.restarts).toBeGreaterThanOrEqual(result.kills - 3);
  }, 240_000);

  it('refuses bad options with exit code 2 and says why', async () => {
    for (const [args, message] of [
      [['--procs', '0'], /procs must be at least 1/],
      [['--kills', 'many'], /kills must be a number/],
      [['--db', 'sqlite::memory:'], /db must be sqlite:<file>/],
    ] as const) {
      const run = await runToEnd(spawnCli(['torture', ...args]));
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  }, 60_000);
});

/**
 * The checker behind `torture`, on a database and logs made by hand: a user, a project, a touch,
 * then damage done behind anchorage's back, each of which it must report.
 */
describe('the crash checker', () => {
  let work: string;
  let path: string;
  let repo: Repository;
  let recorder: HistoryRecorder;
  let intents: IntentLog;
  let projectId: string;
  let profileId: string;

  const files = () => ({
    path,
    historyPaths: [join(work, 'history.jsonl')],
    intentPaths: [join(work, 'intents.jsonl')],
    roots: new Set(['u0']),
  });
  /** Writes two connected notes in one commit whose intent is recorded; no acknowledgement follows. */
  const commitWithoutAck = async () => {
    const s = repo.session({ root: 'u0' });
    const root = await s.root();
    const note = s.create('Note', { text: 'cut off' });
    const edge = s.connect(root, note);
    const commitId = intents.intend({
      operation: 'note',
      user: 'u0',
      created: [
        { kind: 'node', id: note.id, type: 'Note' },
        { kind: 'edge', id: edge.id, type: 'Edge', source: root.id, target: note.id },
      ],
      deleted: [],
      increments: [],
    });
    await s.commit();
    return { commitId, note: note.id, edge: edge.id };
  };
  const tamper = (sql: string, ...params: unknown[]) => {
    const db = new Database(path);
    db.prepare(sql).run(...params);
    db.close();
  };
  const check = async () => {
    recorder.close();
    intents.close();
    return checkTorture(files());
  };

  beforeEach(async () => {
    work = tempDir('anchorage-torture-check-');
    path = join(work, 'app.db');
    repo = await openRepository({ url: `sqlite:${path}` });
    recorder = new HistoryRecorder(join(work, 'history.jsonl'), { process: 'p0', fsync: true });
    intents = new IntentLog(join(work, 'intents.jsonl'), 'p0');
    const hooks: TrackingHooks = {
      acknowledged: (ack) => recorder.append(ack),
      intend: (intent) => intents.intend(intent),
      refused: (commitId) => intents.refused(commitId),
    };
    const tracked = (operation: string) => new TrackedStore(repo, { operation, session: operation, user: 'u0' }, hooks);
    profileId = (await findOrCreateProfile(tracked('me'), 'u0')).id;
    projectId = (await createProject(tracked('project_create'), 'u0', { name: 'kept' }))?.id as string;
    const touch = tracked('touch');
    touch.incrementing({ field: 'touches', by: 1 });
    await touchProfile(touch, 'u0');
  });
  afterEach(async () => {
    await repo.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('finds nothing wrong when every commit is stored, acknowledged or cut off after COMMIT', async () => {
    await commitWithoutAck();
    const result = await check();
    expect(result.anomalies).toBe(0);
    expect(result.integrity).toBe('ok');
    expect(result.commits).toMatchObject({ acknowledged: 3, cutOff: 1, cutOffPresent: 1, partial: [] });
  });

  it("reports an acknowledged node whose row was deleted behind anchorage's back", async () => {
    tamper('DELETE FROM anchors WHERE id = ?', projectId);
    const result = await check();
    expect(result.history.lost).toBeGreaterThanOrEqual(1);
    expect(result.commits.acknowledgedIncomplete).toHaveLength(1);
    expect(result.findings.map((f) => f.kind)).toContain('edge_missing_endpoint');
    expect(result.anomalies).toBeGreaterThanOrEqual(3);
  });

  it('reports a cut-off commit of which only a part is stored', async () => {
    const { commitId, note } = await commitWithoutAck();
    tamper('DELETE FROM anchors WHERE id = ?', note);
    const result = await check();
    expect(result.commits.partial).toEqual([commitId]);
    expect(result.anomalies).toBeGreaterThanOrEqual(1);
  });

  it('reports a commit recorded as refused of which something is stored', async () => {
    const { commitId } = await commitWithoutAck();
    intents.refused(commitId);
    const result = await check();
    expect(result.commits.refusedApplied).toEqual([commitId]);
    expect(result.anomalies).toBe(1);
  });

  it('allows a counter ahead by a cut-off increment, and reports one ahead by more', async () => {
    intents.intend({
      operation: 'touch',
      user: 'u0',
      created: [],
      deleted: [],
      increments: [{ id: profileId, field: 'touches', by: 1 }],
    });
    const within = await checkTorture(files());
    expect(within.history.counterDrift).toBe(0);
    expect(within.commits.cutOffCounters).toBe(1);
    const profile = (await repo.session({ root: 'u0' }).get(profileId)) as NodeAnchor;
    expect(profile.fields.touches).toBe(1);
    tamper(`UPDATE anchors SET fields = json_set(fields, '$.touches', 3) WHERE id = ?`, profileId);
    const beyond = await check();
    expect(beyond.history.counterDrift).toBe(1);
  });
});
