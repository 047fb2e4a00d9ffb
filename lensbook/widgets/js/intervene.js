// The outcome of InterventionPanel: what the edits are, the next-token distribution with and without them, and the
// generated text with its difference from the unedited run (inserted words green, removed words struck through).
function render({ model, el }) {
  const {body, drawn} = frame(model, el, model.get('title') || 'Intervention');
  function dist(name, rows, other) {
    const ref = Object.fromEntries((other || []).map(([t, p]) => [t, p]));
    return h('div', {class: `lb-dist lb-dist-${name}`}, h('div', {style: 'font-weight:600'}, name),
      h('table', {class: 'lb-table'}, h('tr', {}, h('th', {class: 'lb-tok'}, 'token'), h('th', {}, 'p'), h('th', {}), other ? h('th', {}, 'Δp') : ''),
        (rows || []).map(([t, p]) => h('tr', {}, h('td', {class: 'lb-tok'}, tok(t, 16)), h('td', {}, fmt(p, 3)),
          h('td', {}, h('span', {class: 'lb-bar', style: `width:${Math.round(80 * p)}px`})),
          other ? h('td', {style: `color:${p - (ref[t] ?? 0) >= 0 ? '#2a7a2a' : '#a40000'}`}, (p - (ref[t] ?? 0) >= 0 ? '+' : '') + fmt(p - (ref[t] ?? 0), 3)) : ''))));
  }
  function draw() {
    const d = model.get('data');
    if (!d.base_top) { body.replaceChildren(h('div', {class: 'lb-note'}, 'no run yet')); drawn(); return; }
    const diff = h('div', {class: 'lb-diff lb-tok', style: 'white-space:pre-wrap;max-width:760px'},
      d.diff.map(([op, text]) => op === '=' ? text : h('span', {class: op === '+' ? 'lb-ins' : 'lb-del'}, text)));
    body.replaceChildren(
      h('div', {class: 'lb-edits'}, 'edits: ', d.edits.length ? d.edits.join('; ') : 'none (the unedited model)'),
      h('div', {style: 'display:flex;gap:18px;flex-wrap:wrap;margin:6px 0'}, dist('unedited', d.base_top), dist('edited', d.top, d.base_top)),
      h('div', {class: 'lb-note'}, 'generated (greedy), edited vs unedited:'), diff);
    drawn();
  }
  model.on('change:data', draw);
  draw();
}
export default { render };
