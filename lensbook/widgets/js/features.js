// FeatureView: a sparse autoencoder's features on a prompt. The prompt's tokens in a strip, each coloured by the summed
// activation of its top features (or, once a feature is selected, by that feature); hovering a token shows its
// features, clicking one lists them (`pos`, synced) beside the prompt's top features. Clicking a feature, or typing
// its number, selects it (`feature`, synced): the kernel adds its activation at every token to `data` and, given
// texts, reads its dashboard once (`dash`: a TopExamples payload), drawn below as ExamplesView draws one: the top
// examples with every window token coloured on one diverging scale, the histogram over every token, and what the
// feature writes in vocabulary space. With a `rerun`, a prompt typed in the box is read again. Token text reaches the
// page through text nodes only (kit.js `h`).
function render({ model, el }) {
  const {root, body, controls, drawn, tip} = frame(model, el, model.get('title') || 'Features');
  root.prepend(h('style', {text: EXAMPLES_CSS + FEAT_CSS}));
  const local = {colour: 'top'};                      // the strip's colours: 'top' (summed top features) or 'feature'
  const pick = f => { model.set('feature', f); model.save_changes(); local.colour = 'feature'; };
  const numBox = h('input', {type: 'number', min: 0, style: 'width:6em', 'data-trait': 'feature'});
  numBox.value = model.get('feature') >= 0 ? model.get('feature') : '';
  const sendNum = () => { const v = Number(numBox.value); if (numBox.value !== '' && Number.isInteger(v)) pick(v); };
  numBox.addEventListener('change', sendNum);
  numBox.addEventListener('keydown', e => { if (e.key === 'Enter') sendNum(); });
  model.on('change:feature', () => { if (document.activeElement !== numBox) numBox.value = model.get('feature') >= 0 ? model.get('feature') : ''; });
  const colourSel = h('select', {class: 'lb-select', 'data-local': 'colour'},
                      h('option', {value: 'top'}, 'sum of the top features'), h('option', {value: 'feature'}, 'the selected feature'));
  colourSel.addEventListener('change', () => { local.colour = colourSel.value; redraw(); });
  controls.append(promptBox(model), h('label', {class: 'lb-label'}, 'feature #', numBox),
                  h('label', {class: 'lb-label'}, 'colour tokens by ', colourSel));

  function featureRows(rows, cls, cols) {   // a table of features; a click on a row selects its feature
    const sel = model.get('feature');
    const hi = Math.max(1e-12, ...rows.map(r => Math.abs(r.value)));
    const table = h('table', {class: `lb-table lb-feats ${cls}`},
      h('tr', {}, cols.map(([name]) => h('th', {}, name))),
      rows.map(r => h('tr', {class: 'lb-feat' + (r.feature === sel ? ' lb-selrow' : ''), 'data-feature': r.feature,
                             'data-value': r.value, title: `feature #${r.feature}: click for its dashboard`},
        cols.map(([, cell]) => h('td', {}, cell(r, hi))))));
    table.addEventListener('click', e => { const tr = e.target.closest && e.target.closest('tr[data-feature]'); if (tr) pick(Number(tr.dataset.feature)); });
    return table;
  }
  const bar = (r, hi) => h('span', {class: 'lb-bar', style: `width:${Math.round(60 * Math.abs(r.value) / hi)}px`});
  const name = r => `feature #${r.feature}`;
  function posList(d, j) {   // the features of token j, most active first
    const rows = (d.top[j] || []).map(([feature, value]) => ({feature, value}));
    return h('div', {class: 'lb-poslist', 'data-pos': j},
      h('div', {class: 'lb-fhead'}, `position ${j} `, h('span', {class: 'lb-tok lb-fhead-tok'}, tok(d.tokens[j], 30)),
        rows.length ? `: its top ${rows.length} features` : ': no feature fires'),
      rows.length ? featureRows(rows, 'lb-posfeats', [['feature', name], ['activation', r => fmt(r.value, 3)], ['', bar]]) : '');
  }
  function totals(d) {       // the prompt's top features by their total over the prompt
    const rows = d.totals.map(e => ({...e, value: e.total}));
    return h('div', {class: 'lb-totalsbox'}, h('div', {class: 'lb-fhead'}, 'top features of the prompt'),
      rows.length ? featureRows(rows, 'lb-totals', [['feature', name], ['total', r => fmt(r.total, 3)], ['', bar],
        ['max', r => fmt(r.max, 3)], ['at', r => h('span', {class: 'lb-tok', title: `position ${r.at}`}, tok(d.tokens[r.at], 12))],
        ['tokens', r => String(r.n)]]) : h('div', {class: 'lb-note'}, 'no feature fires on this prompt'));
  }
  function strip(d) {
    const byFeature = local.colour === 'feature' && d.acts, s = byFeature ? d.feature_scale : d.scale, vals = byFeature ? d.acts : d.strength;
    colourSel.value = byFeature ? 'feature' : 'top';
    const pos = model.get('pos');
    const box = h('div', {class: 'lb-fstrip'}, d.tokens.map((t, j) => h('span', {
      class: 'lb-tok lb-ftok' + (j === pos ? ' lb-sel' : ''), 'data-pos': j, 'data-value': vals[j],
      style: `background:${scol(s, vals[j])};color:${sink(s, vals[j])}`}, tok(t, 24))));
    const at = e => { const sp = e.target.closest && e.target.closest('span[data-pos]'); return sp && box.contains(sp) ? Number(sp.dataset.pos) : null; };
    box.addEventListener('mousemove', e => {
      const j = at(e); if (j === null) return;
      const top = d.top[j] || [];
      tip.show(e, h('div', {}, h('span', {class: 'lb-tok'}, tok(d.tokens[j], 30)), ` (position ${j})`),
        top.length ? h('div', {class: 'lb-tiplist'}, top.map(([f, v]) => h('div', {}, `feature #${f}: ${fmt(v, 3)}`)))
                   : h('div', {class: 'lb-note'}, 'no feature fires'),
        byFeature ? h('div', {}, `feature #${d.feature} here: ${fmt(d.acts[j], 3)}`) : '');
    });
    box.addEventListener('mouseleave', () => tip.hide());
    box.addEventListener('click', e => { const j = at(e); if (j !== null) { tip.hide(); model.set('pos', j); model.save_changes(); } });
    return [box, colourBar(s)];
  }

  function examples(x) {   // the dashboard's example list, drawn with the kit's parts as ExamplesView draws it
    const s = mkScale({lo: x.scale.lo, hi: x.scale.hi, cmap: 'diverging', label: x.scale.label});
    const rows = exampleRows(x.top || [], () => s, tip);
    return h('div', {},
      h('div', {class: 'lb-note'}, `${x.label}: top ${rows.length} of ${x.n_tokens.toLocaleString()} tokens in ${x.n_texts.toLocaleString()} texts ` +
        `(window ${x.window[0]} before, ${x.window[1]} after; outlined: the example's token)`),
      h('div', {class: 'lb-examples'}, rows.length ? rows : h('div', {class: 'lb-note'}, 'none kept')), colourBar(s));
  }
  function dashboard() {
    const f = model.get('feature'), note = model.get('dash_note'), x = model.get('dash');
    const ready = x && x.histogram && x.unit === f;
    return h('div', {class: 'lb-dash', 'data-feature': f, 'data-ready': ready ? '1' : '0'},
      h('div', {class: 'lb-fhead lb-dashhead'}, f >= 0 ? `feature #${f}: dashboard` : 'feature dashboard'),
      note ? h('div', {class: 'lb-note lb-dashnote'}, note) : '',
      ready ? [examples(x), h('div', {class: 'lb-side', style: 'margin-top:8px'}, histogramBox(x, ['top']), vocabBox(x.vocab))] : '');
  }
  function draw() {
    const d = model.get('data');
    if (!d.tokens) { body.replaceChildren(h('div', {class: 'lb-note'}, 'no result')); drawn(); return; }
    const j = Math.min(Math.max(0, model.get('pos')), d.tokens.length - 1);
    body.replaceChildren(
      h('div', {class: 'lb-note'}, `${d.site}: the ${d.k} most active of ${d.d_sae.toLocaleString()} features at each of ` +
        `${d.tokens.length} tokens (${d.model}); hover a token for its features, click it to list them, click a feature for its dashboard` +
        (d.note ? ` · ${d.note}` : '')),
      ...strip(d), h('div', {class: 'lb-side lb-lists'}, posList(d, j), totals(d)), dashboard());
    drawn();
  }
  const redraw = coalesce(draw);
  for (const t of ['data', 'dash', 'dash_note', 'feature', 'pos']) model.on(`change:${t}`, redraw);
  draw();
}
const FEAT_CSS = `
.lb-fstrip { display: flex; flex-wrap: wrap; gap: 2px 1px; font: 12px var(--jp-code-font-family, monospace); line-height: 1.7;
  max-width: 100%; max-height: 170px; overflow-y: auto; margin: 4px 0 2px; }
.lb-fstrip .lb-ftok { padding: 0 2px; border-radius: 2px; cursor: pointer; }
.lb-fstrip .lb-ftok.lb-sel { outline: 2px solid #d62728; outline-offset: -1px; }
.lb-fhead { font-weight: 600; margin: 4px 0 2px; }
.lb-lists { margin-top: 6px; }
.lb-feats tr.lb-feat { cursor: pointer; }
.lb-feats tr.lb-feat:hover td { background: #f0f4fa; }
.lb-tiplist { font-variant-numeric: tabular-nums; }
.lb-dash { margin-top: 8px; border-top: 1px solid #e4e4e4; padding-top: 4px; }
`;
export default { render };
