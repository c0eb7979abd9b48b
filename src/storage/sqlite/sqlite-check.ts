import type Database from 'better-sqlite3';
import type { CheckReport, Finding } from '../../check/finding.ts';
import { REPAIRABLE } from '../../check/finding.ts';
import type { AnchorRow } from '../../core/row.ts';
import { total } from '../../core/version-vector.ts';
import { parseRow, type StoredRecord } from '../parse-row.ts';

/** The writer id repairs are counted under in version vectors. */
export const REPAIR_WRITER = 'anchorage-check';

interface Ref {
  node_id: string;
  edge_id: string;
}

function inspect(db: Database.Database): { findings: Finding[]; anchors: number; edgeIds: number } {
  const findings: Finding[] = [];
  const rows = new Map<string, AnchorRow>();
  const records = db.prepare('SELECT * FROM anchors').all() as StoredRecord[];
  for (const rec of records) {
    try {
      rows.set(rec.id, parseRow(rec));
    } catch (error) {
      findings.push({ kind: 'corrupt_row', anchorId: rec.id, detail: (error as Error).message });
    }
  }
  const refs = db.prepare('SELECT node_id, edge_id FROM edge_refs ORDER BY seq').all() as Ref[];
  const refSet = new Set(refs.map((r) => `${r.node_id}\u0000${r.edge_id}`));
  const adjacency = new Map<string, string[]>();

  for (const { node_id: node, edge_id: edgeId } of refs) {
    const edge = rows.get(edgeId);
    if (edge?.kind !== 'edge' || (edge.source !== node && edge.target !== node) || !rows.has(node)) {
      findings.push({
        kind: 'dangling_edge_id',
        anchorId: node,
        relatedId: edgeId,
        detail: `edge id ${edgeId} at ${node} does not resolve to an edge of it`,
      });
    }
  }
  for (const row of rows.values()) {
    if (total(row.vv) !== row.version) {
      findings.push({
        kind: 'vv_mismatch',
        anchorId: row.id,
        detail: `version ${row.version}, version vector adds up to ${total(row.vv)}`,
      });
    }
    if (row.kind !== 'edge') continue;
    const ends = [row.source, row.target];
    const missing = ends.filter((end) => rows.get(end)?.kind !== 'node');
    if (missing.length > 0) {
      findings.push({
        kind: 'edge_missing_endpoint',
        anchorId: row.id,
        relatedId: missing[0],
        detail: `endpoint ${missing.join(', ')} is gone`,
      });
      continue;
    }
    for (const end of ends) {
      (adjacency.get(end) ?? adjacency.set(end, []).get(end))?.push(row.source === end ? row.target : row.source);
      if (!refSet.has(`${end}\u0000${row.id}`)) {
        findings.push({
          kind: 'missing_edge_id',
          anchorId: end,
          relatedId: row.id,
          detail: `edge ${row.id} is not listed at its endpoint ${end}`,
        });
      }
    }
  }
  // Reachability over edges (either direction) from every root node.
  const seen = new Set<string>();
  const queue = [...rows.values()].filter((r) => r.kind === 'node' && r.root === r.id).map((r) => r.id);
  for (const id of queue) seen.add(id);
  while (queue.length > 0) {
    for (const next of adjacency.get(queue.pop() as string) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  for (const row of rows.values()) {
    if (row.kind === 'node' && !seen.has(row.id))
      findings.push({ kind: 'orphan_node', anchorId: row.id, detail: `${row.type} ${row.id} is reachable from no root` });
  }
  return { findings, anchors: records.length, edgeIds: refs.length };
}

function repair(db: Database.Database, findings: readonly Finding[], now: number): string[] {
  const done: string[] = [];
  const bumpVv = `json_set(vv, '$."${REPAIR_WRITER}"', coalesce(json_extract(vv, '$."${REPAIR_WRITER}"'), 0) + 1)`;
  const bump = db.prepare(`UPDATE anchors SET version = version + 1, vv = ${bumpVv} WHERE id = ?`);
  const dropRef = db.prepare('DELETE FROM edge_refs WHERE node_id = ? AND edge_id = ?');
  const nodesOfEdge = db.prepare('SELECT node_id FROM edge_refs WHERE edge_id = ?');
  const dropRow = (id: string) => {
    for (const { node_id } of nodesOfEdge.all(id) as Array<{ node_id: string }>) {
      dropRef.run(node_id, id);
      bump.run(node_id);
    }
    db.prepare('DELETE FROM edge_refs WHERE node_id = ?').run(id);
    db.prepare('DELETE FROM anchors WHERE id = ?').run(id);
  };
  for (const f of findings) {
    if (!REPAIRABLE.has(f.kind)) continue;
    if (f.kind === 'corrupt_row') {
      const raw = db.prepare('SELECT * FROM anchors WHERE id = ?').get(f.anchorId);
      if (!raw) continue;
      db.prepare('INSERT INTO quarantine (anchor_id, record, reason, at) VALUES (?, ?, ?, ?)').run(
        f.anchorId,
        JSON.stringify(raw),
        f.detail,
        now,
      );
      dropRow(f.anchorId);
      done.push(`quarantined corrupt row ${f.anchorId} (and removed its edge ids)`);
    } else if (f.kind === 'dangling_edge_id' && f.relatedId) {
      if (dropRef.run(f.anchorId, f.relatedId).changes > 0) bump.run(f.anchorId);
      done.push(`removed dangling edge id ${f.relatedId} from ${f.anchorId}`);
    } else if (f.kind === 'edge_missing_endpoint') {
      dropRow(f.anchorId);
      done.push(`removed edge ${f.anchorId}, whose endpoint ${f.relatedId} is gone`);
    } else if (f.kind === 'missing_edge_id' && f.relatedId) {
      db.prepare('INSERT OR IGNORE INTO edge_refs (node_id, edge_id) VALUES (?, ?)').run(f.anchorId, f.relatedId);
      bump.run(f.anchorId);
      done.push(`listed edge ${f.relatedId} at its endpoint ${f.anchorId}`);
    }
  }
  return done;
}

/**
 * Checks the whole database (fsck). With `repair`, fixes what is safe in one write transaction
 * — corrupt rows go to the `quarantine` table, dangling ids go — then checks again.
 */
export function checkSqlite(db: Database.Database, options: { repair: boolean; now: number }): CheckReport {
  let report = inspect(db);
  const repaired: string[] = [];
  // A repair can expose another (a quarantined node leaves its edges without an endpoint).
  for (let pass = 0; options.repair && pass < 4 && report.findings.some((f) => REPAIRABLE.has(f.kind)); pass++) {
    const findings = report.findings;
    repaired.push(...db.transaction(() => repair(db, findings, options.now)).immediate());
    report = inspect(db);
  }
  return { ...report, repaired };
}
