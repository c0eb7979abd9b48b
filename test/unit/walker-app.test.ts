import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepository, type Repository } from '../../src/index.ts';
import { AuthStore } from '../../src/server/auth-store.ts';
import { MAX_BODY_BYTES } from '../../src/server/read-body.ts';
import { WalkerApp } from '../../src/server/walker-app.ts';
import { tempDir } from '../support/backends.ts';

const dir = tempDir('anchorage-walkers-');
let repo: Repository;
let auth: AuthStore;
let app: WalkerApp;
let server: Server;
let base: string;

beforeAll(async () => {
  repo = await openRepository({ url: 'memory:' });
  auth = new AuthStore(join(dir, 'auth.db'));
  app = new WalkerApp({ store: repo, auth, chatTurns: () => [1, 1] });
  server = createServer(app.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await app.drain();
  await repo.close();
  auth.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Report {
  user?: { user_id: string; display_name: string };
  project?: { id: string; name: string };
  projects?: Array<{ id: string; name: string }>;
  versions?: Array<{ id: string; role: string }>;
  chat?: { status: string; project_id: string };
}

async function post(path: string, body: unknown, token?: string) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: token ? { authorization: `Bearer ${token}` } : {},
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: res.status,
    json: (await res.json()) as { data?: { token?: string; reports?: Report[] }; error?: { code: string } },
  };
}

async function register(username: string): Promise<string> {
  const { json } = await post('/user/register', { username, password: 'TestPass123!' });
  return json.data?.token as string;
}

const walker = async (name: string, body: unknown, token: string): Promise<Report> =>
  (await post(`/walker/${name}`, body, token)).json.data?.reports?.[0] ?? {};

describe('the walker server', () => {
  it('registers users, refuses a taken name and logs in with the password only', async () => {
    expect(await register('ada')).toMatch(/^[\w-]{40,}$/);
    expect((await post('/user/register', { username: 'ada', password: 'Other-pass-1' })).status).toBe(409);
    expect((await post('/user/login', { username: 'ada', password: 'wrong-password' })).status).toBe(401);
    expect((await post('/user/login', { username: 'ada', password: 'TestPass123!' })).json.data?.token).toBeTruthy();
  });

  it('checks the bearer token on every walker call', async () => {
    const ok = await register('tok');
    const project = (await walker('project_ops', { action: 'create', name: 'guarded' }, ok)).project!;
    expect(project.id).toBeTruthy();
    // Valid bodies, so only the token can be what is refused.
    const calls: Array<[string, unknown]> = [
      ['me', {}],
      ['project_ops', { action: 'list' }],
      ['ai_chat', { action: 'start', project_id: project.id, message: 'hi' }],
      ['git_ops', { action: 'status', project_id: project.id }],
      ['version_ops', { action: 'list', project_id: project.id }],
    ];
    const tampered = `${ok.slice(0, -2)}${ok.endsWith('AA') ? 'BB' : 'AA'}`;
    for (const [name, body] of calls) {
      for (const token of [undefined, 'not-a-token', tampered]) {
        const res = await post(`/walker/${name}`, body, token);
        expect([name, token, res.status, res.json.error?.code]).toEqual([name, token, 401, 'unauthorized']);
      }
    }
    // The same calls with the right token are answered.
    for (const [name, body] of calls) expect([name, (await post(`/walker/${name}`, body, ok)).status]).toEqual([name, 200]);
    await app.drain();
  });

  it('answers bad input with 400, 404, 405 or 413 and a JSON error, never a 500', async () => {
    const token = await register('bob');
    const cases: Array<[string, unknown, number]> = [
      ['/user/register', '{not json', 400],
      ['/user/register', { username: 'x y', password: 'TestPass123!' }, 400],
      ['/user/register', { username: 'carl', password: 'short' }, 400],
      ['/walker/me', [1, 2], 400],
      ['/walker/me', { display_name_hint: 42 }, 400],
      ['/walker/project_ops', { action: 'explode' }, 400],
      ['/walker/project_ops', { action: 'create' }, 400],
      ['/walker/git_ops', { action: 'status', project_id: '' }, 400],
      ['/walker/git_ops', { action: 'status', project_id: 'x'.repeat(500) }, 400],
      ['/walker/git_ops', { action: 'status', project_id: 'no-such-project' }, 404],
      ['/walker/no_such_walker', {}, 404],
      ['/walker/me', { pad: 'x'.repeat(MAX_BODY_BYTES) }, 413],
    ];
    for (const [path, body, status] of cases) {
      const res = await post(path, body, token);
      expect([path, res.status]).toEqual([path, status]);
      expect(res.json.error?.code).toBeTruthy();
    }
    expect((await fetch(`${base}/walker/me`)).status).toBe(405);
  });

  it('finds the same profile on every me, and never lets one user reach another user’s project', async () => {
    const ann = await register('ann');
    const eve = await register('eve');
    const first = await walker('me', { display_name_hint: 'ann' }, ann);
    expect(first).toEqual({ user: { user_id: expect.any(String), display_name: 'ann' } });
    expect(await walker('me', {}, ann)).toEqual(first);
    const project = (await walker('project_ops', { action: 'create', name: 'secret' }, ann)).project!;
    for (const [name, body] of [
      ['git_ops', { action: 'status', project_id: project.id }],
      ['version_ops', { action: 'list', project_id: project.id }],
      ['ai_chat', { action: 'start', project_id: project.id, message: 'hi' }],
      ['project_ops', { action: 'delete', project_id: project.id }],
    ] as const) {
      expect((await post(`/walker/${name}`, body, eve)).status).toBe(404);
    }
    expect(await walker('project_ops', { action: 'list' }, eve)).toEqual({ projects: [] });
    expect(await walker('project_ops', { action: 'list' }, ann)).toEqual({ projects: [{ id: project.id, name: 'secret' }] });
  });

  it('creates a project before any me in one transaction: the profile it makes is the one me finds, and only one', async () => {
    const token = await register('fay');
    const created = await Promise.all(
      ['a', 'b', 'c'].map((name) => post('/walker/project_ops', { action: 'create', name, template_id: 't' }, token)),
    );
    for (const res of created) {
      expect(res.status).toBe(200);
      expect(res.json.data?.reports).toEqual([{ project: { id: expect.any(String), name: expect.any(String) } }]);
    }
    const me = await walker('me', {}, token);
    expect(me.user?.user_id).toMatch(/^[0-9a-f-]{36}$/);
    const listed = (await walker('project_ops', { action: 'list' }, token)).projects ?? [];
    expect(listed.map((p) => p.name).sort()).toEqual(['a', 'b', 'c']);
    const root = auth.verify(token)?.root as string;
    const s = repo.session({ root });
    expect(await s.neighbors(await s.root(), { type: 'UserProfile' })).toHaveLength(1);
    s.abort();
  });

  it('runs ai_chat in the background and keeps its messages', async () => {
    const token = await register('dan');
    const project = (await walker('project_ops', { action: 'create', name: 'chat' }, token)).project!;
    expect(await walker('ai_chat', { action: 'start', project_id: project.id, message: 'explain' }, token)).toEqual({
      chat: { status: 'started', project_id: project.id },
    });
    await app.drain();
    const { versions } = await walker('version_ops', { action: 'list', project_id: project.id }, token);
    expect(versions?.map((v) => v.role)).toEqual(['user', 'assistant', 'assistant']);
  });
});
