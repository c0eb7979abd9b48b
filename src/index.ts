export type { ConflictEvent } from './core/commit-plan.ts';
export type { BucketCounts, CommitStats } from './core/commit-stats.ts';
export {
  AccessDeniedError,
  AnchorageError,
  type ConflictCode,
  ConflictError,
  type ErrorCode,
  hasCode,
  NotFoundError,
  StorageError,
  ValidationError,
} from './core/errors.ts';
export type { EndpointBase, JournalEntry } from './core/journal.ts';
export type { Json } from './core/json.ts';
export type { FieldMergeFn, FieldPolicy, PolicyTable } from './core/merge-policy.ts';
export { type AnchorRow, type EdgeRow, type Fields, type NodeRow, SYSTEM_ROOT } from './core/row.ts';
export type { Ordering, VersionVector } from './core/version-vector.ts';
export type { NewAnchor, WriteReceipt, WriteResult, WriteSet, WrittenRow } from './core/write-set.ts';
export type { Anchor, EdgeAnchor, NodeAnchor } from './repository/anchors.ts';
export type { AttemptEvent, CommitEvent, ConflictReport, RepositoryObserver, RetryEvent } from './repository/observer.ts';
export { openRepository } from './repository/open-repository.ts';
export type { RepositoryOptions } from './repository/options.ts';
export { Repository, type SessionOptions, type TransactionOptions } from './repository/repository.ts';
export type { RetryConfig } from './repository/retry-policy.ts';
export { Session, type SessionMode } from './repository/session.ts';
export type { ConnectOptions, ListOptions, ListPage, NeighborsOptions } from './repository/session-options.ts';
export * as versionVectors from './repository/version-vectors.ts';
export type {
  JournalQuery,
  JournalRetention,
  LoadedRow,
  RebaseInPlace,
  ScanQuery,
  StorageCapabilities,
  StoragePort,
} from './storage/storage-port.ts';
