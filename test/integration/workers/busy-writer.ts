// A child process hammering one SQLite file with no busy timeout; reports what it acknowledged and what failed.
import { openRepository } from '../../../src/index.ts';

const [url, name, countArg] = process.argv.slice(2) as [string, string, string];
let busyRetries = 0;
const repo = await openRepository({
  url,
  durability: 'normal',
  busyTimeoutMs: 0,
  retry: { retries: 6, minDelayMs: 0, maxDelayMs: 1 },
  observers: [{ onRetry: (e) => e.reason === 'busy' && busyRetries++ }],
});
// Start together (the parent says go once every worker is open): writers that do not overlap meet no busy database.
await new Promise<void>((resolve) => {
  process.once('message', () => resolve());
  process.send?.('ready');
});
const acknowledged: string[] = [];
const failed: Array<{ node: string; code: string }> = [];
for (let i = 0; i < Number(countArg); i++) {
  const s = repo.session({ root: 'busy-root' });
  const root = await s.root();
  const n = s.create('Item', { by: name, i });
  s.connect(root, n);
  try {
    await s.commit();
    acknowledged.push(n.id);
  } catch (error) {
    failed.push({ node: n.id, code: String((error as { code?: unknown }).code) });
  }
}
await repo.close();
process.send?.({ acknowledged, failed, busyRetries });
