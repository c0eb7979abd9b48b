/**
 * `anchorage/tiered`: a drop-in persistence adapter for runtimes built around a per-request
 * memory (Jac's `TieredMemory`): `put`, `commit`/`sync`, `close`, `find`, `remove`, all on the
 * repository's one compare-and-swap commit path.
 */
export type { RemoveTargets } from './memory-inputs.ts';
export { TieredMemory, type TieredMemoryOptions } from './tiered-memory.ts';
