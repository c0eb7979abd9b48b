import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/backends.ts';

describe('the README quick start', () => {
  const dir = tempDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs as printed and finds the profile it created', () => {
    const out = execFileSync('npx', ['tsx', 'examples/quick-start.ts', `sqlite:${join(dir, 'app.db')}`], { encoding: 'utf8' });
    expect(JSON.parse(out.trim())).toEqual({ name: 'Ada', sameProfile: true, version: 1 });
  });

  it('migrates a database from the CLI and refuses a bad url with exit code 2', () => {
    const url = `sqlite:${join(dir, 'cli.db')}`;
    expect(execFileSync('node', ['bin/anchorage.js', 'migrate', '--db', url], { encoding: 'utf8' })).toContain('migrated');
    let status = 0;
    try {
      execFileSync('node', ['bin/anchorage.js', 'migrate', '--db', 'oracle://x'], { stdio: 'pipe' });
    } catch (error) {
      status = (error as { status: number }).status;
    }
    expect(status).toBe(2);
  });
});
