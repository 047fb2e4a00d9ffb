// ProbeView: a probe's held-out metric vs layer with the control task and selectivity, for one or more reports;
// hover a layer for its numbers, click to choose it (the kernel sees `layer`). Everything redraws in the browser.
const COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];
function render({ model, el }) {
  const {body, controls, drawn} = frame(model, el, model.get('title') || 'Probes');
  const reports = model.get('reports'), names = Object.keys(reports);
  controls.append(select(model, 'report', 'report', names.map(n => [n, n])));
  const readout = h('div', {class: 'lb-readout lb-note'});
  let hover = null;
  function draw() {
    const r = reports[model.get('report')];
    if (!r) { body.replaceChildren(h('div', {class: 'lb-note'}, 'no report')); drawn(); return; }
    const series = Object.keys(r.series).filter(k => [r.metric, 'control_acc', 'selectivity'].includes(k));
    const W = 520, H = 260, pl = 40, pr = 10, pt = 10, pb = 30, n = r.layers.length;
    const vals = series.flatMap(k => r.series[k]).concat(r.chance !== null ? [r.chance] : []);
    let [lo, hi] = range(vals); lo = Math.min(0, lo); hi = Math.max(hi, r.metric === 'acc' ? 1 : hi);
    const x = i => pl + i * (W - pl - pr) / Math.max(1, n - 1), y = v => pt + (hi - v) / (hi - lo) * (H - pt - pb);
    const svg = h('svg:svg', {width: W, height: H, class: 'lb-probe'});
    const text = (t, xx, yy, style) => { const e = h('svg:text', {x: xx, y: yy, style: style || 'font:10px sans-serif;fill:#444'}); e.textContent = t; return e; };
    for (const v of [lo, (lo + hi) / 2, hi]) svg.append(h('svg:line', {x1: pl, x2: W - pr, y1: y(v), y2: y(v), stroke: '#eee'}), text(fmt(v, 2), 2, y(v) + 3));
    if (r.chance !== null) svg.append(h('svg:line', {x1: pl, x2: W - pr, y1: y(r.chance), y2: y(r.chance), stroke: '#999', 'stroke-dasharray': '2,3'}));
    series.forEach((k, c) => {
      const d = r.series[k].map((v, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join('');
      svg.append(h('svg:path', {d, fill: 'none', stroke: COLOURS[c], 'stroke-width': 2, class: `lb-series lb-series-${k}`}),
                 text(r.labels[k] || k, W - pr - 150, pt + 12 + 13 * c, `font:11px sans-serif;fill:${COLOURS[c]}`));
    });
    const sel = model.get('layer'), si = r.layers.indexOf(sel);
    if (si >= 0) svg.append(h('svg:line', {x1: x(si), x2: x(si), y1: pt, y2: H - pb, stroke: '#d62728', class: 'lb-chosen'}));
    if (hover !== null) svg.append(h('svg:line', {x1: x(hover), x2: x(hover), y1: pt, y2: H - pb, stroke: '#888', 'stroke-dasharray': '3,3'}));
    svg.append(text(`${r.kind} layer →`, pl, H - 6), text(String(r.layers[0]), pl - 3, H - pb + 12), text(String(r.layers[n - 1]), W - pr - 12, H - pb + 12));
    const hit = h('svg:rect', {x: pl, y: pt, width: W - pl - pr, height: H - pt - pb, fill: 'transparent', style: 'cursor:crosshair'});
    const at = e => { const b = svg.getBoundingClientRect(); return Math.max(0, Math.min(n - 1, Math.round((e.clientX - b.left - pl) / (W - pl - pr) * (n - 1)))); };
    hit.addEventListener('mousemove', e => { const i = at(e); if (i !== hover) { hover = i; show(r, i); } });
    hit.addEventListener('click', e => { model.set('layer', r.layers[at(e)]); model.save_changes(); });
    svg.append(hit);
    body.replaceChildren(h('div', {class: 'lb-note'}, `${model.get('report')}: best layer ${r.best_layer}` +
                           (r.chance !== null ? `, majority class ${fmt(r.chance, 3)} (dotted)` : '')), svg, readout);
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
