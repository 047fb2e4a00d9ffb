// lensbook widget kit: Python puts this in front of every view's module, so each view is one self-contained ES
// module (no CDN, no import at render). Text from a tokenizer only ever reaches the page through text nodes
// (`h` appends strings with `append`, never innerHTML), so markup in a token is shown, not run.
// The parts every view uses: scales and colour bars (one colour-map definition, CMAPS, shared with the static HTML),
// a labelled heat grid with sticky labels, a position window for long prompts, a hover panel that stays beside the
// pointer, a top-k table with bars, a line chart with a legend, toggle chips.

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
function cmapRGB(name, t) {
  const s = CMAPS[name] || CMAPS.viridis;
  t = Math.min(1, Math.max(0, t)) * (s.length - 1);
  const i = Math.min(Math.floor(t), s.length - 2), f = t - i, a = s[i], b = s[i + 1];
  return a.map((x, j) => Math.round(x + f * (b[j] - x)));
}
function cmap(name, t) {
  if (t === null || t === undefined || !Number.isFinite(t)) return BLANK;
  return `rgb(${cmapRGB(name, t).join(',')})`;
}
function viridis(t) { return cmap('viridis', t); }
function diverging(t) { return cmap('diverging', (t + 1) / 2); }   // t in [-1, 1]
function inkRGB([r, g, b]) { return 0.299 * r + 0.587 * g + 0.114 * b > 140 ? '#111' : '#fff'; }

// A scale, as lensbook.results.scale: {lo, hi, cmap, log, label}; `values` give the range when lo/hi are not fixed;
// a diverging scale is symmetric about 0; a log scale keeps positive values (lo at least hi * floor).
function mkScale({values = [], lo = null, hi = null, cmap = 'viridis', log = false, label = '', floor = 1e-4} = {}) {
  let vlo = Infinity, vhi = -Infinity;
  for (const x of values) if (Number.isFinite(x) && (!log || x > 0)) { if (x < vlo) vlo = x; if (x > vhi) vhi = x; }
  if (vlo === Infinity) { vlo = 0; vhi = 1; }
  if (cmap === 'diverging' && lo === null && hi === null) { vhi = Math.max(Math.abs(vlo), Math.abs(vhi)) || 1; vlo = -vhi; }
  lo = lo ?? vlo; hi = hi ?? vhi;
  if (log) lo = lo > 0 ? Math.max(lo, hi * floor) : hi * floor;
  if (!(hi > lo)) hi = lo + (Math.abs(lo) || 1) * 1e-9;
  return {lo, hi, cmap, log, label};
}
function spos(s, v) {   // where v falls on scale s, in [0, 1] (null: missing)
  if (v === null || v === undefined || !Number.isFinite(v)) return null;
  if (s.log) return v <= 0 ? 0 : (Math.log(v) - Math.log(s.lo)) / (Math.log(s.hi) - Math.log(s.lo));
  return (v - s.lo) / (s.hi - s.lo);
}
function scol(s, v) { return cmap(s.cmap, spos(s, v)); }
function sink(s, v) { const t = spos(s, v); return t === null ? '#111' : inkRGB(cmapRGB(s.cmap, t)); }

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
function range(xs) {
  let lo = Infinity, hi = -Infinity;
  for (const x of xs) if (Number.isFinite(x)) { if (x < lo) lo = x; if (x > hi) hi = x; }
  return lo === Infinity ? [0, 1] : lo === hi ? [lo, lo + 1e-9] : [lo, hi];
}
const WS = {' ': '␣', '\n': '⏎', '\t': '⇥', '\r': '␍'};
function tok(s, limit = 14) {  // a token as a readable label, as lensbook.results.show_token (whitespace made visible)
  s = Array.from(String(s)).map(c => WS[c] ?? (c < ' ' || c === '\x7f' ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : c)).join('');
  return s.length <= limit ? s : s.slice(0, limit - 1) + '…';
}
function fmt(x, d = 3) {
  if (!Number.isFinite(x)) return '–';
  if (x !== 0 && Math.abs(x) < Math.pow(10, -d)) return x.toExponential(1);
  return Number(x).toFixed(d);
}
function num(x) {  // a short tick label
  if (!Number.isFinite(x)) return '–';
  const a = Math.abs(x);
  if (a === 0) return '0';
  if (a < 1e-2 || a >= 1e4) return x.toExponential(0).replace('e+', 'e');
  return String(Number(x.toPrecision(2)));
}
function bytes(v) {  // a Bytes trait arrives as a DataView
  return v instanceof DataView ? new Uint8Array(v.buffer, v.byteOffset, v.byteLength) : new Uint8Array(v || []);
}
function floats(v) {  // float32 little-endian Bytes -> Float32Array (copied: the DataView may be unaligned)
  const b = bytes(v); return new Float32Array(b.slice().buffer);
}

