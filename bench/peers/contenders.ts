import { mikroOrm } from './mikro-orm.ts';
import { typeorm } from './typeorm.ts';

/** ORM peers: what a user might pick instead (installed apart: `npm ci` in bench/peers). */
export const contenders = [typeorm, mikroOrm];
