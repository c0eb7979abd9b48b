import { existsSync } from 'node:fs';
import { anchorage, anchorageMetricsOff } from './anchorage.ts';
import type { Contender } from './contender.ts';
import { immediate } from './immediate.ts';
import { naive } from './naive.ts';
import { raw } from './raw.ts';

/** A contender set that needs something this checkout may not have (a feature, installed peers). */
interface OptionalSet {
  readonly name: string;
  /** Module exporting `contenders: Contender[]`, relative to this file. */
  readonly module: string;
  /** Files that must exist for the module to load, and what to do otherwise. */
  readonly needs: ReadonlyArray<{ readonly path: string; readonly hint: string }>;
}

const OPTIONAL: readonly OptionalSet[] = [
  {
    name: 'orm peers',
    module: '../peers/contenders.ts',
    needs: [{ path: '../peers/node_modules', hint: 'run `npm ci` in bench/peers' }],
  },
];

export interface ContenderSet {
  readonly contenders: Contender[];
  readonly skipped: Array<{ readonly name: string; readonly reason: string }>;
}

/** Every contender this checkout can run, `raw` first; optional sets that cannot load are listed with why. */
export async function loadContenders(): Promise<ContenderSet> {
  const contenders: Contender[] = [raw, anchorage, anchorageMetricsOff, immediate, naive];
  const skipped: Array<{ name: string; reason: string }> = [];
  for (const set of OPTIONAL) {
    const missing = set.needs.find((n) => !existsSync(new URL(n.path, import.meta.url)));
    if (missing) {
      skipped.push({ name: set.name, reason: `${missing.path} not found: ${missing.hint}` });
      continue;
    }
    // A computed specifier: the type checker must not follow it into code whose packages may be absent.
    const specifier = new URL(set.module, import.meta.url).href;
    const mod = (await import(specifier)) as { contenders: Contender[] };
    contenders.push(...mod.contenders);
  }
  return { contenders, skipped };
}

export async function contenderNamed(name: string): Promise<Contender> {
  const { contenders } = await loadContenders();
  const found = contenders.find((c) => c.name === name);
  if (!found) throw new Error(`no contender ${name}`);
  return found;
}
