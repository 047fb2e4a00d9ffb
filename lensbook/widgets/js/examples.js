// ExamplesView: what a unit responds to. The top (or bottom, or randomly sampled) tokens of a corpus for one
// neuron, head or direction, each with its context window, every window token coloured by the unit's activation on
// one diverging scale (white = 0, the colour bar labelled) and the example's own token outlined; the histogram of the
// unit over every token (log counts; dashed: the k-th top and bottom values); what the unit writes in vocabulary
// space. `data` is the TopExamples payload; switching lists and colour scales redraws in the browser (the kernel
// hears `which`); with a `rerun`, a unit typed in the box re-reads the corpus for it.
function render({ model, el }) {
  const {body, controls, drawn, tip} = frame(model, el, model.get('title') || 'Top examples');
  const NAMES = {top: 'top k', bottom: 'bottom k (most negative)', random: 'random tokens (control)'};
  const which = select(model, 'which', 'examples', []);
  const local = {scale: 'shared'};
  const unit = h('input', {type: 'number', min: 0, style: 'width:6em', 'data-trait': 'unit'});
  unit.value = model.get('unit');
  const sendUnit = () => { const v = Number(unit.value); if (Number.isInteger(v) && v >= 0) { model.set('unit', v); model.save_changes(); } };
  unit.addEventListener('change', sendUnit);
  unit.addEventListener('keydown', e => { if (e.key === 'Enter') sendUnit(); });
  model.on('change:unit', () => { if (document.activeElement !== unit) unit.value = model.get('unit'); });
  const unitBox = h('label', {class: 'lb-label'}, 'unit ', unit);
  unitBox.style.display = model.get('live') ? '' : 'none';
  controls.append(unitBox, which, localSelect('scale', 'colour', [['shared', 'one scale for every token'], ['row', 'each example its own']],
                                              () => local.scale, v => { local.scale = v; draw(); }));

  function draw() {
    const d = model.get('data');
    if (!d.histogram) { body.replaceChildren(h('div', {class: 'lb-note'}, 'no examples')); drawn(); return; }
    which.setOptions(['top', 'bottom', 'random'].filter(w => (d[w] || []).length || w === d.which).map(w => [w, NAMES[w]]));
    const xs = d[d.which] || [], shared = mkScale({lo: d.scale.lo, hi: d.scale.hi, cmap: 'diverging', label: d.scale.label});
    const rows = exampleRows(xs, e => local.scale === 'row' ? mkScale({values: e.acts, cmap: 'diverging'}) : shared, tip);
    const n = xs.length, name = {top: `top ${n}`, bottom: `bottom ${n} (most negative)`, random: `${n} random tokens (control)`}[d.which];
    const head = `${d.label}: ${name} of ${d.n_tokens.toLocaleString()} tokens in ` +
                 `${d.n_texts.toLocaleString()} texts (window ${d.window[0]} before, ${d.window[1]} after; outlined: the example's token)`;
    body.replaceChildren(h('div', {class: 'lb-note'}, head),
      h('div', {class: 'lb-examples'}, rows.length ? rows : h('div', {class: 'lb-note'}, 'none kept')),
      local.scale === 'row' ? h('div', {class: 'lb-note'}, 'each example on its own scale, symmetric about 0') : colourBar(shared),
      h('div', {class: 'lb-side', style: 'margin-top:8px'}, histogramBox(d), vocabBox(d.vocab)));
    drawn();
  }
  el.querySelector('.lb-view').prepend(h('style', {text: EXAMPLES_CSS}));
  model.on('change:data', draw);
  draw();
}
export default { render };
