import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/backends.ts';
import { runToEnd } from '../support/spawn-cli.ts';

const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
// Resolved here: the processes run in a scratch folder, where `tsx` would not resolve.
const TSX = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
/** A line of a JavaScript stack trace. */
const STACK_LINE = /^\s+at .+(:\d+:\d+\)?|\(native\))$/m;

/** Scratch working folder: relative `sqlite:` paths land here. */
const cwd = tempDir('anchorage-fuzz-cli-');
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

interface CommandShape {
  readonly options: readonly string[];
  readonly flags: readonly string[];
  /**
   * Appended last to commands that would otherwise run for minutes or listen forever (a race, a
   * crash campaign, a server): an invalid value, so each run stops at validation. Option parsing
   * and validation are what this fuzzes; running them is tested elsewhere.
   */
  readonly guard: readonly string[];
}

const COMMANDS: Readonly<Record<string, CommandShape>> = {
  race: {
    options: ['--mode', '--db', '--procs', '--users', '--sessions', '--concurrency', '--seed'],
    flags: ['--json'],
    guard: ['--sessions', '0'],
  },
  serve: { options: ['--port', '--host', '--db', '--workers'], flags: ['--naive'], guard: ['--port', '0'] },
  torture: {
    options: ['--db', '--procs', '--kills', '--users', '--concurrency', '--pause-ms', '--seed'],
    flags: ['--json'],
    guard: ['--procs', '0'],
  },
  check: { options: ['--db'], flags: ['--repair', '--json'], guard: [] },
  migrate: { options: ['--db'], flags: [], guard: [] },
};

// Argument strings cannot hold NUL; everything else goes.
const text = fc
  .oneof(
    fc.string({ unit: 'grapheme', maxLength: 16 }),
    fc.constantFrom('', ' ', '-', '--', '-1', '0', '1', '3.5', '1e309', 'NaN', '0x10', '9'.repeat(30), 'both', 'naive'),
    fc.constantFrom("'; DROP TABLE anchors; --", '\u202e\u0301', '🦀', 'ü', '\uFEFF', '%s%n', '$(rm -rf /)'),
    fc.integer({ min: -10, max: 100_000 }).map(String),
  )
  .filter((s) => !s.includes('\0'));
// Database urls: relative files only (they land in the scratch folder), and urls that go nowhere.
const dbUrl = fc.oneof(
  fc.constantFrom('sqlite::memory:', 'memory:', 'sqlite:', 'sqlite:fuzz.db', 'sqlite:no/such/dir/x.db', 'sqlite:🦀.db'),
  fc.constantFrom('postgres://127.0.0.1:1/none', 'mysql://x', "sqlite:'; DROP TABLE anchors; --.db"),
  fc.stringMatching(/^[a-z0-9_.-]{1,10}$/).map((s) => `sqlite:${s}.db`),
  text.filter((s) => !s.includes('/')),
);

// check and migrate run to the end, so they are drawn more often than the guarded commands.
const invocation = fc
  .oneof(fc.constantFrom('race', 'serve', 'torture'), fc.constantFrom('check', 'migrate'))
  .chain((name) => {
    const shape = COMMANDS[name] as CommandShape;
    // Mostly well-formed options with odd values, so runs get past commander into validation and beyond.
    const token = fc.oneof(
      { weight: 3, arbitrary: fc.tuple(fc.constant('--db'), dbUrl).map(([o, v]) => [o, v]) },
      { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...shape.options), text).map(([o, v]) => [o, v]) },
      ...(shape.flags.length > 0 ? [{ weight: 2, arbitrary: fc.constantFrom(...shape.flags).map((f) => [f]) }] : []),
      fc.tuple(fc.constantFrom(...shape.options), dbUrl).map(([o, v]) => [`${o}=${v}`]),
      fc.constantFrom(['--bogus'], ['-x'], ['--help'], ['--'], ['--db']),
      text.map((v) => [v]),
    );
    return fc.array(token, { maxLength: 3 }).map((tokens) => [name, ...tokens.flat(), ...shape.guard]);
  })
  .chain((argv) => fc.oneof({ weight: 9, arbitrary: fc.constant(argv) }, fc.constant(['bogus-command', ...argv.slice(1)])));

function runCli(argv: readonly string[]) {
  return runToEnd(spawn(process.execPath, ['--import', TSX, MAIN, ...argv], { cwd, stdio: ['ignore', 'pipe', 'pipe'] }));
}

describe('anchorage CLI under random arguments', () => {
  it('exits 0, 1 or 2 with a plain message, never a stack trace (30 real processes)', async () => {
    const codes = new Map<number | null, number>();
    await fc.assert(
      fc.asyncProperty(fc.array(invocation, { minLength: 5, maxLength: 5 }), async (batch) => {
        // Five processes at a time: start-up (tsx) is most of each run.
        const results = await Promise.all(batch.map(runCli));
        for (const [i, r] of results.entries()) {
          codes.set(r.code, (codes.get(r.code) ?? 0) + 1);
          const where = `anchorage ${(batch[i] as string[]).map((a) => JSON.stringify(a)).join(' ')}\n${r.stderr}`;
          expect([0, 1, 2], where).toContain(r.code);
          expect(r.stderr, where).not.toMatch(STACK_LINE);
          expect(r.stdout, where).not.toMatch(STACK_LINE);
          if (r.code !== 0) expect(r.stderr, where).toMatch(/^(anchorage: |error: )\S/m);
        }
      }),
      { numRuns: 6, endOnFailure: true },
    );
    console.log(`CLI fuzz exit codes: ${JSON.stringify(Object.fromEntries(codes))}`);
    expect([...codes.values()].reduce((a, b) => a + b, 0)).toBe(30);
  }, 600_000);
});
