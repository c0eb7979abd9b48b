import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDashboardFiles } from '../../src/metrics/index.ts';
import { tempDir } from '../support/backends.ts';
import { forceKnownConflicts, type KnownConflicts } from '../support/known-conflicts.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ARTIFACTS = join(ROOT, 'test-artifacts');

/** Debian's chromium; CI installs it (.ci/run). Never a downloaded browser. */
function chromiumPath(): string {
  try {
    return execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('chromium is not installed: apt-get install -y chromium');
  }
}

describe('the HTML dashboard in a browser', () => {
  let dir: string;
  let k: KnownConflicts;
  let html: string;
  let browser: Browser;

  beforeAll(async () => {
    dir = tempDir();
    const url = `sqlite:${join(dir, 'known.db')}`;
    k = await forceKnownConflicts(url);
    await k.alice.close();
    await k.bob.close();
    mkdirSync(ARTIFACTS, { recursive: true });
    html = (await writeDashboardFiles(url, join(ARTIFACTS, 'metrics'))).html;
    browser = await chromium.launch({
      executablePath: chromiumPath(),
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('draws every chart and fills the tables from the file alone, with no network', async () => {
    const page = await browser.newPage({ viewport: { width: 1300, height: 1000 } });
    const requests: string[] = [];
    const errors: string[] = [];
    await page.route('**/*', (route) => {
      const u = route.request().url();
      if (!u.startsWith('file://')) requests.push(u);
      return u.startsWith('file://') ? route.continue() : route.abort();
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`file://${html}`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 10_000 });

    // A canvas uPlot drew on has opaque pixels; a blank one has none.
    const inked = await page.$$eval('.chart canvas', (canvases) =>
      canvases.map((node) => {
        const c = node as unknown as {
          width: number;
          height: number;
          getContext(k: '2d'): { getImageData(...a: number[]): { data: Uint8ClampedArray } };
        };
        const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
        let n = 0;
        for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) n++;
        return n;
      }),
    );
    expect(inked).toHaveLength(7);
    for (const n of inked) expect(n).toBeGreaterThan(500);

    const hot = await page.$$eval('#hot-anchors tbody tr', (rows) =>
      rows.map((r) =>
        Array.from((r as unknown as { children: ArrayLike<{ textContent: string }> }).children, (td) => td.textContent),
      ),
    );
    expect(hot.map((r) => r[0])).toEqual([k.ids.status, ...[k.ids.doomed, k.ids.edges, k.ids.title].sort()]);
    expect(hot[0]?.slice(1, 3)).toEqual(['Doc', '2']);
    const matrix = await page.$$eval('#writer-matrix tbody tr', (rows) => rows.length);
    expect(matrix).toBe(2);
    const tiles = await page.$$eval('.tile .v', (v) => v.map((n) => n.textContent));
    expect(tiles.slice(0, 4)).toEqual(['11', '30.8%', '5', '2']);

    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
    await page.close();
  });
});