// A colour bar of scale s: its ends (and middle), the gradient in the direction the values go, and the label with
// its units; '(log scale)' when it is one.
function colourBar(s, {width = 160} = {}) {
  const stops = Array.from({length: 11}, (_, i) => cmap(s.cmap, i / 10)).join(',');
  const mid = s.log ? Math.sqrt(s.lo * s.hi) : (s.lo + s.hi) / 2;
  return h('div', {class: 'lb-cbar', 'data-cmap': s.cmap, 'data-log': s.log ? '1' : '0', 'data-lo': s.lo, 'data-hi': s.hi},
    h('span', {class: 'lb-cbar-lo'}, num(s.lo)),
    h('span', {class: 'lb-cbar-grad', style: `width:${width}px;background:linear-gradient(to right,${stops})`},
      h('span', {class: 'lb-cbar-mid'}, num(mid))),
    h('span', {class: 'lb-cbar-hi'}, num(s.hi)),
    h('span', {class: 'lb-cbar-label'}, s.label + (s.log ? ' (log scale)' : '')));
}

// The frame every view shares: a title bar with a busy dot, an error line, a (sticky) controls row and a body.
// `stale` (a trait of every View) marks the body as the last good state after a failed run. Every redraw goes
// through `drawn()`, which counts draws on the root and announces them (tests and the benchmark wait on it).
function frame(model, el, title) {
  const busy = h('span', {class: 'lb-busy', title: 'running the model'});
  const error = h('div', {class: 'lb-error', role: 'alert'});
  const staleNote = h('div', {class: 'lb-stalenote'}, 'Showing the last good result: the newest request failed (see above).');
  const controls = h('div', {class: 'lb-controls'});
  const body = h('div', {class: 'lb-body'});
  const root = h('div', {class: 'lb-view'}, h('div', {class: 'lb-title'}, h('span', {text: title}), busy), error, controls, staleNote, body);
  root.dataset.draws = '0';
  root.prepend(h('style', {text: KIT_CSS + KIT_CSS_PANEL}));
  const sync = () => {
    busy.style.visibility = model.get('busy') ? 'visible' : 'hidden';
    error.textContent = model.get('error') || '';
    error.style.display = model.get('error') ? 'block' : 'none';
    root.dataset.busy = model.get('busy') ? '1' : '0';
    const stale = !!model.get('stale');
    root.classList.toggle('lb-stale', stale); root.dataset.stale = stale ? '1' : '0';
  };
  model.on('change:busy', sync); model.on('change:error', sync); model.on('change:stale', sync); sync();
  el.append(root);
  const drawn = () => {
    root.dataset.draws = String(Number(root.dataset.draws) + 1);
    root.dispatchEvent(new CustomEvent('lensbook:draw', {bubbles: true, detail: {t: performance.now()}}));
  };
  return {root, body, controls, drawn, tip: tip(root)};
}

// A hover panel beside the pointer, kept inside the view (it flips to the left / above near the edges).
function tip(root) {
  const box = h('div', {class: 'lb-tip', role: 'tooltip'});
  root.append(box);
  return {
    box,
    show(e, ...content) {
      box.replaceChildren(...content); box.style.display = 'block';
      const r = root.getBoundingClientRect(), w = box.offsetWidth, ht = box.offsetHeight;
      let x = e.clientX - r.left + 14, y = e.clientY - r.top + 14;
      if (x + w > root.clientWidth) x = Math.max(0, e.clientX - r.left - w - 14);
      if (y + ht > root.scrollHeight) y = Math.max(0, e.clientY - r.top - ht - 10);
      box.style.left = `${x}px`; box.style.top = `${y}px`;
    },
    hide() { box.style.display = 'none'; },
  };
}

// A labelled <select> bound to an Int or Unicode trait (or, with `local`, a plain JS value: {get, set}).
// Make it once per view: `setOptions` changes its choices later.
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
// A select of browser-only state: `get()` the value, `set(v)` on change.
function localSelect(name, label, options, get, set) {
  const s = h('select', {class: 'lb-select', 'data-local': name},
              options.map(([value, text]) => h('option', {value: String(value)}, String(text))));
  s.value = String(get());
  s.addEventListener('change', () => set(s.value));
  return h('label', {class: 'lb-label'}, label + ' ', s);
}
function checkbox(name, label, get, set) {
  const c = h('input', {type: 'checkbox', 'data-local': name});
  c.checked = !!get();
  c.addEventListener('change', () => set(c.checked));
  return h('label', {class: 'lb-label'}, c, ' ' + label);
}

