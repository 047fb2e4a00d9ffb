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

// Viridis, sampled: values in [0, 1] -> css colour; `rev` flips it (low = bright, for entropy, KL, rank).
const VIRIDIS = [[68, 1, 84], [72, 40, 120], [62, 74, 137], [49, 104, 142], [38, 130, 142], [31, 158, 137],
                 [53, 183, 121], [109, 205, 89], [180, 222, 44], [253, 231, 37]];
function viridis(t, rev = false) {
  if (!Number.isFinite(t)) return '#f3f3f3';
  t = Math.min(1, Math.max(0, rev ? 1 - t : t)) * (VIRIDIS.length - 1);
  const i = Math.min(Math.floor(t), VIRIDIS.length - 2), f = t - i, a = VIRIDIS[i], b = VIRIDIS[i + 1];
  return `rgb(${a.map((x, j) => Math.round(x + f * (b[j] - x))).join(',')})`;
}
function ink(t, rev = false) { return Number.isFinite(t) && (rev ? 1 - t : t) > 0.6 ? '#111' : '#fff'; }
// Diverging blue-white-red for signed values scaled to [-1, 1].
function diverging(t) {
  if (!Number.isFinite(t)) return '#f3f3f3';
  t = Math.max(-1, Math.min(1, t));
  const w = 255 - Math.round(Math.abs(t) * 200);
  return t >= 0 ? `rgb(255,${w},${w})` : `rgb(${w},${w},255)`;
}
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
