// ActivationView: one MLP neuron's activation over the text (tokens coloured on a diverging scale centred on 0, with
// its colour bar), the top neurons of a clicked token at a layer, and the attention / MLP output norms of that token
// across layers. `data` is the TokenActivity's payload for the chosen layer, neuron and token: the kernel computes
// the slices. A rejected choice or a failed run leaves the last good state drawn and marked stale (the frame).
function render({ model, el }) {
  const {body, controls, drawn, tip} = frame(model, el, model.get('title') || 'Activations');
  const d0 = model.get('data');
  const neuron = h('input', {type: 'number', min: 0, max: d0.d_mlp - 1, style: 'width:6em', 'data-trait': 'neuron'});
  neuron.value = model.get('neuron');
  const sendNeuron = debounce(() => { const v = Number(neuron.value);
    if (Number.isInteger(v)) { model.set('neuron', v); model.save_changes(); } }, 120);
  neuron.addEventListener('input', sendNeuron);
  neuron.addEventListener('change', () => sendNeuron.now());   // Enter or leaving the box: at once
  model.on('change:neuron', () => { if (document.activeElement !== neuron) neuron.value = model.get('neuron'); });
  controls.append(promptBox(model), select(model, 'layer', 'layer', d0.layers.map((l, i) => [i, l])),
                  h('label', {class: 'lb-label'}, `neuron (0–${d0.d_mlp - 1}) `, neuron));
  function norms(d) {  // per layer, |attn_out| and |mlp_out| at the chosen token; a dashed line at the layer shown
    const n = d.layers.length;
    const c = lineChart({cls: 'lb-norms', n, lo: 0, width: 320, height: 150, xlabel: 'layer', ylabel: 'norm',
      xticks: [[0, d.layers[0]], [Math.floor((n - 1) / 2), d.layers[Math.floor((n - 1) / 2)]], [n - 1, d.layers[n - 1]]],
      series: [{values: d.attn_norm, label: '|attn_out|'}, {values: d.mlp_norm, label: '|mlp_out|'}]});
    c.svg.append(h('svg:line', {x1: c.x(d.layer), x2: c.x(d.layer), y1: c.box[1], y2: c.box[1] + c.box[3], stroke: '#999', 'stroke-dasharray': '3,3'}));
    return h('div', {}, h('div', {class: 'lb-note'}, 'sublayer output norms at the chosen token (dashed: this layer)'), c.svg, c.legend);
  }
  function draw() {
    const d = model.get('data');
    if (!d.tokens) { body.replaceChildren(h('div', {class: 'lb-note'}, 'no activations')); drawn(); return; }
    const pos = d.pos, s = mkScale({values: d.acts, cmap: 'diverging', label: `activation of neuron ${d.neuron} at layer ${d.layers[d.layer]} (0 = white)`});
    const text = h('div', {class: 'lb-text', style: 'line-height:1.9;max-width:100%;overflow-wrap:anywhere'}, d.tokens.map((t, j) => {
      const span = h('span', {class: 'lb-tok' + (j === pos ? ' lb-sel' : ''), 'data-pos': j,
        style: `background:${scol(s, d.acts[j])};color:${sink(s, d.acts[j])};padding:1px 0;margin-right:1px;cursor:pointer;white-space:pre-wrap;` +
               (j === pos ? 'outline:2px solid #d62728' : '')}, tok(t, 30));
      span.addEventListener('mouseenter', e => tip.show(e, h('div', {}, h('span', {class: 'lb-tok'}, tok(t, 30)), ` (position ${j}): ${fmt(d.acts[j], 3)}`)));
      span.addEventListener('mouseleave', () => tip.hide());
      span.addEventListener('click', () => { model.set('pos', j); model.save_changes(); });
      return span;
    }));
    const [, vmax] = range(d.top.map(([, v]) => Math.abs(v)));
    const top = h('table', {class: 'lb-table lb-topneurons'}, h('tr', {}, h('th', {}, 'neuron'), h('th', {}, 'activation'), h('th', {})),
      d.top.map(([i, v]) => { const tr = h('tr', {style: 'cursor:pointer', 'data-neuron': i, class: i === d.neuron ? 'lb-selrow' : null},
          h('td', {}, String(i)), h('td', {}, fmt(v, 3)),
          h('td', {}, h('span', {class: 'lb-bar', style: `width:${Math.round(70 * Math.abs(v) / (vmax || 1))}px;background:${v >= 0 ? '#b2182b' : '#2166ac'}`})));
        tr.addEventListener('click', () => { model.set('neuron', i); model.save_changes(); }); return tr; }));
    body.replaceChildren(
      d.note ? h('div', {class: 'lb-note'}, d.note) : '',
      h('div', {class: 'lb-note'}, `layer ${d.layers[d.layer]}, neuron ${d.neuron}: activation over the text; click a token`),
      text, colourBar(s),
      h('div', {class: 'lb-side', style: 'margin-top:8px'},
        h('div', {}, h('div', {class: 'lb-note'}, 'top neurons at ', h('span', {class: 'lb-tok'}, tok(d.tokens[pos] ?? '', 20)), ' (click one)'), top),
        norms(d)));
    drawn();
  }
  model.on('change:data', draw);
  draw();
}
export default { render };
