import { StorageError } from '../core/errors.ts';
import type { AnchorRow } from '../core/row.ts';

/** An `anchors` row as the driver returns it (JSON still text). */
export interface StoredRecord {
  id: string;
  kind: string;
  type: string;
  root: string;
  fields: string;
  source: string | null;
  target: string | null;
  version: number;
  vv: string;
}

function isRecordObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses one stored row; a row that no longer parses is a StorageError naming the anchor. */
export function parseRow(rec: StoredRecord): AnchorRow {
  let fields: unknown;
  let vv: unknown;
  try {
    fields = JSON.parse(rec.fields);
    vv = JSON.parse(rec.vv);
  } catch (cause) {
    throw new StorageError(`anchor ${rec.id} is corrupt: its stored JSON does not parse`, {
      cause,
      context: { anchorId: rec.id },
    });
  }
  const shapeOk =
    isRecordObject(fields) &&
    isRecordObject(vv) &&
    (rec.kind === 'node' || (rec.kind === 'edge' && rec.source !== null && rec.target !== null));
  if (!shapeOk) {
    throw new StorageError(`anchor ${rec.id} is corrupt: its stored shape is wrong`, { context: { anchorId: rec.id } });
  }
  const base = {
    id: rec.id,
    type: rec.type,
    root: rec.root,
    fields: fields as AnchorRow['fields'],
    version: rec.version,
    vv: vv as AnchorRow['vv'],
  };
  return rec.kind === 'node'
    ? { kind: 'node', ...base }
    : { kind: 'edge', ...base, source: rec.source as string, target: rec.target as string };
}
