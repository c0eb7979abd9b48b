import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRepository } from '../../src/index.ts';
import { runToEnd, spawnCli } from '../support/spawn-cli.ts';
import { useTempDir } from '../support/use-temp-dir.ts';

describe('CLI tools that read a database after the fact', () => {
  const tmp = useTempDir();

  it.each([['metrics'], ['check']])('%s refuses a database file that does not exist, and creates none', async (command) => {
    const missing = join(tmp.dir, 'typo.db');
    const r = await runToEnd(spawnCli([command, '--db', `sqlite:${missing}`]));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no database file at this path');
    expect(existsSync(missing)).toBe(false);
  });

  it('takes a bare file path as a SQLite database', async () => {
    const repo = await openRepository({ url: `sqlite:${tmp.path}` });
    const s = repo.session({ root: 'u' });
    s.connect(await s.root(), s.create('Profile', {}));
    await s.commit();
    await repo.close();

    const metrics = await runToEnd(spawnCli(['metrics', '--db', tmp.path, '--format', 'prom']));
    expect(metrics.code).toBe(0);
    expect(metrics.stdout).toMatch(/^anchorage_commits_total\{backend="sqlite",outcome="committed"\} 1$/m);
    const check = await runToEnd(spawnCli(['check', '--db', tmp.path, '--json']));
    expect(check.code).toBe(0);
    expect(JSON.parse(check.stdout).findings).toEqual([]);
  });
});
