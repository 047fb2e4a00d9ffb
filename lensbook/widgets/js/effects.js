// EffectView: a patching / ablation effect grid (`data`: the PatchResult's payload; rows x columns, coloured by the
// normalised score); clicking a cell asks the kernel for that cell's patched outcome (`detail`: an Outcome's payload),
// shown beside the clean and corrupt next-token distributions (`tops`).
function render({ model, el }) {
  const {body, drawn} = frame(model, el, model.get('title') || 'Effects');
  function draw() {
    const d = model.get('data'), tops = model.get('tops');
    if (!d.values) { body.replaceChildren(h('div', {class: 'lb-note'}, 'no effects')); drawn(); return; }
    const useScore = d.score !== null, V = useScore ? d.score : d.values;
    const [lo, hi] = useScore ? [Math.min(0, ...V.flat()), Math.max(1, ...V.flat())] : range(V.flat());
    const [ci, cj] = model.get('cell'), small = d.cols.length * d.rows.length <= 900;
    const table = grid({cls: 'lb-effects', rows: d.rows, cols: d.cols, corner: d.row_name, sel: [ci, cj],
      cell: (i, j) => ({x: (V[i][j] - lo) / (hi - lo), text: small ? fmt(V[i][j], 2) : '',
        title: `${d.row_name} ${d.rows[i]}, ${d.col_name} ${d.cols[j]}: ${d.metric} ${fmt(d.values[i][j], 3)}` +
               (useScore ? `, score ${fmt(d.score[i][j], 2)}` : '')}),
      onclick: (i, j) => { model.set('cell', [i, j]); model.save_changes(); }});
    const det = model.get('detail'), here = det && det.cell && det.cell[0] === ci && det.cell[1] === cj;
    const side = h('div', {class: 'lb-detail'},
      ci >= 0 ? h('div', {}, `${d.row_name} ${d.rows[ci]}, ${d.col_name} `, h('span', {class: 'lb-tok'}, tok(d.cols[cj], 16)),
                  `: ${d.metric} ${fmt(d.values[ci][cj], 3)}`) : h('div', {class: 'lb-note'}, 'click a cell for its next-token distributions'),
      h('div', {style: 'display:flex;gap:12px'}, dist('clean', tops.clean, {width: 70}), dist('corrupt', tops.corrupt, {width: 70}),
        here ? dist('patched', det.top, {width: 70}) : ''),
      here && det.value !== null && det.value !== undefined ? h('div', {class: 'lb-note'}, `patched run: ${d.metric} ${fmt(det.value, 3)}`) : '');
    body.replaceChildren(
      h('div', {class: 'lb-note'}, `${d.site}: ${d.metric} (clean ${fmt(d.clean, 3)}, corrupt ${fmt(d.corrupt, 3)})` +
        (useScore ? '; colour = normalised score (0 corrupt, 1 clean)' : '')),
      h('div', {class: 'lb-side'}, table, side));
    drawn();
  }
  model.on('change:data', draw); model.on('change:detail', draw); model.on('change:cell', draw); model.on('change:tops', draw);
  draw();
}
export default { render };