// `fn` once per turn of the event loop however often it is asked for.
function coalesce(fn) {
  let queued = false;
  return () => { if (!queued) { queued = true; queueMicrotask(() => { queued = false; fn(); }); } };
}

// The prompt box of a view that can re-run the model (`live`): Enter or the button sends `prompt` to the kernel.
function promptBox(model, name = 'prompt', label = 'prompt', size = 40) {
  const input = h('input', {type: 'text', class: 'lb-prompt', size, 'data-trait': name});
  input.value = model.get(name);
  const send = () => { model.set(name, input.value); model.save_changes(); };
  input.addEventListener('keydown', e => { if (e.key === 'Enter') send(); });
  model.on(`change:${name}`, () => { if (document.activeElement !== input) input.value = model.get(name); });
  const box = h('span', {class: 'lb-label lb-promptbox'}, label + ' ', input, h('button', {class: 'lb-run', onclick: send}, 'run'));
  box.style.display = model.get('live') ? '' : 'none';
  return box;
}

function debounce(fn, ms) {
  let timer = null;
  const f = (...args) => { clearTimeout(timer); timer = setTimeout(() => fn(...args), ms); };
  f.now = (...args) => { clearTimeout(timer); fn(...args); };   // run at once (a released slider), dropping the pending call
  return f;
}

// A signed change as text: a neutral '0' when it rounds to zero (never a red -0.000), green +, red −.
function signed(x, d = 3) {
  if (!Number.isFinite(x)) return h('span', {class: 'lb-zero'}, '–');
  if (Math.abs(x) < 0.5 * Math.pow(10, -d)) return h('span', {class: 'lb-zero'}, '0');
  return h('span', {class: x > 0 ? 'lb-pos' : 'lb-neg'}, (x > 0 ? '+' : '−') + Math.abs(x).toFixed(d));
}

// A top-k table: rows of [token, p] with a bar each; `ref` (rows of another distribution) adds a Δp column.
function topkTable(rows, {ref = null, head = null, width = 80} = {}) {
  const base = ref ? Object.fromEntries(ref.map(([t, p]) => [t, p])) : null;
  return h('table', {class: 'lb-table'},
    head ? h('tr', {}, h('th', {class: 'lb-tok'}, head), h('th', {}, 'p'), h('th', {}), base ? h('th', {}, 'Δp') : '') : '',
    (rows || []).map(([t, p]) => h('tr', {}, h('td', {class: 'lb-tok', title: JSON.stringify(String(t))}, tok(t, 16)), h('td', {}, fmt(p, 3)),
      h('td', {}, h('span', {class: 'lb-bar', style: `width:${Math.round(width * Math.max(0, Math.min(1, p)))}px`})),
      base ? h('td', {class: 'lb-delta'}, signed(p - (base[t] ?? 0))) : '')));
}
// A named distribution: a title over its top-k table (class lb-dist lb-dist-NAME).
function dist(name, rows, opts = {}) {
  return h('div', {class: `lb-dist lb-dist-${name}`}, h('div', {style: 'font-weight:600'}, name), topkTable(rows, opts));
}

