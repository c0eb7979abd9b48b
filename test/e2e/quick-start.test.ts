import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO } from '../support/spawn-cli.ts';
import { useTempDir } from '../support/use-temp-dir.ts';

/** tsx's loader, by file url: the temp folder has no node_modules to find it in. */
const TSX = pathToFileURL(join(REPO, 'node_modules/tsx/dist/loader.mjs')).href;

/** The first ```ts block after the README's "## Quick start" heading, as printed. */
function readmeQuickStart(): string {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Quick start'));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (!match?.[1]) throw new Error('README has no quick start code block');
  return match[1];
}

describe('the README quick start', () => {
  const tmp = useTempDir();

  it('runs as printed in an empty folder and finds the profile it created', () => {
    // Only the package name becomes a path (the package is not installed in the folder); the
    // relative `./data/app.db` stays, so the folder it names must be made on open.
    const code = readmeQuickStart().replace("from 'anchorage'", `from ${JSON.stringify(join(REPO, 'src/index.ts'))}`);
    const report =
      'console.log(JSON.stringify({ name: again?.fields.name, sameProfile: profile === p.id, version: again?.version }));';
    writeFileSync(join(tmp.dir, 'quick-start.mts'), `${code}\n${report}\n`);
    const out = execFileSync(process.execPath, ['--import', TSX, 'quick-start.mts'], { cwd: tmp.dir, encoding: 'utf8' });
    expect(JSON.parse(out.trim())).toEqual({ name: 'Ada', sameProfile: true, version: 1 });
    expect(readFileSync(join(tmp.dir, 'data/app.db')).length).toBeGreaterThan(0);
  });

  it('migrates a database from the CLI and refuses a bad url with exit code 2', () => {
    const url = `sqlite:${join(tmp.dir, 'cli.db')}`;
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
