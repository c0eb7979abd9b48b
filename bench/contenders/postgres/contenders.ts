import { anchoragePg } from '../anchorage.ts';
import { immediatePg } from './immediate-pg.ts';
import { naivePg } from './naive-pg.ts';
import { rawPg } from './raw-pg.ts';

/** The contenders of workloads 1–3 on PostgreSQL (`--db`): the limit, the library, the lock, the bug. */
export const contenders = [rawPg, anchoragePg, immediatePg, naivePg];