// A labelled heat grid: R x C cells, first row at the bottom (layer 0 at the bottom) unless `top`; `value(i, j)` is
// coloured on scale `s`, `text(i, j)` written in the cell; row labels stick to the left and column labels to the
// bottom (or top) while the box scrolls; a colour bar with its units below. One listener per grid (hover, click)
// finds the cell from data-*; `onhover(i, j, event)`, `onclick(i, j)`; `sel` = [i, j] outlined.
function heatGrid({cls, rows, cols, s, value, text = () => '', title = null, corner = '', onclick, onhover, onleave,
                   sel = [-1, -1], data = ['row', 'col'], headAt = 'bottom', label = c => tok(c, 8), colIndex = j => j,
                   maxHeight = 560, top = false, cbar = true}) {
  const R = rows.length;
  const order = top ? [...rows.keys()] : [...rows.keys()].reverse();
  const body = order.map(i => h('tr', {}, h('th', {class: 'lb-rowhead'}, String(rows[i])), cols.map((_, j) => {
    const v = value(i, j), t = spos(s, v), rgb = t === null ? null : cmapRGB(s.cmap, t);
    return h('td', {style: `background:${rgb ? `rgb(${rgb.join(',')})` : BLANK};color:${rgb ? inkRGB(rgb) : '#111'}`,
                    title: title ? title(i, j) : null, [`data-${data[0]}`]: i, [`data-${data[1]}`]: colIndex(j),
                    'data-j': j, class: i === sel[0] && colIndex(j) === sel[1] ? 'lb-sel' : null}, text(i, j));
  })));
  const head = h('tr', {class: `lb-colheads lb-colheads-${headAt}`}, h('th', {class: 'lb-corner'}, corner),
                 cols.map(c => h('th', {class: 'lb-tok lb-colhead', title: JSON.stringify(String(c))}, label(c))));
  const table = h('table', {class: `lb-grid ${cls}`}, headAt === 'top' ? [head, body] : [body, head]);
  const cellOf = e => {
    const td = e.target.closest && e.target.closest('td[data-j]');
    if (!td || !table.contains(td)) return null;
    return [Number(td.dataset[data[0]]), Number(td.dataset.j)];
  };
  if (onhover) table.addEventListener('mousemove', e => { const c = cellOf(e); if (c) onhover(c[0], c[1], e); });
  if (onleave) table.addEventListener('mouseleave', onleave);
  if (onclick) table.addEventListener('click', e => { const c = cellOf(e); if (c) onclick(c[0], c[1], e); });
  const box = h('div', {class: 'lb-gridbox', style: `max-height:${maxHeight}px`}, table);
  return h('div', {class: 'lb-heat-wrap'}, box, cbar ? colourBar(s) : '');
}

// A position window for long sequences: a slider over the first position shown and a size select; the newest
// positions are in view by default. `state` = {start, size} (browser-side), `onchange()` redraws.
function windowBar(n, state, onchange, sizes = [12, 16, 24, 32, 48, 64, 96, 128]) {
  state.size = Math.min(state.size, n);
  if (state.start === null || state.start === undefined || state.start + state.size > n) state.start = Math.max(0, n - state.size);
  if (n <= state.size && state.start === 0) return h('span', {class: 'lb-window', 'data-n': n, 'data-start': 0, 'data-size': n},
                                                   `all ${n} positions`);
  const slider = h('input', {type: 'range', min: 0, max: n - state.size, step: 1, value: state.start, class: 'lb-window-slider',
                             'data-local': 'window', style: 'width:180px'});
  const text = h('span', {class: 'lb-window-text'});
  const show = () => { text.textContent = `positions ${state.start}–${state.start + state.size - 1} of ${n}`; };
  show();
  slider.addEventListener('input', () => { state.start = Number(slider.value); show(); onchange(); });
  const size = h('select', {class: 'lb-select', 'data-local': 'window-size'},
                 [...new Set([...sizes.filter(x => x < n), n])].map(x => h('option', {value: x}, x === n ? `all ${n}` : String(x))));
  size.value = String(state.size);
  if (size.value !== String(state.size)) size.append(h('option', {value: state.size}, String(state.size))), size.value = String(state.size);
  size.addEventListener('change', () => {
    const end = state.start + state.size; state.size = Number(size.value); state.user = true;
    state.start = Math.max(0, Math.min(n - state.size, end - state.size)); onchange();
  });
  return h('span', {class: 'lb-window lb-label', 'data-n': n, 'data-start': state.start, 'data-size': state.size},
           'window ', slider, ' ', text, ' · show ', size);
}
// After layout: when the grid box scrolls sideways (more columns than fit) and the user has not picked a window
// size, shrink the window to the columns that fit, newest positions in view, and redraw. `win.user` is set when
// the size is chosen by hand. Runs once per draw, on the next animation frame (the element has a width then).
function autoFit(wrap, win, n, redraw, min = 4) {
  requestAnimationFrame(() => {
    const box = wrap && wrap.querySelector('.lb-gridbox'), table = box && box.querySelector('table');
    if (!box || !table || win.user || !box.clientWidth) return;
    const heads = table.querySelectorAll('th.lb-colhead');
    if (box.scrollWidth <= box.clientWidth + 1 || heads.length <= min) return;
    const corner = table.querySelector('th.lb-corner, th.lb-rowhead'), used = corner ? corner.offsetWidth : 0;
    const per = (table.scrollWidth - used) / heads.length;
    const size = Math.max(min, Math.floor((box.clientWidth - used) / per));
    if (size >= win.size) return;
    win.size = size; win.start = Math.max(0, n - size); redraw();
  });
}
// How many columns of `cellPx` fit in `el` next to `reserve` px (at least `min`).
function fit(el, cellPx, reserve, min = 8) {
  const w = (el && el.clientWidth) || 900;
  return Math.max(min, Math.floor((w - reserve) / cellPx));
}

