// The outcome of InterventionPanel: `data` is an Outcome's payload: what the edits are, the next-token distribution
// with and without them, and the generated text with its difference from the unedited run (inserted words green,
// removed words struck through).
function render({ model, el }) {
  const {body, drawn} = frame(model, el, model.get('title') || 'Intervention');
  function draw() {
    const d = model.get('data');
    if (!d.base_top) { body.replaceChildren(h('div', {class: 'lb-note'}, 'no run yet')); drawn(); return; }
    const diff = h('div', {class: 'lb-diff lb-tok', style: 'white-space:pre-wrap;max-width:760px'},
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
