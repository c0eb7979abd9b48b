import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/backends.ts';
import { freePort, serveArgs, spawnCli, stop, waitForOutput } from '../support/spawn-cli.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Reply {
  data?: { reports?: Array<{ user?: { user_id: string }; project?: { id: string } }> };
}

/** One walker call of the script: its name, HTTP status and, for `me`, the user_id it answered. */
interface Call {
  readonly name: string;
  readonly status: number;
  readonly userId?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The seed report's reproduction script, ported line by line from Python; every walker call is noted. */
async function reproduce(base: string): Promise<{ original: string; rounds: string[]; calls: Call[] }> {
  const user = `racetest_${Math.random().toString(16).slice(2, 8)}`;
  const r = await fetch(`${base}/user/register`, {
    method: 'POST',
    body: JSON.stringify({ username: user, password: 'TestPass123!' }),
  });
  const token = ((await r.json()) as { data: { token: string } }).data.token;
  const headers = { Authorization: `Bearer ${token}` };
  const calls: Call[] = [];
  const walker = async (name: string, data: unknown) => {
    const res = await fetch(`${base}/walker/${name}`, { method: 'POST', body: JSON.stringify(data), headers });
    const reply = (await res.json()) as Reply;
    calls.push({ name, status: res.status, userId: name === 'me' ? report(reply)?.user?.user_id : undefined });
    return reply;
  };
  const report = (resp: Reply) => resp.data?.reports?.[0];

  const me = report(await walker('me', { display_name_hint: user }));
  const original = me?.user?.user_id as string;
  const cr = report(await walker('project_ops', { action: 'create', name: 'test', template_id: 'preview-template' }));
  const pid = cr?.project?.id as string;

  await walker('ai_chat', { action: 'start', project_id: pid, message: 'explain this project' });

  const rounds: string[] = [];
  for (let round = 0; round < 5; round++) {
    await sleep(1000);
    await Promise.all([
      walker('git_ops', { action: 'status', project_id: pid }),
      walker('me', {}),
      walker('version_ops', { action: 'list', project_id: pid }),
    ]);
    const meNow = report(await walker('me', {}));
    rounds.push(meNow?.user?.user_id as string);
  }
  return { original, rounds, calls };
}

const dir = tempDir('anchorage-e2e-');
const servers: Record<'anchorage' | 'naive', { child?: ChildProcess; base: string }> = {
  anchorage: { base: '' },
  naive: { base: '' },
};

beforeAll(async () => {
  await Promise.all(
    (['anchorage', 'naive'] as const).map(async (mode) => {
      const port = await freePort();
      const args = serveArgs(port, join(dir, `${mode}.db`), 2);
      const child = spawnCli(mode === 'naive' ? [...args, '--naive'] : args);
      servers[mode] = { child, base: `http://127.0.0.1:${port}` };
      await waitForOutput(child, /listening on/);
    }),
  );
}, 120_000);

afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => (s.child ? stop(s.child) : undefined)));
  rmSync(dir, { recursive: true, force: true });
});

describe("the seed report's reproduction against `anchorage serve --workers 2`", () => {
  it('keeps the user profile through the AI chat and five rounds of concurrent requests', async () => {
    const { original, rounds, calls } = await reproduce(servers.anchorage.base);
    expect(original).toMatch(UUID);
    // Every call answered; every me found the original profile (none failed, none made another).
    expect(calls.filter((c) => c.status !== 200)).toEqual([]);
    expect(calls).toHaveLength(3 + 5 * 4);
    expect(calls.filter((c) => c.name === 'me').map((c) => c.userId)).toEqual(Array(11).fill(original));
    expect(rounds).toEqual([original, original, original, original, original]);
  });

  it('loses the profile with --naive (the original whole-row writer), so the test above can fail', async () => {
    const { original, rounds, calls } = await reproduce(servers.naive.base);
    expect(original).toMatch(UUID);
    // The set-up succeeded and every me answered 200 with a profile: the loss is real, not an error.
    expect(calls.slice(0, 3).map((c) => [c.name, c.status])).toEqual([
      ['me', 200],
      ['project_ops', 200],
      ['ai_chat', 200],
    ]);
    const mes = calls.filter((c) => c.name === 'me');
    expect(mes).toHaveLength(11);
    for (const c of mes) {
      expect(c.status).toBe(200);
      expect(c.userId).toMatch(UUID);
    }
    // A later me answered with a different (new, empty) profile.
    expect(rounds.some((uid) => uid !== original)).toBe(true);
  });
});
