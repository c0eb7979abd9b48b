import type { Command } from 'commander';
import { registerMigrate } from './migrate.ts';

/** Every CLI command; each file registers one. */
export const commands: ReadonlyArray<(program: Command) => void> = [registerMigrate];
