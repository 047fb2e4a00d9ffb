// InterventionPanel (and OutcomeView, the same drawing without controls): `data` is an Outcome's payload: what the
// edits are, the next-token distribution with and without them (Δp: a neutral 0 when nothing changed), and the
// generated text with its difference from the unedited run (inserted words green, removed words struck through).
// The panel's controls are drawn here: ablate (site, layer, head, zero/mean), steer (layer, scale, and a direction
// from two prompts typed in the panel, or the one the panel was given), skip layers (toggle chips). Each change sets
// a trait; the kernel re-runs (latest request wins).
function render({ model, el }) {
  const {body, controls, drawn} = frame(model, el, model.get('title') || 'Intervention');
  const set = (name, v) => { model.set(name, v); model.save_changes(); };
  if (model.get('panel')) {
    const L = model.get('n_layers'), H = model.get('n_heads');
    const range = (name, lo, hi, step, show = v => String(v)) => {
      const r = h('input', {type: 'range', min: lo, max: hi, step, value: model.get(name), 'data-trait': name, style: 'width:140px;vertical-align:middle'});
      const out = h('span', {class: 'lb-readout', 'data-readout': name, style: 'display:inline-block;min-width:2.6em'}, show(model.get(name)));
      const send = debounce(() => set(name, Number(r.value)), 90);
      r.addEventListener('input', () => { out.textContent = show(Number(r.value)); send(); });   // while dragging: debounced
      r.addEventListener('change', () => send.now());                                            // released: at once
      model.on(`change:${name}`, () => { if (Number(r.value) !== model.get(name)) r.value = model.get(name); out.textContent = show(model.get(name)); });
      return [r, ' ', out];
    };
    const text = (name, placeholder, size = 22) => {
      const t = h('input', {type: 'text', size, placeholder, 'data-trait': name, class: 'lb-prompt'});
      t.value = model.get(name);
      t.addEventListener('keydown', e => { if (e.key === 'Enter') set(name, t.value); });
      t.addEventListener('change', () => set(name, t.value));
      model.on(`change:${name}`, () => { if (document.activeElement !== t) t.value = model.get(name); });
      return t;
    };
    const headSel = select(model, 'head', 'head', [[-1, 'all heads'], ...Array.from({length: H}, (_, i) => [i, `H${i}`])]);
    const showHead = () => { headSel.style.display = model.get('ablate') === 'head_out' ? '' : 'none'; };
    model.on('change:ablate', showHead); showHead();
    const given = model.get('steering');
    const dirNote = h('span', {class: 'lb-note lb-dirnote'});
    const showDir = () => {
      dirNote.textContent = model.get('toward') && model.get('away') ? 'direction: mean resid of "toward" − of "away" at the steering layer'
        : given ? `direction: ${given} (type two prompts to build another)` : 'type a prompt to steer toward and one away from to build a direction';
    };
    model.on('change:toward', showDir); model.on('change:away', showDir); showDir();
    const sect = (name, ...kids) => h('div', {class: `lb-ctlrow lb-ctl-${name}`}, h('span', {class: 'lb-ctlname'}, name), ...kids);
    controls.classList.add('lb-panelctl');
    controls.append(
      sect('prompt', text('prompt', 'a prompt', 48)),
      sect('ablate', select(model, 'ablate', '', [['none', 'none'], ['attn_out', 'attention out'], ['mlp_out', 'MLP out'], ['head_out', 'one head']]),
           h('label', {class: 'lb-label'}, 'layer ', ...range('layer', 0, L - 1, 1)), headSel,
           select(model, 'how', '', [['zero', 'zero'], ['mean', 'mean']])),
      sect('steer', h('label', {class: 'lb-label'}, 'layer ', ...range('steer_layer', 0, L - 1, 1)),
           h('label', {class: 'lb-label'}, 'scale ', ...range('scale', -8, 8, 0.1, v => Number(v).toFixed(1))),
           h('label', {class: 'lb-label'}, 'toward ', text('toward', 'e.g. The city of Rome')),
           h('label', {class: 'lb-label'}, 'away ', text('away', 'e.g. The city of Paris')), dirNote),
      sect('skip', chips('lb-skip', Array.from({length: L}, (_, i) => i), model.get('skip'), v => set('skip', v)),
           h('span', {class: 'lb-note'}, '(click layers to skip them)')));
  }
  function draw() {
    const d = model.get('data');
    if (!d.base_top) { body.replaceChildren(h('div', {class: 'lb-note'}, 'no run yet')); drawn(); return; }
    const diff = h('div', {class: 'lb-diff lb-tok', style: 'white-space:pre-wrap;max-width:100%;overflow-wrap:anywhere'},
      d.diff.map(([op, text]) => op === '=' ? text : h('span', {class: op === '+' ? 'lb-ins' : 'lb-del'}, text)));
    body.replaceChildren(
      h('div', {class: 'lb-edits'}, 'edits: ', d.edits.length ? d.edits.join('; ') : 'none (the unedited model)'),
      h('div', {style: 'display:flex;gap:18px;flex-wrap:wrap;margin:6px 0'},
        dist('unedited', d.base_top, {head: 'token'}), dist('edited', d.top, {head: 'token', ref: d.base_top})),
      h('div', {class: 'lb-note'}, 'generated (greedy), edited vs unedited:'), diff);
    drawn();
  }
  model.on('change:data', draw);
  draw();
}
export default { render };
