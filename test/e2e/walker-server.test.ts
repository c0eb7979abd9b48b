import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/backends.ts';
import { freePort, spawnCli, stop, waitForOutput } from '../support/spawn-cli.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Reply {
  data?: { reports?: Array<{ user?: { user_id: string }; project?: { id: string } }> };
}

/** The seed report's reproduction script, ported line by line from Python. */
async function reproduce(base: string): Promise<{ original: string; rounds: string[] }> {
  const user = `racetest_${Math.random().toString(16).slice(2, 8)}`;
  const r = await fetch(`${base}/user/register`, {
    method: 'POST',
    body: JSON.stringify({ username: user, password: 'TestPass123!' }),
  });
  const token = ((await r.json()) as { data: { token: string } }).data.token;
  const headers = { Authorization: `Bearer ${token}` };
  const walker = async (name: string, data: unknown) =>
    (await (await fetch(`${base}/walker/${name}`, { method: 'POST', body: JSON.stringify(data), headers })).json()) as Reply;
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
  return { original, rounds };
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
      const args = [
        'serve',
        '--port',
        String(port),
        '--host',
        '127.0.0.1',
        '--db',
        `sqlite:${join(dir, `${mode}.db`)}`,
        '--workers',
        '2',
      ];
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
    const { original, rounds } = await reproduce(servers.anchorage.base);
    expect(rounds).toEqual([original, original, original, original, original]);
  });

  it('loses the profile with --naive (the original whole-row writer), so the test above can fail', async () => {
    const { original, rounds } = await reproduce(servers.naive.base);
    expect(rounds.some((uid) => uid !== original)).toBe(true);
  });
});
