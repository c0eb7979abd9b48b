import { existsSync } from 'node:fs';
import type { Contender } from './contender.ts';

/**
 * Contenders by module, loaded only when asked for: a child process loads its own contender's
 * code and nothing else (loading the library or an ORM costs a second of start-up each).
 */
interface Entry {
  readonly names: readonly string[];
  /** Module exporting `contenders: Contender[]`, relative to this file. */
  readonly module: string;
  /** A file that must exist for the module to load, and what to do otherwise. */
  readonly needs?: { readonly path: string; readonly hint: string };
}

const ENTRIES: readonly Entry[] = [
  { names: ['raw'], module: './raw.ts' },
  { names: ['anchorage', 'anchorage-metrics-off'], module: './anchorage.ts' },
  { names: ['immediate'], module: './immediate.ts' },
  { names: ['naive'], module: './naive.ts' },
  { names: ['raw-pg', 'anchorage-pg', 'immediate-pg', 'naive-pg'], module: './postgres/contenders.ts' },
  {
    names: ['typeorm', 'mikro-orm'],
    module: '../peers/contenders.ts',
    needs: { path: '../peers/node_modules', hint: 'run `npm ci` in bench/peers' },
  },
];

async function load(entry: Entry): Promise<Contender[]> {
  // A computed specifier: the type checker must not follow it into code whose packages may be absent.
  const specifier = new URL(entry.module, import.meta.url).href;
  return ((await import(specifier)) as { contenders: Contender[] }).contenders;
}

export interface ContenderSet {
  readonly contenders: Contender[];
  readonly skipped: Array<{ readonly name: string; readonly reason: string }>;
}

/** Every contender this checkout can run, `raw` first; those that cannot load are listed with why. */
export async function loadContenders(): Promise<ContenderSet> {
  const contenders: Contender[] = [];
  const skipped: Array<{ name: string; reason: string }> = [];
  for (const entry of ENTRIES) {
    if (entry.needs && !existsSync(new URL(entry.needs.path, import.meta.url))) {
      skipped.push({ name: entry.names.join(', '), reason: `${entry.needs.path} not found: ${entry.needs.hint}` });
      continue;
    }
    contenders.push(...(await load(entry)));
  }
  return { contenders, skipped };
}

export async function contenderNamed(name: string): Promise<Contender> {
  const entry = ENTRIES.find((e) => e.names.includes(name));
  const found = entry && (await load(entry)).find((c) => c.name === name);
  if (!found) throw new Error(`no contender ${name}`);
  return found;
}
