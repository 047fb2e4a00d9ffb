// EffectView: a patching / ablation effect grid (`data`: the PatchResult's payload) on a diverging scale centred on 0
// (the normalised score when defined, else the metric), with its colour bar and a position window for long prompts;
// clicking a cell asks the kernel for that cell's patched outcome (`detail`: an Outcome's payload), shown beside the
// clean and corrupt next-token distributions (`tops`, when the view has them).
function render({ model, el }) {
  const {root, body, controls, drawn, tip} = frame(model, el, model.get('title') || 'Effects');
  const win = {start: null, size: 0};
  const windowBox = h('span', {class: 'lb-windowbox'});
  controls.append(windowBox);
  let lastC = -1;
  function draw() {
    const d = model.get('data'), tops = model.get('tops') || {};
    if (!d.values) { body.replaceChildren(h('div', {class: 'lb-note'}, 'no effects')); drawn(); return; }
    const useScore = d.score !== null, V = useScore ? d.score : d.values;
    const s = mkScale({values: V.flat(), cmap: 'diverging',
                       label: useScore ? 'normalised score (0 = no effect / corrupt, 1 = clean restored)' : d.metric});
    const C = d.cols.length, small = C * d.rows.length <= 1200;
    if (!win.size) win.size = Math.min(C, Math.max(8, fit(root, 40, 330)));
    if (C !== lastC) { win.start = null; lastC = C; }
    windowBox.replaceChildren(C > win.size || win.size < C ? windowBar(C, win, () => draw()) : '');
    const j0 = C > win.size ? win.start : 0, cols = d.cols.slice(j0, j0 + win.size);
    const [ci, cj] = model.get('cell');
    const live = model.get('live');
    const table = heatGrid({cls: 'lb-effects', rows: d.rows, cols, corner: d.row_name, sel: [ci, cj], s, colIndex: j => j0 + j,
      value: (i, j) => V[i][j0 + j], text: (i, j) => small ? fmt(V[i][j0 + j], 2).replace(/^-(0\.00)$/, '$1') : '',
      label: c => tok(c, 7),
      onhover: (i, j, e) => tip.show(e, h('div', {}, `${d.row_name} ${d.rows[i]}, ${d.col_name} `, h('span', {class: 'lb-tok'}, tok(d.cols[j0 + j], 16))),
        h('div', {}, `${d.metric} ${fmt(d.values[i][j0 + j], 3)}` + (useScore ? `, score ${fmt(d.score[i][j0 + j], 2)}` : ''))),
      onleave: () => tip.hide(),
      onclick: (i, j) => { model.set('cell', [i, j0 + j]); model.save_changes(); }});
    const det = model.get('detail'), here = det && det.cell && det.cell[0] === ci && det.cell[1] === cj;
    const hasTops = (tops.clean && tops.clean.length) || (tops.corrupt && tops.corrupt.length);
    const dists = [hasTops && tops.clean.length ? dist('clean', tops.clean, {width: 60}) : '',
                   hasTops && tops.corrupt.length ? dist('corrupt', tops.corrupt, {width: 60}) : '',
                   here ? dist('patched', det.top, {width: 60}) : ''];
    const side = h('div', {class: 'lb-detail', style: 'flex:0 0 300px'},
      ci >= 0 && ci < d.rows.length && cj < C
        ? h('div', {}, `${d.row_name} ${d.rows[ci]}, ${d.col_name} `, h('span', {class: 'lb-tok'}, tok(d.cols[cj], 16)), `: ${d.metric} ${fmt(d.values[ci][cj], 3)}`)
        : h('div', {class: 'lb-note'}, live ? 'click a cell for its patched next-token distribution' : 'hover a cell for its value'),
      dists.some(x => x) ? h('div', {style: 'display:flex;gap:10px;flex-wrap:wrap'}, dists) : '',
      !live ? h('div', {class: 'lb-note lb-nodetail'}, 'made from a result alone: no per-cell runs (EffectView.from_patch adds them)') : '',
      here && det.value !== null && det.value !== undefined ? h('div', {class: 'lb-note'}, `patched run: ${d.metric} ${fmt(det.value, 3)}`) : '');
    body.replaceChildren(
      h('div', {class: 'lb-note'}, `${d.site}: ${d.metric} (clean ${fmt(d.clean, 3)}, corrupt ${fmt(d.corrupt, 3)})`),
      h('div', {class: 'lb-row', style: 'flex-wrap:wrap'}, h('div', {style: 'flex:1 1 380px;min-width:0'}, table), side));
    autoFit(body, win, C, draw);
    drawn();
  }
  const redraw = coalesce(draw);
  model.on('change:data', redraw); model.on('change:detail', redraw); model.on('change:cell', redraw); model.on('change:tops', redraw);
  draw();
}
export default { render };
