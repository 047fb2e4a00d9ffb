// LensView: the layer x position grid of a lens's top-1 tokens, coloured by a metric on a stated scale (colour bar
// with units); a position window keeps long prompts readable (the newest positions in view by default); hover a
// cell for its top-k beside the pointer, click to pin it. `data` is the LensResult's payload. Metric, scale, window
// and cell are browser-side; lens, target and prompt go to the kernel, which re-runs the lens.
const METRICS = {p: 'top-1 probability', entropy: 'entropy', kl: 'KL(final ‖ layer)', target: 'target probability',
                 rank: 'target rank (1 = top)'};
function render({ model, el }) {
  const {root, body, controls, drawn, tip} = frame(model, el, model.get('title') || 'Lens');
  const target = h('input', {type: 'text', size: 10, class: 'lb-target', 'data-trait': 'target'});
  target.value = model.get('target');
  const sendTarget = () => { model.set('target', target.value); model.save_changes(); };
  target.addEventListener('keydown', e => { if (e.key === 'Enter') sendTarget(); });
  const lensBox = select(model, 'lens', 'lens', []);
  const metricBox = select(model, 'metric', 'colour', []);
  const w0 = model.get('window') || [];
  const win = {start: w0[0] ?? null, size: w0[1] || 0};
  let targetScale = 'log';
  const scaleBox = h('span', {class: 'lb-scalebox'});
  const windowBox = h('span', {class: 'lb-windowbox'});
  controls.append(promptBox(model), lensBox, metricBox, scaleBox, h('label', {class: 'lb-label'}, 'target ', target), windowBox);
  const side = h('div', {class: 'lb-topk', style: 'width:210px;flex:0 0 210px'});

  function value(d, metric, l, j) {
    if (metric === 'p') return d.top_p[l][j][0];
    if (metric === 'rank') return d.target_rank[l][j] + 1;   // 1-based
    if (metric === 'target') return d.target_p[l][j];
    return d[metric][l][j];
  }
  function scaleOf(d, metric) {
    if (metric === 'p') return mkScale({lo: 0, hi: 1, label: 'top-1 probability'});
    if (metric === 'target') return targetScale === 'log'
      ? mkScale({lo: 1e-5, hi: 1, log: true, floor: 1e-12, label: `p(${tok(d.target_name, 16)})`})
      : mkScale({lo: 0, hi: 1, label: `p(${tok(d.target_name, 16)})`});
    if (metric === 'rank') {
      const hi = Math.max(10, ...d.target_rank.flat().map(r => r + 1));
      return mkScale({lo: 1, hi, log: true, floor: 1e-12, cmap: 'viridis_r', label: `rank of ${tok(d.target_name, 16)} (1 = top; bright = high rank)`});
    }
    const hi = Math.max(1e-6, ...d[metric].flat().filter(Number.isFinite));
    return mkScale({lo: 0, hi, cmap: 'viridis_r', label: `${METRICS[metric]} (nats), 0 to this grid's max; bright = low`});
  }
  function cellInfo(d, l, j) {
    return [h('div', {class: 'lb-cellinfo'}, `layer ${d.layers[l]}, position ${d.positions[j]} `, h('span', {class: 'lb-tok'}, tok(d.tokens[j], 20))),
      topkTable(d.top[l][j].map((t, i) => [t, d.top_p[l][j][i]]), {head: 'top-k'}),
      h('div', {}, `entropy ${fmt(d.entropy[l][j], 2)} nats, KL ${fmt(d.kl[l][j], 2)} nats` +
                   (d.target_name ? `; p(${tok(d.target_name)}) ${fmt(d.target_p[l][j], 4)}, rank ${d.target_rank[l][j] + 1}` : '')),
      h('div', {class: 'lb-note'}, 'model output: ', h('span', {class: 'lb-tok'}, tok(d.final[j], 20)))];
  }
  function pin(l, j) { const d = model.get('data'); if (d.layers) side.replaceChildren(...cellInfo(d, l, j)); }
  let lastN = -1;
  function draw() {
    const d = model.get('data');
    lensBox.setOptions(model.get('lenses').map(n => [n, n]));
    const ms = Object.keys(METRICS).filter(k => d.target_name || (k !== 'target' && k !== 'rank'));
    metricBox.setOptions(ms.map(k => [k, METRICS[k]]));
    if (!d.layers) { body.replaceChildren(h('div', {class: 'lb-note'}, 'no lens result')); drawn(); return; }
    let metric = model.get('metric');
    if (!ms.includes(metric)) metric = 'p';
    scaleBox.replaceChildren(metric === 'target'
      ? localSelect('scale', 'scale', [['log', 'log'], ['linear', 'linear']], () => targetScale, v => { targetScale = v; draw(); }) : '');
    const n = d.tokens.length;
    if (!win.size) win.size = Math.min(48, fit(root, 44, 300, 8));
    if (n !== lastN) { win.start = null; lastN = n; }   // a new prompt: the newest positions in view
    windowBox.replaceChildren(windowBar(n, win, () => { draw(); model.set('window', [win.start, win.size]); model.save_changes(); }));
    const cols = d.tokens.slice(win.start, win.start + win.size), j0 = win.start;
    const s = scaleOf(d, metric);
    const [cl, cj] = model.get('cell');
    const grid = heatGrid({cls: 'lb-lensgrid', rows: d.layers, cols, s, corner: 'layer', data: ['layer', 'pos'],
      sel: [cl, cj], colIndex: j => j0 + j, label: c => tok(c, 7),
      value: (l, j) => value(d, metric, l, j0 + j), text: (l, j) => tok(d.top[l][j0 + j][0], 6),
      onhover: (l, j, e) => { pin(l, j0 + j); tip.show(e, ...cellInfo(d, l, j0 + j).slice(0, 3)); },
      onleave: () => { tip.hide(); if (cl >= 0 && cl < d.layers.length && cj < n) pin(cl, cj); },
      onclick: (l, j) => { model.set('cell', [l, j0 + j]); model.save_changes(); draw(); }});
    body.replaceChildren(
      d.note ? h('div', {class: 'lb-note'}, d.note) : '',
      h('div', {class: 'lb-note'}, `${d.lens} on ${d.site}: top-1 token per layer and position; colour = ${s.label}`),
      h('div', {class: 'lb-row'}, h('div', {style: 'flex:1 1 auto;min-width:0'}, grid), side));
    if (cl >= 0 && cl < d.layers.length && cj < n) pin(cl, cj);
    else side.replaceChildren(h('div', {class: 'lb-note'}, 'hover a cell for its top-k; click to pin it'));
    autoFit(body, win, n, () => { draw(); model.set('window', [win.start, win.size]); model.save_changes(); });
    drawn();
  }
  const redraw = coalesce(draw);
  model.on('change:data', redraw); model.on('change:metric', redraw); model.on('change:lenses', redraw);
  model.on('change:target', () => { target.value = model.get('target'); });
  draw();
}
export default { render };
