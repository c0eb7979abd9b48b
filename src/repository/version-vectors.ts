import { z } from 'zod';
import * as vv from '../core/version-vector.ts';
import { writerIdSchema } from './options.ts';
import { parseInput } from './validation.ts';

/**
 * The version-vector functions as the public API offers them: the same as `core`'s, with every
 * argument validated (a refusal is a ValidationError naming the argument), since users pass
 * vectors they built or read back from JSON.
 */
const vectorSchema = z.record(writerIdSchema, z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER));

const vector = (value: unknown, path: string): vv.VersionVector => parseInput(vectorSchema, value, path);

export function increment(v: vv.VersionVector, writer: string): vv.VersionVector {
  return vv.increment(vector(v, 'vv'), parseInput(writerIdSchema, writer, 'writer'));
}

export function merge(a: vv.VersionVector, b: vv.VersionVector): vv.VersionVector {
  return vv.merge(vector(a, 'a'), vector(b, 'b'));
}

export function compare(a: vv.VersionVector, b: vv.VersionVector): vv.Ordering {
  return vv.compare(vector(a, 'a'), vector(b, 'b'));
}

export function writersSince(base: vv.VersionVector, current: vv.VersionVector): string[] {
  return vv.writersSince(vector(base, 'base'), vector(current, 'current'));
}

export function total(v: vv.VersionVector): number {
  return vv.total(vector(v, 'vv'));
}
