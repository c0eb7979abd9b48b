import { SYSTEM_ROOT } from '../../core/row.ts';
import type { Anchor } from '../../repository/anchors.ts';

/**
 * Whether a session acting for `rootId` may change `anchor` (fields, edges, delete): the
 * repository's root-ownership rule — the system root writes everything, a user root only what it
 * owns. The tiered memory asks before staging so a batch is refused whole, not half-staged.
 */
export function mayWrite(rootId: string, anchor: Pick<Anchor, 'root'>): boolean {
  return rootId === SYSTEM_ROOT || anchor.root === rootId;
}
