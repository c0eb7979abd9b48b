#!/usr/bin/env node
// In a checkout (sources beside this file) runs the TypeScript sources through tsx, so a stale
// `dist/` never answers; an installed package ships only `dist/` and runs the built CLI.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(new URL('../dist/cli/main.js', import.meta.url).href);
}
