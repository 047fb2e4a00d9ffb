// EffectView: a patching / ablation effect grid (rows x columns, coloured by the normalised score); clicking a cell
// asks the kernel for that cell's patched next-token distribution, shown beside the clean and corrupt ones.
function render({ model, el }) {
  const {body, drawn} = frame(model, el, model.get('title') || 'Effects');
  function dist(name, rows) {
    return h('div', {class: `lb-dist lb-dist-${name}`}, h('div', {style: 'font-weight:600'}, name),
      h('table', {class: 'lb-table'}, (rows || []).map(([t, p]) => h('tr', {}, h('td', {class: 'lb-tok'}, tok(t, 16)),
        h('td', {}, fmt(p, 3)), h('td', {}, h('span', {class: 'lb-bar', style: `width:${Math.round(70 * p)}px`}))))));
  }
  function draw() {
    const d = model.get('data');
    if (!d.values) { body.replaceChildren(h('div', {class: 'lb-note'}, 'no effects')); drawn(); return; }
    const useScore = d.score !== null, V = useScore ? d.score : d.values;
    const [lo, hi] = useScore ? [Math.min(0, ...V.flat()), Math.max(1, ...V.flat())] : range(V.flat());
    const [ci, cj] = model.get('cell');
    const rows = d.rows.map((r, i) => h('tr', {}, h('th', {}, String(r)), d.cols.map((_, j) => {
      const x = (V[i][j] - lo) / (hi - lo);
      const td = h('td', {style: `background:${viridis(x)};color:${ink(x)};min-width:22px`, 'data-row': i, 'data-col': j,
        class: i === ci && j === cj ? 'lb-sel' : '', title: `${d.row_name} ${r}, ${d.col_name} ${d.cols[j]}: ${d.metric} ${fmt(d.values[i][j], 3)}` +
        (useScore ? `, score ${fmt(d.score[i][j], 2)}` : '')}, d.cols.length * d.rows.length <= 900 ? fmt(V[i][j], 2) : '');
      td.addEventListener('click', () => { model.set('cell', [i, j]); model.save_changes(); });
      return td;
    }))).reverse();
    const head = h('tr', {}, h('th', {}, d.row_name), d.cols.map(c => h('th', {class: 'lb-tok', title: c}, tok(c, 8))));
    const det = model.get('detail');
    const side = h('div', {class: 'lb-detail'},
      ci >= 0 ? h('div', {}, `${d.row_name} ${d.rows[ci]}, ${d.col_name} `, h('span', {class: 'lb-tok'}, tok(d.cols[cj], 16)),
                  `: ${d.metric} ${fmt(d.values[ci][cj], 3)}`) : h('div', {class: 'lb-note'}, 'click a cell for its next-token distributions'),
      h('div', {style: 'display:flex;gap:12px'}, dist('clean', d.clean_top), dist('corrupt', d.corrupt_top),
        det && det.cell && det.cell[0] === ci && det.cell[1] === cj ? dist('patched', det.top) : ''),
      det && det.value !== undefined && det.cell && det.cell[0] === ci ? h('div', {class: 'lb-note'}, `patched run: ${d.metric} ${fmt(det.value, 3)}`) : '');
    body.replaceChildren(
      h('div', {class: 'lb-note'}, `${d.site}: ${d.metric} (clean ${fmt(d.clean, 3)}, corrupt ${fmt(d.corrupt, 3)})` +
        (useScore ? '; colour = normalised score (0 corrupt, 1 clean)' : '')),
      h('div', {class: 'lb-side'}, h('table', {class: 'lb-grid lb-effects'}, rows, head), side));
    drawn();
  }
  model.on('change:data', draw); model.on('change:detail', draw); model.on('change:cell', draw);
  draw();
}
export default { render };
