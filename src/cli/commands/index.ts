import type { Command } from 'commander';
import { registerCheck } from './check.ts';
import { registerMetrics } from './metrics.ts';
import { registerMigrate } from './migrate.ts';
import { registerRace } from './race.ts';
import { registerServe } from './serve.ts';
import { registerTorture } from './torture.ts';

/** Every CLI command; each file registers one. */
export const commands: ReadonlyArray<(program: Command) => void> = [
  registerMigrate,
  registerCheck,
  registerRace,
  registerServe,
  registerMetrics,
  registerTorture,
];
