import { accessSync, constants, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DashboardDocument, dashboardSchema, writeDashboardFiles } from '../../src/metrics/index.ts';
import { tempDir } from '../support/backends.ts';
import { forceKnownConflicts, type KnownConflicts } from '../support/known-conflicts.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ARTIFACTS = join(ROOT, 'test-artifacts');

/** Debian's chromium on PATH (CI installs it, .ci/run); never a downloaded browser. Undefined when absent. */
function findChromium(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, 'chromium');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

const CHROMIUM = findChromium();
const MISSING = 'chromium is not installed (apt-get install -y chromium)';
/** Without a browser the test skips (saying why), so `npm test` passes on a fresh machine; under CI it fails instead. */
const NO_BROWSER = CHROMIUM === undefined;
if (NO_BROWSER && !process.env.CI) console.warn(`skipping the HTML dashboard browser test: ${MISSING}; with CI set it fails`);

/** What the page handed each `new uPlot(opts, data)`, recorded by a wrapper installed before any script runs. */
interface PlottedChart {
  title: string;
  series: Array<{ label: string; stroke: string }>;
  data: Array<Array<number | null>>;
}

/** The little of the browser's DOM the page functions below use (tsconfig has no DOM lib). */
interface Canvas {
  readonly width: number;
  readonly height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
}
interface PageGlobal {
  __charts: PlottedChart[];
  uPlot?: unknown;
  document: { querySelectorAll(selector: string): ArrayLike<unknown> };
}
type ChartOptions = { title: string; series: Array<{ label?: string; stroke?: string }> };
type UplotClass = new (opts: ChartOptions, data: ArrayLike<number | null>[], target: unknown) => unknown;

/**
 * Runs in the page before any of its scripts: the inlined uPlot's `var uPlot = …` assigns
 * through this setter, and the page's `new uPlot(…)` then reaches a wrapper that records what
 * each chart was given.
 */
function recordCharts(): void {
  const g = globalThis as unknown as PageGlobal;
  g.__charts = [];
  let real: UplotClass | undefined;
  function Recording(opts: ChartOptions, data: ArrayLike<number | null>[], target: unknown) {
    g.__charts.push({
      title: opts.title,
      series: opts.series.slice(1).map((s) => ({ label: s.label ?? '', stroke: s.stroke ?? '' })),
      data: data.map((column) => Array.from(column)),
    });
    return new (real as UplotClass)(opts, data, target);
  }
  Object.defineProperty(g, 'uPlot', {
    configurable: true,
    get: () => (real ? Recording : undefined),
    set: (v: UplotClass) => {
      real = v;
    },
  });
}

/** Opaque pixels of each chart canvas, and those in one of its series' stroke colours (±6 a channel, any opacity). */
function countPixels(colours: string[][]): Array<{ opaque: number; stroke: number }> {
  const g = globalThis as unknown as PageGlobal;
  const hex = (c: string) => [1, 3, 5].map((i) => Number.parseInt(c.slice(i, i + 2), 16));
  return Array.from(g.document.querySelectorAll('.chart canvas') as ArrayLike<Canvas>, (c, i) => {
    const rgb = (colours[i] ?? []).map(hex);
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let opaque = 0;
    let stroke = 0;
    for (let p = 0; p < data.length; p += 4) {
      if ((data[p + 3] ?? 0) === 0) continue;
      opaque++;
      const px = [data[p] ?? 0, data[p + 1] ?? 0, data[p + 2] ?? 0];
      if (rgb.some((k) => k.every((v, j) => Math.abs(v - (px[j] ?? 0)) <= 6))) stroke++;
    }
    return { opaque, stroke };
  });
}

if (NO_BROWSER && process.env.CI) {
  it('CI has the chromium the dashboard test needs', () => {
    throw new Error(`${MISSING}: CI must run the HTML dashboard in a browser`);
  });
}

describe.skipIf(NO_BROWSER)('the HTML dashboard in a browser', () => {
  let dir: string;
  let k: KnownConflicts;
  let html: string;
  let doc: DashboardDocument;
  let browser: Browser;

  beforeAll(async () => {
    dir = tempDir();
    const url = `sqlite:${join(dir, 'known.db')}`;
    k = await forceKnownConflicts(url);
    await k.alice.close();
    await k.bob.close();
    mkdirSync(ARTIFACTS, { recursive: true });
    const files = await writeDashboardFiles(url, join(ARTIFACTS, 'metrics'));
    html = files.html;
    doc = dashboardSchema.parse(JSON.parse(readFileSync(files.json, 'utf8')));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('draws every chart and fills the tables from the file alone, with no network', async () => {
    const page = await browser.newPage({ viewport: { width: 1300, height: 1000 }, deviceScaleFactor: 1 });
    const requests: string[] = [];
    const errors: string[] = [];
    await page.route('**/*', (route) => {
      const u = route.request().url();
      if (!u.startsWith('file://')) requests.push(u);
      return u.startsWith('file://') ? route.continue() : route.abort();
    });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(recordCharts);
    await page.goto(`file://${html}`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 10_000 });

    // Each chart was given the document's columns, one point per bucket, and each series has points.
    const charts = await page.evaluate(() => (globalThis as unknown as PageGlobal).__charts);
    const col = (f: (p: DashboardDocument['series'][number]) => number | null) => doc.series.map(f);
    const resolutions = (['rebased', 'merged', 'lww', 'rejected', 'exhausted'] as const).map((r) => col((p) => p.resolutions[r]));
    expect(charts.map((c) => [c.title.split(' ')[0], c.data.slice(1)])).toEqual([
      ['Conflict', [col((p) => p.conflictRatio)]],
      ['Conflicts', [col((p) => p.conflicts), col((p) => p.escaped)]],
      ['p99', [col((p) => p.p99Attempts)]],
      ['p99', [col((p) => p.p99LatencySeconds)]],
      ['Backoff', [col((p) => p.backoffShare)]],
      ['Resolution', resolutions],
      ['Commits', [col((p) => p.commits)]],
    ]);
    expect(doc.series.length).toBeGreaterThan(0);
    for (const chart of charts) {
      expect(chart.data[0], chart.title).toEqual(doc.series.map((p) => p.start / 1000));
      chart.series.forEach((s, i) => {
        const points = (chart.data[i + 1] ?? []).filter((y) => typeof y === 'number' && Number.isFinite(y));
        expect(points.length, `${chart.title}: ${s.label} has no point to plot`).toBeGreaterThan(0);
      });
    }
    // The known races: 11 commits, 5 conflicts (2 escaped), whichever buckets they fell in.
    const total = (ys: Array<number | null> | undefined) => (ys ?? []).reduce((a: number, b) => a + (b ?? 0), 0);
    expect([total(charts[6]?.data[1]), total(charts[1]?.data[1]), total(charts[1]?.data[2])]).toEqual([11, 5, 2]);

    // And drew them: each canvas has pixels in its series' stroke colours, not only axes and grid.
    const pixels = await page.evaluate(
      countPixels,
      charts.map((c) => c.series.map((s) => s.stroke)),
    );
    expect(pixels).toHaveLength(7);
    for (const [i, p] of pixels.entries()) {
      expect(p.opaque, charts[i]?.title).toBeGreaterThan(500);
      expect(p.stroke, `${charts[i]?.title}: pixels in its series colours`).toBeGreaterThanOrEqual(8);
    }

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
