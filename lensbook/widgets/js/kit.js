// lensbook widget kit: Python puts this in front of every view's module, so each view is one self-contained ES
// module (no CDN, no import at render). Text from a tokenizer only ever reaches the page through text nodes
// (`h` appends strings with `append`, never innerHTML), so markup in a token is shown, not run.

function h(tag, props = {}, ...children) {
  const e = document.createElementNS(tag.startsWith('svg:') ? 'http://www.w3.org/2000/svg' : 'http://www.w3.org/1999/xhtml',
                                     tag.replace('svg:', ''));
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.setAttribute('class', v);
    else if (k === 'style') e.style.cssText = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children.flat(Infinity)) if (c !== null && c !== undefined && c !== false) e.append(c);
  return e;
}

// Colour maps: `CMAPS` (written in front of this kit by js_module from lensbook.results.CMAPS, the one definition)
// maps t in [0, 1] to a css colour, linearly between the stops, exactly as lensbook.results.colour does.
const BLANK = '#f3f3f3';
function cmap(name, t) {
  if (t === null || !Number.isFinite(t)) return BLANK;
  const s = CMAPS[name];
  t = Math.min(1, Math.max(0, t)) * (s.length - 1);
  const i = Math.min(Math.floor(t), s.length - 2), f = t - i, a = s[i], b = s[i + 1];
  return `rgb(${a.map((x, j) => Math.round(x + f * (b[j] - x))).join(',')})`;
}
// `rev` flips it (low = bright, for entropy, KL, rank).
function viridis(t, rev = false) { return cmap('viridis', rev ? 1 - t : t); }
// Signed values scaled to [-1, 1]: blue (negative), white (0), red (positive).
function diverging(t) { return cmap('diverging', (t + 1) / 2); }
// A text colour that reads on the colour of t (as lensbook.results.ink: by luminance).
function ink(t, rev = false, name = 'viridis') {
  if (!Number.isFinite(t)) return '#111';
  const [r, g, b] = cmap(name, rev ? 1 - t : t).match(/\d+/g).map(Number);
  return 0.299 * r + 0.587 * g + 0.114 * b > 140 ? '#111' : '#fff';
}
const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
function range(xs) {
  let lo = Infinity, hi = -Infinity;
  for (const x of xs) if (Number.isFinite(x)) { if (x < lo) lo = x; if (x > hi) hi = x; }
  return lo === Infinity ? [0, 1] : lo === hi ? [lo, lo + 1e-9] : [lo, hi];
}
const WS = {' ': '␣', '\n': '⏎', '\t': '⇥', '\r': '␍'};
function tok(s, limit = 14) {  // a token as a readable label, as lensbook.plot.show_token
  s = Array.from(String(s)).map(c => WS[c] ?? (c < ' ' ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : c)).join('');
  return s.length <= limit ? s : s.slice(0, limit - 1) + '…';
}
function fmt(x, d = 3) { return Number.isFinite(x) ? Number(x).toFixed(d) : '–'; }
function bytes(v) {  // a Bytes trait arrives as a DataView
  return v instanceof DataView ? new Uint8Array(v.buffer, v.byteOffset, v.byteLength) : new Uint8Array(v || []);
}
function floats(v) {  // float32 little-endian Bytes -> Float32Array (copied: the DataView may be unaligned)
  const b = bytes(v); return new Float32Array(b.slice().buffer);
}

// The frame every view shares: a title bar with a busy dot, an error line, a controls row and a body.
// Every redraw goes through `drawn()`, which counts draws on the root and announces them (tests and the
// latency benchmark wait on `lensbook:draw`).
function frame(model, el, title) {
  const busy = h('span', {class: 'lb-busy', title: 'running the model'});
  const error = h('div', {class: 'lb-error', role: 'alert'});
  const controls = h('div', {class: 'lb-controls'});
  const body = h('div', {class: 'lb-body'});
  const root = h('div', {class: 'lb-view'}, h('div', {class: 'lb-title'}, h('span', {text: title}), busy), error, controls, body);
  root.dataset.draws = '0';
  root.prepend(h('style', {text: KIT_CSS}));
  const sync = () => {
    busy.style.visibility = model.get('busy') ? 'visible' : 'hidden';
    error.textContent = model.get('error') || '';
    error.style.display = model.get('error') ? 'block' : 'none';
    root.dataset.busy = model.get('busy') ? '1' : '0';
  };
  model.on('change:busy', sync); model.on('change:error', sync); sync();
  el.append(root);
  const drawn = () => {
    root.dataset.draws = String(Number(root.dataset.draws) + 1);
    root.dispatchEvent(new CustomEvent('lensbook:draw', {bubbles: true, detail: {t: performance.now()}}));
  };
  return {root, body, controls, drawn};
}