// Toggle chips: one button per value, pressed = selected; `onchange(selected list)`. No Ctrl-click, no scrolling.
function chips(cls, values, selected, onchange, label = v => String(v)) {
  const set = new Set(selected);
  const box = h('div', {class: `lb-chips ${cls}`});
  values.forEach(v => {
    const b = h('button', {class: 'lb-chip' + (set.has(v) ? ' lb-on' : ''), 'data-value': v, 'aria-pressed': set.has(v) ? 'true' : 'false'}, label(v));
    b.addEventListener('click', () => {
      if (set.has(v)) set.delete(v); else set.add(v);
      b.classList.toggle('lb-on', set.has(v)); b.setAttribute('aria-pressed', set.has(v) ? 'true' : 'false');
      onchange(values.filter(x => set.has(x)));
    });
    box.append(b);
  });
  return box;
}

// Token labels along an axis of `px` pixels for `labels` (thinned to one every `step` so they never run together):
// `vertical` = a column (row labels), else rotated labels under a heatmap.
function axisLabels(labels, px, {vertical = false, minGap = 11, limit = 10, offset = 0} = {}) {
  const n = labels.length, cell = px / Math.max(1, n), step = Math.max(1, Math.ceil(minGap / cell));
  const box = h('div', {class: `lb-axis ${vertical ? 'lb-axis-v' : 'lb-axis-h'}`,
                        style: vertical ? `height:${px}px` : `width:${px}px`, 'data-step': step});
  for (let i = 0; i < n; i += step) {
    const at = (i + 0.5) * cell;
    box.append(h('span', {class: 'lb-tok lb-axis-label', title: `${offset + i}: ${JSON.stringify(String(labels[i]))}`,
                          style: vertical ? `top:${at}px` : `left:${at}px`}, tok(labels[i], limit)));
  }
  return box;
}

