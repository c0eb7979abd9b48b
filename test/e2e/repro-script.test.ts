import { execFileSync, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, serveArgs, spawnCli, stop, waitForOutput } from '../support/spawn-cli.ts';
import { useTempDir } from '../support/use-temp-dir.ts';

/** The script talks to localhost:8000, as the report wrote it: it runs only where that port is free. */
const PORT = 8000;

function hasPythonRequests(): boolean {
  return spawnSync('python3', ['-c', 'import requests'], { stdio: 'ignore' }).status === 0;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

const skipWhy = !hasPythonRequests()
  ? 'python3 with requests is not installed'
  : !(await portIsFree(PORT))
    ? `port ${PORT} is taken`
    : undefined;
if (skipWhy) console.log(`examples/repro.py test skipped: ${skipWhy}`);

describe.skipIf(skipWhy !== undefined)("the report's own Python script (examples/repro.py), unchanged", () => {
  const tmp = useTempDir();

  /** Serves on port 8000 (2 cluster workers), runs the script, and returns its round lines. */
  async function runScript(naive: boolean): Promise<string[]> {
    const args = serveArgs(PORT, join(tmp.dir, 'serve.db'), 2);
    const server = spawnCli(naive ? [...args, '--naive'] : args);
    try {
      await waitForOutput(server, /listening on/);
      const out = execFileSync('python3', [join(REPO, 'examples/repro.py')], { encoding: 'utf8', timeout: 60_000 });
      return out.trim().split('\n');
    } finally {
      await stop(server);
    }
  }

  it('prints OK in every round against anchorage', async () => {
    expect(await runScript(false)).toEqual(['Round 0: OK', 'Round 1: OK', 'Round 2: OK', 'Round 3: OK', 'Round 4: OK']);
  }, 90_000);

  it('prints PROFILE LOST against the naive whole-row writer (--naive), as the report did', async () => {
    const lines = await runScript(true);
    expect(lines).toHaveLength(5);
    expect(lines.some((l) => /^Round \d: PROFILE LOST! Was [0-9a-f-]{36}, now [0-9a-f-]{36}$/.test(l))).toBe(true);
  }, 90_000);
});
