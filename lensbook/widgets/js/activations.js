// ActivationView: one MLP neuron's activation over the text (tokens coloured), the top neurons of a clicked token at
// a layer, and the attention / MLP output norms of that token across layers. The kernel computes the slices.
function render({ model, el }) {
  const {body, controls, drawn} = frame(model, el, model.get('title') || 'Activations');
  const L = model.get('n_layers');
  const neuron = h('input', {type: 'number', min: 0, max: model.get('d_mlp') - 1, style: 'width:6em', 'data-trait': 'neuron'});
  neuron.value = model.get('neuron');
  const sendNeuron = debounce(() => { const v = Number(neuron.value);
    if (Number.isInteger(v)) { model.set('neuron', v); model.save_changes(); } }, 120);
  neuron.addEventListener('input', sendNeuron);
  model.on('change:neuron', () => { neuron.value = model.get('neuron'); });
  controls.append(promptBox(model), select(model, 'layer', 'layer', Array.from({length: L}, (_, i) => [i, i])),
                  h('label', {class: 'lb-label'}, 'neuron ', neuron));
  function norms(d) {  // a small line chart: per layer, |attn_out| and |mlp_out| at the chosen token
    const W = 300, H = 130, pad = 28, n = d.attn_norm.length, all = d.attn_norm.concat(d.mlp_norm), [, hi] = range(all);
    const x = i => pad + i * (W - pad - 6) / Math.max(1, n - 1), y = v => H - 18 - v / hi * (H - 30);
    const path = vs => vs.map((v, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`).join('');
    const svg = h('svg:svg', {width: W, height: H, class: 'lb-norms'},
      h('svg:path', {d: path(d.attn_norm), fill: 'none', stroke: '#1f77b4', 'stroke-width': 1.5}),
      h('svg:path', {d: path(d.mlp_norm), fill: 'none', stroke: '#ff7f0e', 'stroke-width': 1.5}),
      h('svg:line', {x1: x(model.get('layer')), x2: x(model.get('layer')), y1: 8, y2: H - 18, stroke: '#999', 'stroke-dasharray': '3,3'}));
    const lab = (t, xx, yy, c) => { const e = h('svg:text', {x: xx, y: yy, style: `font:10px sans-serif;fill:${c}`}); e.textContent = t; return e; };
    svg.append(lab('attn_out', W - 110, 12, '#1f77b4'), lab('mlp_out', W - 55, 12, '#ff7f0e'), lab('layer →', pad, H - 4, '#444'),
               lab(fmt(hi, 0), 0, 14, '#444'));
    return h('div', {}, h('div', {class: 'lb-note'}, 'sublayer output norms at the chosen token'), svg);
  }
  function draw() {
    const d = model.get('data');
    if (!d.tokens) { body.replaceChildren(h('div', {class: 'lb-note'}, 'no activations')); drawn(); return; }
    const pos = model.get('pos'), [lo, hi] = range(d.acts), s = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    const text = h('div', {class: 'lb-text', style: 'line-height:1.9;max-width:720px'}, d.tokens.map((t, j) => {
      const span = h('span', {class: 'lb-tok' + (j === pos ? ' lb-sel' : ''), 'data-pos': j,
        style: `background:${diverging(d.acts[j] / s)};padding:1px 0;cursor:pointer;${j === pos ? 'outline:2px solid #d62728' : ''}`,
        title: `${tok(t)}: ${fmt(d.acts[j], 3)}`}, tok(t, 30));
      span.addEventListener('click', () => { model.set('pos', j); model.save_changes(); });
      return span;
    }));
    const top = h('table', {class: 'lb-table lb-topneurons'}, h('tr', {}, h('th', {}, 'neuron'), h('th', {}, 'activation')),
      d.top.map(([i, v]) => { const tr = h('tr', {style: 'cursor:pointer', 'data-neuron': i}, h('td', {}, String(i)), h('td', {}, fmt(v, 3)));
        tr.addEventListener('click', () => { model.set('neuron', i); model.save_changes(); }); return tr; }));
    body.replaceChildren(
      d.note ? h('div', {class: 'lb-note'}, d.note) : '',
      h('div', {class: 'lb-note'}, `layer ${model.get('layer')}, neuron ${model.get('neuron')}: activation over the text (red +, blue −); click a token`),
      text,
      h('div', {class: 'lb-side', style: 'margin-top:8px'},
        h('div', {}, h('div', {class: 'lb-note'}, 'top neurons at ', h('span', {class: 'lb-tok'}, tok(d.tokens[pos] ?? '', 20)), ' (click one)'), top),
        norms(d)));
    drawn();
  }
  model.on('change:data', draw);
  draw();
}
export default { render };