// An SVG line chart of `series` ([{values, label, cls}], one value per x index, coloured from PALETTE) with a
// legend and axis labels; `lo`/`hi` fix the y range. Returns {svg, x, y, n, box, text} so a view can add marks.
function lineChart({cls, series, n, width = 300, height = 130, pad = [10, 10, 30, 44], lo = null, hi = null, xlabel = '',
                    ylabel = '', xticks = null}) {
  const [pt, pr, pb, pl] = pad;
  let [vlo, vhi] = range(series.flatMap(s => s.values));
  vlo = lo ?? vlo; vhi = hi ?? vhi; if (!(vhi > vlo)) vhi = vlo + 1;
  const x = i => pl + i * (width - pl - pr) / Math.max(1, n - 1), y = v => pt + (vhi - v) / (vhi - vlo) * (height - pt - pb);
  const svg = h('svg:svg', {width, height, class: cls});
  const text = (t, xx, yy, style, anchor) => { const e = h('svg:text', {x: xx, y: yy, style: style || 'font:10px sans-serif;fill:#444', 'text-anchor': anchor}); e.textContent = t; return e; };
  for (const v of [vlo, (vlo + vhi) / 2, vhi]) svg.append(h('svg:line', {x1: pl, x2: width - pr, y1: y(v), y2: y(v), stroke: '#eee'}), text(num(v), pl - 4, y(v) + 3, null, 'end'));
  svg.append(h('svg:line', {x1: pl, x2: width - pr, y1: height - pb, y2: height - pb, stroke: '#999'}));
  if (xticks) for (const [i, t] of xticks) svg.append(text(String(t), x(i), height - pb + 12, null, 'middle'));
  series.forEach((s, c) => {
    const pts = s.values.map((v, i) => [v, i]).filter(([v]) => Number.isFinite(v));
    const d = pts.map(([v, i], k) => `${k ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join('');
    svg.append(h('svg:path', {d, fill: 'none', stroke: PALETTE[c % PALETTE.length], 'stroke-width': 1.5, class: s.cls}));
  });
  if (xlabel) svg.append(text(xlabel, (pl + width - pr) / 2, height - 4, null, 'middle'));
  if (ylabel) { const t = text(ylabel, 10, (pt + height - pb) / 2, null, 'middle'); t.setAttribute('transform', `rotate(-90 10 ${(pt + height - pb) / 2})`); svg.append(t); }
  const legend = h('div', {class: 'lb-legend'}, series.map((s, c) =>
    h('span', {class: 'lb-legend-item'}, h('span', {class: 'lb-swatch', style: `background:${PALETTE[c % PALETTE.length]}`}), s.label)));
  return {svg, legend, x, y, n, text, box: [pl, pt, width - pl - pr, height - pt - pb]};
}

// A unit's dashboard parts, shared by ExamplesView and FeatureView, over a TopExamples payload: example rows (each
// window token coloured by the unit's activation on scale `scaleOf(e)`, the example's own token outlined), the
// activation histogram over every token (log counts; dashed lines at the k-th value of each list in `marks`) and
// what the unit writes in vocabulary space. EXAMPLES_CSS styles them.
function exampleRows(xs, scaleOf, tip) {
  return xs.map((e, i) => {
    const s = scaleOf(e);
    const toks = e.tokens.map((t, j) => {
      const span = h('span', {class: 'lb-tok lb-ex-tok' + (j === e.centre ? ' lb-ex-centre' : ''), 'data-j': j,
                              style: `background:${scol(s, e.acts[j])};color:${sink(s, e.acts[j])}`}, tok(t, 24));
      span.addEventListener('mouseenter', ev => tip.show(ev, h('div', {}, h('span', {class: 'lb-tok'}, tok(t, 30)),
        ` (text ${e.text}, position ${e.pos - e.centre + j}): ${fmt(e.acts[j], 3)}`)));
      span.addEventListener('mouseleave', () => tip.hide());
      return span;
    });
    return h('div', {class: 'lb-example', 'data-rank': i, 'data-text': e.text, 'data-pos': e.pos},
             h('span', {class: 'lb-ex-val', title: `rank ${i + 1}`}, fmt(e.value, 3)),
             h('span', {class: 'lb-ex-where', title: e.label === null ? '' : `label ${e.label}`}, `#${e.text}:${e.pos}`),
             h('div', {class: 'lb-ex-ctx'}, toks));
  });
}
function histogramBox(d, marks = ['top', 'bottom']) {  // log-count bars over the bins; hover a bar for its range and count
  const hs = d.histogram, W = 420, H = 150, L = 8, R = 8, T = 8, B = 30, n = hs.counts.length;
  if (!hs.count) return h('div', {class: 'lb-note'}, 'no values');
  const svg = h('svg:svg', {width: W, height: H, class: 'lb-hist'});
  const top = Math.log10(Math.max(...hs.counts) + 1), bw = (W - L - R) / n;
  const px = x => L + (x - hs.lo) / (hs.width * n) * (W - L - R);
  const readout = h('div', {class: 'lb-readout lb-note'}, 'hover a bar');
  hs.counts.forEach((c, i) => {
    if (!c) return;
    const ht = Math.log10(c + 1) / top * (H - T - B);
    const r = h('svg:rect', {x: L + i * bw, y: H - B - ht, width: Math.max(bw - 0.5, 0.5), height: ht, fill: '#4c72b0', 'data-bin': i});
    r.addEventListener('mouseenter', () => { readout.textContent = `[${fmt(hs.lo + i * hs.width, 3)}, ${fmt(hs.lo + (i + 1) * hs.width, 3)}): ${c.toLocaleString()} tokens`; });
    svg.append(r);
  });
  const COLS = {top: '#b2182b', bottom: '#2166ac'};
  for (const key of marks) {
    const xs = d[key] || [];
    if (xs.length) svg.append(h('svg:line', {x1: px(xs[xs.length - 1].value), x2: px(xs[xs.length - 1].value), y1: T, y2: H - B,
                                             stroke: COLS[key], 'stroke-dasharray': '3,2', class: `lb-hist-${key}`}));
  }
  const text = (t, x, y, anchor) => { const e = h('svg:text', {x, y, 'text-anchor': anchor, style: 'font:10px sans-serif;fill:#444'}); e.textContent = t; return e; };
  svg.append(h('svg:line', {x1: L, x2: W - R, y1: H - B, y2: H - B, stroke: '#999'}),
             text(num(hs.lo), L, H - B + 12, 'start'), text(num(hs.lo + hs.width * n), W - R, H - B + 12, 'end'),
             text(`activation: tokens per bin (log scale); dashed: k-th ${marks.join(' / ')}`, W / 2, H - 4, 'middle'));
  const stats = h('div', {class: 'lb-hist-stats'}, `${hs.count.toLocaleString()} tokens · mean ${fmt(hs.mean, 3)} · std ${fmt(hs.std, 3)} · ` +
                  `min ${fmt(hs.min, 3)} · max ${fmt(hs.max, 3)}`);
  return h('div', {class: 'lb-histbox'}, h('div', {class: 'lb-dhead'}, 'histogram over every token'), svg, stats, readout);
}
function vocabBox(v) {  // promoted and suppressed tokens, bars scaled to the largest score in size
  if (!v) return '';
  const hi = Math.max(1e-12, ...v.promoted.map(([, x]) => Math.abs(x)), ...v.suppressed.map(([, x]) => Math.abs(x)));
  const table = (rows, cls, col) => h('table', {class: `lb-table ${cls}`}, rows.map(([t, x]) => h('tr', {},
    h('td', {class: 'lb-tok', title: JSON.stringify(String(t))}, tok(t, 16)), h('td', {}, fmt(x, 2)),
    h('td', {}, h('span', {class: 'lb-bar', style: `width:${Math.round(70 * Math.abs(x) / hi)}px;background:${col}`})))));
  return h('div', {class: 'lb-vocab'}, h('div', {class: 'lb-dhead'}, 'what it writes'), h('div', {class: 'lb-note'}, v.title),
    h('div', {class: 'lb-side'}, h('div', {}, h('div', {class: 'lb-note'}, 'promotes'), table(v.promoted, 'lb-promoted', '#b2182b')),
                                h('div', {}, h('div', {class: 'lb-note'}, 'suppresses'), table(v.suppressed, 'lb-suppressed', '#2166ac'))));
}
const EXAMPLES_CSS = `
.lb-dhead { font-weight: 600; margin: 4px 0 2px; }
.lb-examples { max-width: 100%; }
.lb-example { display: flex; gap: 8px; align-items: baseline; padding: 2px 0; border-bottom: 1px solid #f0f0f0; min-width: 0; }
.lb-ex-val { min-width: 4.5em; text-align: right; font-variant-numeric: tabular-nums; flex: none; }
.lb-ex-where { color: #888; font-size: 10px; min-width: 5em; flex: none; }
.lb-ex-ctx { display: flex; flex-wrap: wrap; min-width: 0; flex: 1; row-gap: 2px; }
.lb-ex-tok { padding: 1px 1px; margin-right: 1px; border-radius: 2px; cursor: default; }
.lb-ex-centre { outline: 2px solid #222; outline-offset: -1px; font-weight: 600; }
.lb-hist-stats { font-size: 11px; color: #444; }
`;