// A labelled <select> bound to an Int or Unicode trait: setting the trait fires `change:name` in the page (the view
// redraws from there) and the kernel hears of it too. Make it once per view: `setOptions` changes its choices later
// (a select made in every draw would leave one trait listener behind each time).
function select(model, name, label, options, onchange) {
  const s = h('select', {class: 'lb-select', 'data-trait': name});
  const isNum = typeof model.get(name) === 'number';
  const setOptions = opts => {
    s.replaceChildren(...opts.map(([value, text]) => h('option', {value: String(value)}, String(text))));
    s.value = String(model.get(name));
  };
  setOptions(options);
  s.addEventListener('change', () => {
    model.set(name, isNum ? Number(s.value) : s.value); model.save_changes(); if (onchange) onchange();
  });
  model.on(`change:${name}`, () => { if (s.value !== String(model.get(name))) s.value = String(model.get(name)); });
  const box = h('label', {class: 'lb-label'}, label + ' ', s);
  box.setOptions = setOptions;
  return box;
}

// `fn` once per turn of the event loop however often it is asked for: one message that changes several traits
// fires one change event each, and the view should draw once.
function coalesce(fn) {
  let queued = false;
  return () => { if (!queued) { queued = true; queueMicrotask(() => { queued = false; fn(); }); } };
}

// The prompt box of a view that can re-run the model (`live`): Enter or the button sends `prompt` to the kernel.
function promptBox(model) {
  const input = h('input', {type: 'text', class: 'lb-prompt', size: 48, 'data-trait': 'prompt'});
  input.value = model.get('prompt');
  const send = () => { model.set('prompt', input.value); model.save_changes(); };
  input.addEventListener('keydown', e => { if (e.key === 'Enter') send(); });
  model.on('change:prompt', () => { if (document.activeElement !== input) input.value = model.get('prompt'); });
  const box = h('span', {class: 'lb-label'}, 'prompt ', input, h('button', {class: 'lb-run', onclick: send}, 'run'));
  box.style.display = model.get('live') ? '' : 'none';
  return box;
}

