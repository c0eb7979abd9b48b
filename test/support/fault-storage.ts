import type { StoragePort } from '../../src/storage/storage-port.ts';

/** A port that behaves like `inner` except for `apply`, for injecting faults. */
export function withApply(inner: StoragePort, apply: StoragePort['apply']): StoragePort {
  return {
    backend: inner.backend,
    capabilities: inner.capabilities,
    load: (ids) => inner.load(ids),
    loadEdgeIds: (id) => inner.loadEdgeIds(id),
    ...(inner.loadEdgeIdsSync ? { loadEdgeIdsSync: (id: string) => inner.loadEdgeIdsSync?.(id) ?? [] } : {}),
    ensureRoot: (id, writer) => inner.ensureRoot(id, writer),
    apply,
    scan: (q) => inner.scan(q),
    appendJournal: (e) => inner.appendJournal(e),
    readJournal: (q) => inner.readJournal(q),
    pruneJournal: (r) => inner.pruneJournal(r),
    appendStats: (rows) => inner.appendStats(rows),
    readStats: (q) => inner.readStats(q),
    pruneStats: (r) => inner.pruneStats(r),
    close: () => inner.close(),
  };
}