const KIT_CSS = `
.lb-view { font: 12px/1.35 var(--jp-ui-font-family, system-ui, sans-serif); color: var(--jp-ui-font-color1, #222);
  border: 1px solid var(--jp-border-color2, #ddd); border-radius: 4px; padding: 6px 8px; max-width: 100%;
  box-sizing: border-box; position: relative; background: var(--jp-layout-color0, #fff); }
.lb-title { font-weight: 600; margin-bottom: 4px; display: flex; gap: 8px; align-items: center; }
.lb-busy { width: 8px; height: 8px; border-radius: 50%; background: #e8a317; visibility: hidden; }
.lb-error { display: none; color: #a40000; background: #fdecea; border: 1px solid #f5c2c0; padding: 4px 6px;
  margin: 4px 0; white-space: pre-wrap; font-family: var(--jp-code-font-family, monospace); }
.lb-stalenote { display: none; color: #7a5a00; background: #fff6d6; border: 1px solid #eedc9a; padding: 2px 6px; margin: 2px 0; }
.lb-stale .lb-stalenote { display: block; }
.lb-stale .lb-body { opacity: 0.45; filter: grayscale(0.6); }
.lb-controls { display: flex; flex-wrap: wrap; gap: 6px 12px; align-items: center; margin: 4px 0 6px; position: sticky; top: 0;
  z-index: 3; background: var(--jp-layout-color0, #fff); padding: 2px 0; }
.lb-label { white-space: nowrap; }
.lb-prompt { font: 12px var(--jp-code-font-family, monospace); max-width: 100%; }
.lb-note { color: #666; font-style: italic; margin: 4px 0; }
.lb-tok { font-family: var(--jp-code-font-family, monospace); white-space: pre; }
.lb-table { border-collapse: collapse; }
.lb-table td, .lb-table th { padding: 1px 5px; text-align: right; font-variant-numeric: tabular-nums; }
.lb-table th { font-weight: 600; border-bottom: 1px solid #ccc; }
.lb-table td.lb-tok, .lb-table th.lb-tok { text-align: left; }
.lb-zero { color: #888; } .lb-pos { color: #2a7a2a; } .lb-neg { color: #a40000; }
.lb-heat-wrap { display: inline-block; max-width: 100%; vertical-align: top; }
.lb-gridbox { overflow: auto; max-width: 100%; position: relative; }
.lb-grid { border-collapse: separate; border-spacing: 0; table-layout: fixed; }
.lb-grid td { border: 1px solid rgba(255,255,255,0.6); padding: 0 2px; height: 17px; min-width: 30px; max-width: 58px;
  overflow: hidden; text-overflow: ellipsis; font: 10px var(--jp-code-font-family, monospace); white-space: pre; cursor: pointer; }
.lb-grid th { font: 10px var(--jp-code-font-family, monospace); font-weight: normal; padding: 0 3px; white-space: pre;
  background: var(--jp-layout-color0, #fff); }
.lb-grid th.lb-rowhead, .lb-grid th.lb-corner { position: sticky; left: 0; z-index: 1; text-align: right; }
.lb-grid .lb-colheads-bottom th { position: sticky; bottom: 0; z-index: 1; }
.lb-grid .lb-colheads-top th { position: sticky; top: 0; z-index: 1; }
.lb-grid .lb-colheads th.lb-corner { z-index: 2; }
.lb-grid th.lb-colhead { max-width: 58px; overflow: hidden; text-overflow: ellipsis; }
.lb-grid td.lb-sel { outline: 2px solid #d62728; outline-offset: -2px; }
.lb-cbar { display: flex; align-items: center; gap: 6px; margin: 4px 0; font-size: 11px; color: #444; flex-wrap: wrap; }
.lb-cbar-grad { display: inline-block; height: 10px; border: 1px solid #ccc; position: relative; }
.lb-cbar-mid { position: absolute; left: 50%; top: 11px; transform: translateX(-50%); font-size: 9px; color: #777; }
.lb-cbar-label { font-style: italic; }
.lb-side { display: flex; gap: 14px; align-items: flex-start; flex-wrap: wrap; }
.lb-row { display: flex; gap: 14px; align-items: flex-start; flex-wrap: nowrap; max-width: 100%; }
.lb-row > * { min-width: 0; }
.lb-bar { display: inline-block; height: 9px; background: #4c72b0; vertical-align: middle; }
.lb-ins { background: #d4f7d4; } .lb-del { background: #fbd3d3; text-decoration: line-through; }
.lb-tip { display: none; position: absolute; z-index: 10; background: var(--jp-layout-color0, #fff); border: 1px solid #bbb;
  border-radius: 3px; box-shadow: 0 2px 6px rgba(0,0,0,0.18); padding: 4px 6px; pointer-events: none; max-width: 320px; }
.lb-chips { display: flex; flex-wrap: wrap; gap: 3px; }
.lb-chip { font: 11px var(--jp-code-font-family, monospace); padding: 1px 5px; border: 1px solid #bbb; border-radius: 9px;
  background: #fafafa; cursor: pointer; min-width: 24px; }
.lb-chip.lb-on { background: #d62728; border-color: #a40000; color: #fff; }
.lb-axis { position: relative; font: 9px var(--jp-code-font-family, monospace); color: #444; }
.lb-axis-v { width: 78px; }
.lb-axis-v .lb-axis-label { position: absolute; right: 3px; transform: translateY(-50%); white-space: pre; }
.lb-axis-h { height: 66px; }
.lb-axis-h .lb-axis-label { position: absolute; top: 2px; transform-origin: 0 0; transform: rotate(60deg); white-space: pre; }
.lb-legend { display: flex; gap: 10px; flex-wrap: wrap; font-size: 11px; margin: 2px 0; }
.lb-swatch { display: inline-block; width: 14px; height: 3px; vertical-align: middle; margin-right: 4px; }
.lb-window input { vertical-align: middle; }
`;
const KIT_CSS_PANEL = `
.lb-panelctl { flex-direction: column; align-items: stretch; gap: 4px; position: static; }
.lb-ctlrow { display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: center; }
.lb-ctlname { font-weight: 600; min-width: 4.5em; color: #444; }
.lb-selrow td { background: #fdecea; }
`;
