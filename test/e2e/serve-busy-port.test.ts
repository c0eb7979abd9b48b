import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/backends.ts';
import { runToEnd, serveArgs, spawnCli, stop } from '../support/spawn-cli.ts';

const dir = tempDir('anchorage-busy-port-');
let blocker: Server;
let port: number;

beforeAll(async () => {
  blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  port = (blocker.address() as { port: number }).port;
});

afterAll(async () => {
  await new Promise((resolve) => blocker.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `serve` on the busy port; kills it if it is still running after `limitMs` (the old restart loop). */
async function serveOnBusyPort(workers: number, limitMs: number) {
  const child = spawnCli(serveArgs(port, join(dir, `serve-${workers}.db`), workers));
  const started = performance.now();
  const timer = setTimeout(() => void stop(child), limitMs);
  const run = await runToEnd(child);
  clearTimeout(timer);
  return { ...run, ms: performance.now() - started, signal: child.signalCode };
}

describe('anchorage serve on a port another process listens on', () => {
  it('with --workers 2: stops the workers and exits 1 saying the port is in use, instead of restarting them forever', async () => {
    const run = await serveOnBusyPort(2, 40_000);
    expect(run.signal, `still running after 40 s:\n${run.stdout}\n${run.stderr}`).toBeNull();
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(`anchorage serve: cannot listen on 127\\.0\\.0\\.1:${port}: the port is in use.*stopped the other workers`),
    );
    expect(run.stdout).not.toMatch(/listening on|starting another/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    console.log(`serve --workers 2 on a busy port exited in ${Math.round(run.ms)} ms`);
  }, 60_000);

  it('in one process: exits 1 with the same message', async () => {
    const run = await serveOnBusyPort(1, 40_000);
    expect(run.signal).toBeNull();
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`anchorage serve: cannot listen on 127\\.0\\.0\\.1:${port}: the port is in use`));
    expect(run.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);
});
