// ActivationView: one MLP neuron's activation over the text (tokens coloured), the top neurons of a clicked token at
// a layer, and the attention / MLP output norms of that token across layers. `data` is the TokenActivity's payload
// for the chosen layer, neuron and token: the kernel computes the slices.
function render({ model, el }) {
  const {body, controls, drawn} = frame(model, el, model.get('title') || 'Activations');
  const d0 = model.get('data');
  const neuron = h('input', {type: 'number', min: 0, max: d0.d_mlp - 1, style: 'width:6em', 'data-trait': 'neuron'});
  neuron.value = model.get('neuron');
  const sendNeuron = debounce(() => { const v = Number(neuron.value);
    if (Number.isInteger(v)) { model.set('neuron', v); model.save_changes(); } }, 120);
  neuron.addEventListener('input', sendNeuron);
  model.on('change:neuron', () => { neuron.value = model.get('neuron'); });
  controls.append(promptBox(model), select(model, 'layer', 'layer', d0.layers.map((l, i) => [i, l])),
                  h('label', {class: 'lb-label'}, 'neuron ', neuron));
  function norms(d) {  // per layer, |attn_out| and |mlp_out| at the chosen token; a dashed line at the layer shown
    const c = lineChart({cls: 'lb-norms', n: d.layers.length, lo: 0, xlabel: 'layer →',
      series: [{values: d.attn_norm, label: 'attn_out'}, {values: d.mlp_norm, label: 'mlp_out'}]});
    c.svg.append(h('svg:line', {x1: c.x(d.layer), x2: c.x(d.layer), y1: 8, y2: c.box[1] + c.box[3], stroke: '#999', 'stroke-dasharray': '3,3'}));
    return h('div', {}, h('div', {class: 'lb-note'}, 'sublayer output norms at the chosen token'), c.svg);
  }
  function draw() {
    const d = model.get('data');
    if (!d.tokens) { body.replaceChildren(h('div', {class: 'lb-note'}, 'no activations')); drawn(); return; }
    const pos = d.pos, [lo, hi] = range(d.acts), s = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
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
      h('div', {class: 'lb-note'}, `layer ${d.layers[d.layer]}, neuron ${d.neuron}: activation over the text (red +, blue −); click a token`),
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
