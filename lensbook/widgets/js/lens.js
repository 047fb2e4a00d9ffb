// LensView: the layer x position grid of a lens's top-1 tokens, coloured by a metric; hover or click a cell for
// its top-k. `data` is the LensResult's payload. Metric and cell are browser-side; lens, target and prompt go to the kernel, which re-runs the lens.
const METRICS = {p: ['top-1 probability', false], entropy: ['entropy (nats)', true], kl: ['KL(final ‖ layer) (nats)', true],
                 target: ['target probability', false], rank: ['target rank (log scale)', true]};
function render({ model, el }) {
  const {body, controls, drawn} = frame(model, el, model.get('title') || 'Lens');
  const target = h('input', {type: 'text', size: 10, class: 'lb-target', 'data-trait': 'target'});
  target.value = model.get('target');
  const sendTarget = () => { model.set('target', target.value); model.save_changes(); };
  target.addEventListener('keydown', e => { if (e.key === 'Enter') sendTarget(); });
  const lensBox = select(model, 'lens', 'lens', []);
  const metricBox = select(model, 'metric', 'colour', []);
  controls.append(promptBox(model), lensBox, metricBox, h('label', {class: 'lb-label'}, 'target ', target));
  const side = h('div', {class: 'lb-topk'});
  let hover = null;

  function value(d, metric, l, j) {
    if (metric === 'p') return d.top_p[l][j][0];
    if (metric === 'rank') return Math.log10(1 + d.target_rank[l][j]);
    if (metric === 'target') return d.target_p[l][j];
    return d[metric][l][j];
  }
  function topk(l, j) {
    const d = model.get('data');
    if (!d.layers) return;
    side.replaceChildren(
      h('div', {class: 'lb-cellinfo'}, `layer ${d.layers[l]}, position ${d.positions[j]} `, h('span', {class: 'lb-tok'}, tok(d.tokens[j], 20))),
      topkTable(d.top[l][j].map((t, i) => [t, d.top_p[l][j][i]]), {head: 'top-k'}),
      h('div', {}, `entropy ${fmt(d.entropy[l][j], 2)}, KL ${fmt(d.kl[l][j], 2)}` +
                   (d.target_name ? `, p(${d.target_name}) ${fmt(d.target_p[l][j], 4)}, rank ${d.target_rank[l][j]}` : '')),
      h('div', {class: 'lb-note'}, 'model output: ', h('span', {class: 'lb-tok'}, tok(d.final[j], 20))));
  }
  function draw() {
    const d = model.get('data');
    lensBox.setOptions(model.get('lenses').map(n => [n, n]));
    const ms = Object.keys(METRICS).filter(k => d.target_name || (k !== 'target' && k !== 'rank'));
    metricBox.setOptions(ms.map(k => [k, METRICS[k][0]]));
    if (!d.layers) { body.replaceChildren(h('div', {class: 'lb-note'}, 'no lens result')); drawn(); return; }
    let metric = model.get('metric');
    if (!ms.includes(metric)) metric = 'p';
    const [, rev] = METRICS[metric];
    const all = d.layers.flatMap((_, l) => d.tokens.map((_, j) => value(d, metric, l, j)));
    const [lo, hi] = metric === 'p' || metric === 'target' ? [0, 1] : range(all);
    const table = grid({cls: 'lb-lensgrid', rows: d.layers, cols: d.tokens, corner: 'layer', data: ['layer', 'pos'], sel: model.get('cell'),
      cell: (l, j) => ({x: (value(d, metric, l, j) - lo) / (hi - lo), rev, text: tok(d.top[l][j][0], 8)}),
      onhover: (l, j) => { hover = [l, j]; topk(l, j); },
      onclick: (l, j) => { model.set('cell', [l, j]); model.save_changes(); draw(); }});
    body.replaceChildren(
      d.note ? h('div', {class: 'lb-note'}, d.note) : '',
      h('div', {class: 'lb-note'}, `${d.lens} on ${d.site}: colour = ${METRICS[metric][0]}`),
      h('div', {class: 'lb-side'}, table, side));
    const [cl, cj] = model.get('cell');
    if (cl >= 0 && cl < d.layers.length && cj < d.tokens.length) topk(cl, cj); else if (hover) topk(...hover);
    drawn();
  }
  const redraw = coalesce(draw);
  model.on('change:data', redraw); model.on('change:metric', redraw); model.on('change:lenses', redraw);
  model.on('change:target', () => { target.value = model.get('target'); });
  draw();
}
export default { render };
