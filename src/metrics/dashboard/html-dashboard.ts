import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { NotFoundError } from '../../core/errors.ts';
import type { DashboardDocument } from './dashboard-schema.ts';
import { DASHBOARD_CLIENT_JS } from './html-client.ts';

export interface ChartAssets {
  readonly js: string;
  readonly css: string;
}

/** uPlot's browser build and stylesheet, read from the installed package, to inline in the page. */
export function loadUplotAssets(): ChartAssets {
  const require = createRequire(import.meta.url);
  try {
    return {
      js: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
      css: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
    };
  } catch (cause) {
    throw new NotFoundError('the HTML dashboard needs the uplot package (npm install uplot)', { cause });
  }
}

/** Text safe inside a `<script>` element: `<` can never open `</script>` or `<!--`. */
const inScript = (text: string) => text.replaceAll('<', '\\u003c');
/** A library's source inside `<script>`: `</script` would end the element early. */
const scriptSource = (js: string) => js.replaceAll('</script', '<\\/script');
const escapeHtml = (s: string) =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');

const STYLE = `
  body { font: 14px/1.4 system-ui, sans-serif; margin: 24px; color: #1d2329; background: #f6f7f9; }
  h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 15px; margin: 28px 0 8px; }
  .meta { color: #5b6670; margin-bottom: 16px; }
  #tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 10px; }
  .tile { background: #fff; border-radius: 8px; padding: 10px 12px; box-shadow: 0 1px 2px #0001; }
  .tile .k { color: #5b6670; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
  .tile .v { font-size: 24px; font-weight: 600; } .tile .s { color: #5b6670; font-size: 12px; }
  #charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(600px, 1fr)); gap: 12px; margin-top: 16px; }
  .chart { background: #fff; border-radius: 8px; padding: 8px; box-shadow: 0 1px 2px #0001; }
  .tables { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 0 24px; }
  table { border-collapse: collapse; background: #fff; box-shadow: 0 1px 2px #0001; width: 100%; }
  th, td { padding: 4px 8px; border-bottom: 1px solid #e4e7ea; text-align: left; font-variant-numeric: tabular-nums; }
  th { background: #eef0f3; font-weight: 600; } td.id { font-family: ui-monospace, monospace; font-size: 12px; }
  td.cell { text-align: center; min-width: 40px; } td.empty { color: #8a949c; font-style: italic; }
  .dot { display: inline-block; width: 9px; height: 9px; border-radius: 50%; margin-right: 6px; }
`;

/**
 * One self-contained HTML page (no network needed): tiles, charts over time (uPlot, inlined),
 * the hot-anchor, hot-type and resolution tables and the writer-pair matrix, drawn in the
 * browser from the embedded document.
 */
export function renderDashboardHtml(doc: DashboardDocument, assets: ChartAssets = loadUplotAssets()): string {
  const range = [doc.range.first, doc.range.last].map((t) => (t === null ? '–' : new Date(t).toISOString())).join(' → ');
  const meta = `${doc.backend} · ${doc.writers} writer(s) · ${range} · buckets of ${doc.bucketMs / 1000} s · generated ${doc.generatedAt}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>anchorage — conflicts</title>
<style>${assets.css}</style>
<style>${STYLE}</style>
</head>
<body>
<h1>anchorage — conflicts</h1>
<div class="meta">${escapeHtml(meta)}</div>
<div id="tiles"></div>
<div id="charts"></div>
<div class="tables">
  <section><h2>Hot anchors</h2><div id="hot-anchors"></div></section>
  <section><h2>Writer pairs</h2><div id="writer-matrix"></div></section>
  <section><h2>Hot types</h2><div id="hot-types"></div></section>
  <section><h2>Resolutions</h2><div id="resolutions"></div></section>
</div>
<script type="application/json" id="anchorage-data">${inScript(JSON.stringify(doc))}</script>
<script>${scriptSource(assets.js)}</script>
<script>${DASHBOARD_CLIENT_JS}</script>
</body>
</html>
`;
}