function debounce(fn, ms) {
  let timer = null;
  return (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
}

// A top-k table: rows of [token, p] with a bar each; `ref` (rows of another distribution) adds a Δp column.
function topkTable(rows, {ref = null, head = null, width = 80} = {}) {
  const base = ref ? Object.fromEntries(ref.map(([t, p]) => [t, p])) : null;
  const delta = (t, p) => p - (base[t] ?? 0);
  return h('table', {class: 'lb-table'},
    head ? h('tr', {}, h('th', {class: 'lb-tok'}, head), h('th', {}, 'p'), h('th', {}), base ? h('th', {}, 'Δp') : '') : '',
    (rows || []).map(([t, p]) => h('tr', {}, h('td', {class: 'lb-tok'}, tok(t, 16)), h('td', {}, fmt(p, 3)),
      h('td', {}, h('span', {class: 'lb-bar', style: `width:${Math.round(width * p)}px`})),
      base ? h('td', {style: `color:${delta(t, p) >= 0 ? '#2a7a2a' : '#a40000'}`}, (delta(t, p) >= 0 ? '+' : '') + fmt(delta(t, p), 3)) : '')));
}
// A named distribution: a title over its top-k table (class lb-dist lb-dist-NAME).
function dist(name, rows, opts = {}) {
  return h('div', {class: `lb-dist lb-dist-${name}`}, h('div', {style: 'font-weight:600'}, name), topkTable(rows, opts));
}

// A clickable grid of R x C cells, first row at the bottom (layer 0 at the bottom). `cell(i, j)` gives
// {text, x (position on the colour map, in [0, 1]), title, rev}; `onclick(i, j)`; `sel` = [i, j] outlined;
// `data` names the two data-* attributes of each cell (e.g. ['layer', 'pos']); the column labels go `headAt` the
// 'bottom' or the 'top'; `label(c)` writes a column label.
function grid({cls, rows, cols, corner = '', cell, onclick, onhover, sel = [-1, -1], data = ['row', 'col'], headAt = 'bottom',
               label = c => tok(c, 8)}) {
  const body = rows.map((r, i) => h('tr', {}, h('th', {}, String(r)), cols.map((_, j) => {
    const c = cell(i, j);
    const td = h('td', {style: `background:${viridis(c.x, c.rev)};color:${ink(c.x, c.rev)}`, title: c.title,
                        [`data-${data[0]}`]: i, [`data-${data[1]}`]: j, class: i === sel[0] && j === sel[1] ? 'lb-sel' : ''}, c.text);
    if (onclick) td.addEventListener('click', () => onclick(i, j));
    if (onhover) td.addEventListener('mouseenter', () => onhover(i, j));
    return td;
  }))).reverse();
  const head = h('tr', {}, h('th', {}, corner), cols.map(c => h('th', {class: 'lb-tok', title: String(c)}, label(c))));
  return h('table', {class: `lb-grid ${cls}`}, headAt === 'top' ? [head, body] : [body, head]);
}

// An SVG line chart of `series` ([{values, label, cls}], one value per x index, coloured from PALETTE) with a legend;
// `lo`/`hi` fix the y range. Returns {svg, x, y, n, box} so a view can add marks (chance, chosen layer).
function lineChart({cls, series, n, width = 300, height = 130, pad = [10, 10, 30, 40], lo = null, hi = null, xlabel = ''}) {
  const [pt, pr, pb, pl] = pad;
  let [vlo, vhi] = range(series.flatMap(s => s.values));
  vlo = lo ?? vlo; vhi = hi ?? vhi; if (!(vhi > vlo)) vhi = vlo + 1;
  const x = i => pl + i * (width - pl - pr) / Math.max(1, n - 1), y = v => pt + (vhi - v) / (vhi - vlo) * (height - pt - pb);
  const svg = h('svg:svg', {width, height, class: cls});
  const text = (t, xx, yy, style) => { const e = h('svg:text', {x: xx, y: yy, style: style || 'font:10px sans-serif;fill:#444'}); e.textContent = t; return e; };
  for (const v of [vlo, (vlo + vhi) / 2, vhi]) svg.append(h('svg:line', {x1: pl, x2: width - pr, y1: y(v), y2: y(v), stroke: '#eee'}), text(fmt(v, 2), 2, y(v) + 3));
  series.forEach((s, c) => {
    const pts = s.values.map((v, i) => [v, i]).filter(([v]) => Number.isFinite(v));
    const d = pts.map(([v, i], k) => `${k ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join('');
    svg.append(h('svg:path', {d, fill: 'none', stroke: PALETTE[c % PALETTE.length], 'stroke-width': 1.5, class: s.cls}),
               text(s.label, width - pr - 150, pt + 12 + 13 * c, `font:11px sans-serif;fill:${PALETTE[c % PALETTE.length]}`));
  });
  if (xlabel) svg.append(text(xlabel, pl, height - 6));
  return {svg, x, y, n, text, box: [pl, pt, width - pl - pr, height - pt - pb]};
}

const KIT_CSS = `
.lb-view { font: 12px/1.35 var(--jp-ui-font-family, system-ui, sans-serif); color: var(--jp-ui-font-color1, #222);
  border: 1px solid var(--jp-border-color2, #ddd); border-radius: 4px; padding: 6px 8px; max-width: 100%; overflow: auto; }
.lb-title { font-weight: 600; margin-bottom: 4px; display: flex; gap: 8px; align-items: center; }
.lb-busy { width: 8px; height: 8px; border-radius: 50%; background: #e8a317; visibility: hidden; }
.lb-error { display: none; color: #a40000; background: #fdecea; border: 1px solid #f5c2c0; padding: 4px 6px;
  margin: 4px 0; white-space: pre-wrap; font-family: var(--jp-code-font-family, monospace); }
.lb-controls { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin: 4px 0 6px; }
.lb-label { white-space: nowrap; }
.lb-prompt { font: 12px var(--jp-code-font-family, monospace); }
.lb-note { color: #666; font-style: italic; margin: 4px 0; }
.lb-tok { font-family: var(--jp-code-font-family, monospace); white-space: pre; }
.lb-table { border-collapse: collapse; }
.lb-table td, .lb-table th { padding: 1px 5px; text-align: right; font-variant-numeric: tabular-nums; }
.lb-table th { font-weight: 600; border-bottom: 1px solid #ccc; }
.lb-table td.lb-tok, .lb-table th.lb-tok { text-align: left; }
.lb-grid { border-collapse: collapse; table-layout: fixed; }
.lb-grid td { border: 1px solid rgba(255,255,255,0.6); padding: 0 2px; height: 17px; min-width: 30px; max-width: 68px;
  overflow: hidden; text-overflow: ellipsis; font: 10px var(--jp-code-font-family, monospace); white-space: pre; cursor: pointer; }
.lb-grid th { font: 10px var(--jp-code-font-family, monospace); font-weight: normal; padding: 0 3px; white-space: pre; }
.lb-grid td.lb-sel { outline: 2px solid #d62728; outline-offset: -2px; }
.lb-side { display: flex; gap: 14px; align-items: flex-start; flex-wrap: wrap; }
.lb-bar { display: inline-block; height: 9px; background: #4c72b0; vertical-align: middle; }
.lb-ins { background: #d4f7d4; } .lb-del { background: #fbd3d3; text-decoration: line-through; }
`;
