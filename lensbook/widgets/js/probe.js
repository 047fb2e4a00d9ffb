// ProbeView: a probe's held-out metric vs layer with the control task and selectivity, for one or more reports
// (`reports`: name -> ProbeReport payload); hover a layer for its numbers, click to choose it (the kernel sees
// `layer`). Everything redraws in the browser.
function render({ model, el }) {
  const {body, controls, drawn} = frame(model, el, model.get('title') || 'Probes');
  const reports = model.get('reports'), names = Object.keys(reports);
  controls.append(select(model, 'report', 'report', names.map(n => [n, n])));
  const readout = h('div', {class: 'lb-readout lb-note'});
  let hover = null;
  function draw() {
    const r = reports[model.get('report')];
    if (!r) { body.replaceChildren(h('div', {class: 'lb-note'}, 'no report')); drawn(); return; }
    const keys = Object.keys(r.series).filter(k => [r.metric, 'control_acc', 'selectivity'].includes(k)), n = r.layers.length;
    let [lo, hi] = range(keys.flatMap(k => r.series[k]).concat(r.chance !== null ? [r.chance] : []));
    const mid = Math.floor((n - 1) / 2);
    const c = lineChart({cls: 'lb-probe', n, width: 520, height: 260, lo: Math.min(0, lo), hi: Math.max(hi, r.metric === 'acc' ? 1 : hi),
      xlabel: `${r.kind} layer`, ylabel: r.labels[r.metric] || r.metric, xticks: [[0, r.layers[0]], [mid, r.layers[mid]], [n - 1, r.layers[n - 1]]],
      series: keys.map(k => ({values: r.series[k], label: r.labels[k] || k, cls: `lb-series lb-series-${k}`}))});
    const {svg, x, y, box: [pl, pt, w, ht]} = c, vline = (i, attrs) => h('svg:line', {x1: x(i), x2: x(i), y1: pt, y2: pt + ht, ...attrs});
    if (r.chance !== null) svg.append(h('svg:line', {x1: pl, x2: pl + w, y1: y(r.chance), y2: y(r.chance), stroke: '#999', 'stroke-dasharray': '2,3'}));
    const si = r.layers.indexOf(model.get('layer'));
    if (si >= 0) svg.append(vline(si, {stroke: '#d62728', class: 'lb-chosen'}));
    if (hover !== null) svg.append(vline(hover, {stroke: '#888', 'stroke-dasharray': '3,3'}));
    const hit = h('svg:rect', {x: pl, y: pt, width: w, height: ht, fill: 'transparent', style: 'cursor:crosshair'});
    const at = e => { const b = svg.getBoundingClientRect(); return Math.max(0, Math.min(n - 1, Math.round((e.clientX - b.left - pl) / w * (n - 1)))); };
    hit.addEventListener('mousemove', e => { const i = at(e); if (i !== hover) { hover = i; show(r, i); } });
    hit.addEventListener('click', e => { model.set('layer', r.layers[at(e)]); model.save_changes(); });
    svg.append(hit);
    body.replaceChildren(h('div', {class: 'lb-note'}, `${model.get('report')}: best layer ${r.best_layer}` +
                           (r.chance !== null ? `, majority class ${fmt(r.chance, 3)} (dotted)` : '')), svg, c.legend, readout);
    show(r, hover !== null ? hover : si >= 0 ? si : r.layers.indexOf(r.best_layer));
    drawn();
  }
  function show(r, i) {
    if (i < 0) return;
    readout.textContent = `layer ${r.layers[i]}: ` + Object.keys(r.series).map(k => `${r.labels[k] || k} ${fmt(r.series[k][i], 3)}`).join(', ');
  }
  model.on('change:layer', draw); model.on('change:report', draw);
  draw();
}
export default { render };
