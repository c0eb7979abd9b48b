/**
 * The script of the HTML dashboard, run in the browser after uPlot: it reads the embedded
 * document (`#anchorage-data`) and draws tiles, charts over time and tables. Plain ES2020 with no
 * imports, because the page must open from disk with no network.
 */
export const DASHBOARD_CLIENT_JS = `
(function () {
  'use strict';
  var doc = JSON.parse(document.getElementById('anchorage-data').textContent);
  var COLORS = { rebased: '#2f7ed8', merged: '#43a047', lww: '#f9a825', rejected: '#e53935', exhausted: '#8e24aa' };

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.append(c instanceof Node ? c : document.createTextNode(String(c))); });
    return node;
  }
  function num(v) { return v == null ? '–' : Number(v).toLocaleString('en-US', { maximumFractionDigits: 2 }); }
  function pct(v) { return v == null ? '–' : (v * 100).toFixed(v < 0.1 ? 2 : 1) + '%'; }
  function secs(v) { return v == null ? '–' : v < 1 ? (v * 1000).toFixed(v < 0.01 ? 2 : 1) + ' ms' : v.toFixed(2) + ' s'; }
  function shortId(id) { return id.length > 12 ? id.slice(0, 8) + '…' : id; }

  var t = doc.totals;
  var tiles = [
    ['commits', num(t.commits.total), num(t.commits.committed) + ' committed'],
    ['conflict ratio', pct(t.conflictRatio), num(t.casAttempts.conflict) + ' of ' + num(t.casAttempts.total) + ' CAS attempts'],
    ['conflicts', num(t.conflicts.total), num(t.conflicts.byKind.edge) + ' edge · ' + num(t.conflicts.byKind.field) + ' field · ' + num(t.conflicts.byKind.delete) + ' delete'],
    ['escaped', num(t.conflicts.escaped), num(t.conflicts.byResolution.rejected) + ' rejected · ' + num(t.conflicts.byResolution.exhausted) + ' exhausted'],
    ['p99 attempts', num(doc.commitAttempts.p99), 'p50 ' + num(doc.commitAttempts.p50)],
    ['p99 commit latency', secs(doc.commitLatencySeconds.p99), 'p50 ' + secs(doc.commitLatencySeconds.p50)],
    ['backoff share', pct(t.backoffShare), secs(t.retryBackoffSeconds) + ' of ' + secs(t.commitSeconds)],
  ];
  var tileBox = document.getElementById('tiles');
  tiles.forEach(function (tile) {
    tileBox.append(el('div', { class: 'tile' }, [el('div', { class: 'k' }, [tile[0]]), el('div', { class: 'v' }, [tile[1]]), el('div', { class: 's' }, [tile[2]])]));
  });

  var xs = doc.series.map(function (p) { return p.start / 1000; });
  // The whole export range, so one bucket does not stretch the time axis over years.
  var xMin = xs.length ? xs[0] : Date.now() / 1000;
  var xMax = (xs.length ? xs[xs.length - 1] : xMin) + doc.bucketMs / 1000;
  function col(f) { return doc.series.map(f); }
  function chart(title, series, fmt) {
    var box = el('div', { class: 'chart', 'data-title': title }, []);
    document.getElementById('charts').append(box);
    var width = Math.max(320, Math.min(600, box.clientWidth || 560));
    new uPlot({
      title: title,
      width: width,
      height: 220,
      scales: {
        x: { time: true, range: function () { return [xMin, xMax]; } },
        y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.15 : 1]; } },
      },
      series: [{}].concat(series.map(function (s) {
        return { label: s.label, stroke: s.color, fill: s.color + '22', width: 2, points: { show: true, size: 5 }, spanGaps: false, value: function (u, v) { return fmt(v); } };
      })),
      axes: [{}, { size: 70, values: function (u, vals) { return vals.map(fmt); } }],
    }, [xs].concat(series.map(function (s) { return s.values; })), box);
  }
  chart('Conflict ratio (CAS attempts that met a conflict)', [{ label: 'ratio', color: '#e53935', values: col(function (p) { return p.conflictRatio; }) }], pct);
  chart('Conflicts and escaped conflicts per bucket', [
    { label: 'conflicts', color: '#2f7ed8', values: col(function (p) { return p.conflicts; }) },
    { label: 'escaped', color: '#e53935', values: col(function (p) { return p.escaped; }) },
  ], num);
  chart('p99 attempts per commit', [{ label: 'p99', color: '#8e24aa', values: col(function (p) { return p.p99Attempts; }) }], num);
  chart('p99 commit latency', [{ label: 'p99', color: '#f57c00', values: col(function (p) { return p.p99LatencySeconds; }) }], secs);
  chart('Backoff share of commit time', [{ label: 'share', color: '#00897b', values: col(function (p) { return p.backoffShare; }) }], pct);
  chart('Resolution breakdown per bucket', Object.keys(COLORS).map(function (r) {
    return { label: r, color: COLORS[r], values: col(function (p) { return p.resolutions[r]; }) };
  }), num);
  chart('Commits per bucket', [{ label: 'commits', color: '#546e7a', values: col(function (p) { return p.commits; }) }], num);

  function table(id, head, rows) {
    var body = rows.length ? rows : [[el('td', { colspan: String(head.length), class: 'empty' }, ['none'])]];
    document.getElementById(id).append(el('table', {}, [
      el('thead', {}, [el('tr', {}, head.map(function (h) { return el('th', {}, [h]); }))]),
      el('tbody', {}, body.map(function (r) { return el('tr', {}, r.map(function (c) { return c instanceof Node ? c : el('td', {}, [c]); })); })),
    ]));
  }
  table('hot-anchors', ['anchor', 'type', 'conflicts', 'edge', 'field', 'delete'], doc.hotAnchors.map(function (a) {
    return [el('td', { class: 'id', title: a.anchorId }, [a.anchorId]), a.type, num(a.count), num(a.kinds.edge), num(a.kinds.field), num(a.kinds.delete)];
  }));
  table('hot-types', ['type', 'conflicts'], doc.hotTypes.map(function (h) { return [h.type, num(h.count)]; }));
  table('resolutions', ['kind', 'resolution', 'conflicts'], doc.resolutionBreakdown.map(function (r) {
    return [r.kind, el('td', {}, [el('span', { class: 'dot', style: 'background:' + COLORS[r.resolution] }, []), r.resolution]), num(r.count)];
  }));

  var m = doc.writerPairs;
  var max = 1;
  m.counts.forEach(function (row) { row.forEach(function (n) { if (n > max) max = n; }); });
  table('writer-matrix', ['met conflict ↓ / raced →'].concat(m.writers.map(shortId)), m.writers.map(function (w, i) {
    return [el('th', { title: w }, [shortId(w)])].concat(m.counts[i].map(function (n) {
      return el('td', { class: 'cell', style: 'background: rgba(229,57,53,' + (n / max * 0.85).toFixed(3) + ')' }, [n ? num(n) : '']);
    }));
  }));
  document.body.setAttribute('data-ready', 'true');
})();
`;
