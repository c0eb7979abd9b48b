import type { StoragePort } from '../../src/storage/storage-port.ts';

/**
 * Everything stored — every row with its version, and every node's edge list — as one string,
 * so a test can prove a refused call changed nothing.
 */
export async function storedState(storage: StoragePort): Promise<string> {
  const rows = await storage.scan({ limit: 1_000_000 });
  const out: unknown[] = [];
  for (const row of rows) out.push(row.kind === 'node' ? { ...row, edgeIds: await storage.loadEdgeIds(row.id) } : row);
  return JSON.stringify(out);
}
