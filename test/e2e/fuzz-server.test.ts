import { rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkHistory } from '../../src/harness/history/check-history.ts';
import { readSnapshot } from '../../src/harness/history/graph-snapshot.ts';
import { PROFILE } from '../../src/harness/workload/builder-types.ts';
import { openRepository } from '../../src/index.ts';
import { MAX_BODY_BYTES } from '../../src/server/read-body.ts';
import { type RunningServer, startWalkerServer } from '../../src/server/start-server.ts';
import { checkSqlite } from '../../src/storage/sqlite/sqlite-check.ts';
import { tempDir } from '../support/backends.ts';

const dir = tempDir('anchorage-fuzz-server-');
const dbPath = join(dir, 'serve.db');
let server: RunningServer | undefined;
let port = 0;
let token = '';
let projectId = '';

interface Reply {
  readonly status: number;
  readonly body: string;
}

/** One request over node:http (not fetch): an early 413 reply still arrives while the body is being sent. */
function send(path: string, body: string | Buffer, headers: Record<string, string> = {}, method = 'POST'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const length = { 'content-length': String(Buffer.byteLength(body)) };
    const req = request({ host: '127.0.0.1', port, path, method, headers: { ...length, ...headers } }, (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    // The server may close after answering before it read the whole body; only an unanswered request fails.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    req.end(body);
  });
}

const walker = (name: string, data: unknown) =>
  send(`/walker/${name}`, JSON.stringify(data), { authorization: `Bearer ${token}`, 'content-type': 'application/json' });

beforeAll(async () => {
  server = await startWalkerServer(
    { port: 0, host: '127.0.0.1', db: `sqlite:${dbPath}`, workers: 1, naive: false, chatMs: [0, 5] },
    () => {},
  );
  port = server.port;
  const registered = await send('/user/register', JSON.stringify({ username: 'fuzzer', password: 'correct horse' }));
  token = (JSON.parse(registered.body) as { data: { token: string } }).data.token;
  const created = await walker('project_ops', { action: 'create', name: 'target' });
  projectId = (JSON.parse(created.body) as { data: { reports: Array<{ project: { id: string } }> } }).data.reports[0]!.project.id;
}, 60_000);

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

// Strings a careless store mishandles: SQL, unicode edge cases (escaped so the JSON stays valid), sizes.
const nasty = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom("'; DROP TABLE anchors; --", '" OR 1=1 --', 'Robert"); DELETE FROM edge_refs;--', '%00', '\u0000'),
  fc.constantFrom('\ud800', '\udfff', '\uFEFF', '\u202e', 'e\u0301', '🦀'.repeat(60), 'x'.repeat(201), 'x'.repeat(10_001)),
);
const wrongType = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.object());
const field = fc.oneof({ weight: 3, arbitrary: nasty }, wrongType);
const deep = fc.integer({ min: 1, max: 30_000 }).map((n) => `${'['.repeat(n)}1${']'.repeat(n)}`);

/** Bodies shaped like each walker's, with fields of the wrong type or with nasty strings; some name the real project. */
const shaped = (projectId: string) =>
  fc.oneof(
    fc.record({ display_name_hint: field }, { requiredKeys: [] }).map((b) => ['me', b] as const),
    fc
      .record(
        { action: fc.constantFrom('create', 'list', 'delete', 'explode'), name: field, template_id: field, project_id: field },
        { requiredKeys: ['action'] },
      )
      .map((b) => ['project_ops', b] as const),
    fc
      .record({ action: fc.constantFrom('start', 'stop'), project_id: fc.oneof(fc.constant(projectId), field), message: field })
      .map((b) => ['ai_chat', b] as const),
    fc
      .record({ action: fc.constantFrom('status', 'list'), project_id: fc.oneof(fc.constant(projectId), field) })
      .chain((b) => fc.constantFrom('git_ops', 'version_ops').map((w) => [w, b] as const)),
  );

type Fuzzed = { path: string; body: string | Buffer; method: string; auth: boolean };

const fuzzed = (projectId: string): fc.Arbitrary<Fuzzed> =>
  fc.oneof(
    {
      weight: 8,
      arbitrary: shaped(projectId).map(([name, b]) => ({
        path: `/walker/${name}`,
        body: JSON.stringify(b),
        method: 'POST',
        auth: true,
      })),
    },
    fc
      .tuple(fc.constantFrom('me', 'project_ops', 'ai_chat', 'git_ops', 'nope', 'me/..'), fc.jsonValue({ maxDepth: 6 }))
      .map(([name, v]) => ({ path: `/walker/${name}`, body: JSON.stringify(v) ?? 'null', method: 'POST', auth: true })),
    fc
      .tuple(fc.constantFrom('/user/register', '/user/login'), fc.record({ username: field, password: field }))
      .map(([path, b]) => ({ path, body: JSON.stringify(b), method: 'POST', auth: false })),
    deep.map((body) => ({ path: '/walker/me', body, method: 'POST', auth: true })),
    fc.string({ maxLength: 50 }).map((body) => ({ path: '/walker/project_ops', body, method: 'POST', auth: true })),
    fc.constant({ path: '/walker/me', body: Buffer.alloc(MAX_BODY_BYTES + 10, 'a'), method: 'POST', auth: true }),
    fc.constantFrom('GET', 'PUT', 'DELETE').map((method) => ({ path: '/walker/me', body: '{}', method, auth: true })),
    fc.boolean().map((auth) => ({ path: '/walker/project_ops', body: '{"action":"list"}', method: 'POST', auth: !auth })),
  );

describe('the walker server under random request bodies', () => {
  it('answers 2xx or 4xx, never 5xx, with a JSON body, and leaves a database that checks clean', async () => {
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fuzzed(projectId), async ({ path, body, method, auth }) => {
        const headers: Record<string, string> = auth ? { authorization: `Bearer ${token}` } : {};
        const reply = await send(path, body, headers, method);
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
        const where = `${method} ${path} ${String(body).slice(0, 200)} → ${reply.status} ${reply.body.slice(0, 200)}`;
        expect(reply.status, where).toBeGreaterThanOrEqual(200);
        expect(reply.status, where).toBeLessThan(500);
        const payload = JSON.parse(reply.body) as { data?: unknown; error?: { code: string } };
        expect(reply.status < 300 ? payload.data : payload.error?.code, where).toBeDefined();
      }),
      { numRuns: 300 },
    );
    console.log(`walker fuzz statuses: ${JSON.stringify(Object.fromEntries(statuses))}`);
    // Both sides were reached: requests that did work, and requests refused.
    expect([...statuses.keys()].some((s) => s < 300)).toBe(true);
    expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);

    await server?.close(); // waits for background chats
    server = undefined;
    const db = new Database(dbPath);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const report = checkSqlite(db, { repair: false, now: Date.now() });
    db.close();
    expect(report.findings.filter((f) => f.kind !== 'orphan_node')).toEqual([]);
    const repo = await openRepository({ url: `sqlite:${dbPath}` });
    const graph = checkHistory([], await readSnapshot(repo.storage), { uniquePerRoot: [PROFILE] });
    await repo.close();
    expect(graph.dangling).toEqual([]);
    expect(graph.duplicates).toEqual([]);
  }, 240_000);
});
