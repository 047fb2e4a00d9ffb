// DLAView and TokenAttributionView (one module: `kind` says which). Both draw a result's payload on a diverging
// scale centred on 0 (red raises the target's logit, blue lowers it) with a labelled colour bar; hover shows the
// exact value and what the part is. Choices the payload takes (row, position, target) go to the kernel, which
// recomputes the payload without a model run; in a live view, the prompt, target and method boxes re-run it.
const NEG = '#2166ac', POS = '#b2182b';

// A text box bound to a Unicode trait: Enter sends it (as the lens view's target box).
function traitBox(model, name, label, size = 10, title = '') {
  const input = h('input', {type: 'text', size, class: `lb-text-${name}`, 'data-trait': name, title});
  input.value = model.get(name);
  input.addEventListener('keydown', e => { if (e.key === 'Enter') { model.set(name, input.value); model.save_changes(); } });
  model.on(`change:${name}`, () => { if (document.activeElement !== input) input.value = model.get(name); });
  return h('label', {class: 'lb-label'}, label + ' ', input);
}

// A compact label for a contribution in a cell: two decimals without the leading zero ('.79', '-1.10'), '0' when it
// rounds to nothing (the exact value is in the hover and in data-value).
function short(v) {
  if (!Number.isFinite(v)) return '';
  if (Math.abs(v) < 0.005) return '0';
  const t = Math.abs(v) >= 10 ? Math.abs(v).toFixed(1) : Math.abs(v).toFixed(2).replace(/^0\./, '.');
  return (v < 0 ? '−' : '') + t;
}

// A signed bar of `v` out of `vmax` in `px` pixels: from the centre line to the right (positive) or the left.
function signedBar(v, vmax, px = 48) {
  const w = Number.isFinite(v) ? Math.min(px / 2, Math.abs(v) / (vmax || 1) * px / 2) : 0;
  return h('span', {class: 'lb-sbar', style: `width:${px}px`},
    h('span', {class: 'lb-sbar-zero'}),
    h('span', {class: 'lb-sbar-fill', style: `width:${w}px;background:${v >= 0 ? POS : NEG};` + (v >= 0 ? `left:${px / 2}px` : `right:${px / 2}px`)}));
}

const ATTR_CSS = `
.lb-sbar { display: inline-block; position: relative; height: 10px; vertical-align: middle; background: #f6f6f6; }
.lb-sbar-zero { position: absolute; left: 50%; top: -1px; bottom: -1px; width: 1px; background: #888; }
.lb-sbar-fill { position: absolute; top: 1px; height: 8px; }
.lb-dla td.lb-barcell { background: transparent; color: #222; cursor: default; min-width: 0; max-width: none; padding: 0 4px;
  text-align: left; border: none; font-variant-numeric: tabular-nums; }
.lb-dla td.lb-barcell:hover { background: #f0f0f0; }
.lb-dla th.lb-sep, .lb-dla td.lb-sep { width: 8px; min-width: 8px; padding: 0; border: none; background: transparent; }
.lb-dla td.lb-head, .lb-dla td.lb-other { min-width: 26px; width: 28px; text-align: center; padding: 0 1px; }
.lb-dla td.lb-barcell span.lb-pos, .lb-dla td.lb-barcell span.lb-neg { display: inline-block; min-width: 30px; }
.lb-sum { margin: 6px 0 2px; padding: 3px 6px; background: #f3f7f3; border: 1px solid #d5e5d5; border-radius: 3px; }
.lb-strip { display: flex; flex-wrap: wrap; gap: 1px 1px; font: 11px var(--jp-code-font-family, monospace); line-height: 1.8;
  max-height: 140px; overflow-y: auto; margin: 2px 0 6px; max-width: 100%; }
.lb-strip .lb-tok { padding: 0 2px; border-radius: 2px; cursor: pointer; border: 1px solid transparent; }
.lb-strip .lb-tok.lb-sel { outline: 2px solid #d62728; outline-offset: -1px; }
.lb-strip .lb-tok.lb-nosel { cursor: default; color: #999; }
.lb-attr-text { display: flex; flex-wrap: wrap; gap: 2px 1px; font: 12px var(--jp-code-font-family, monospace); line-height: 1.9;
  max-width: 100%; max-height: 360px; overflow-y: auto; }
.lb-attr-text .lb-tok { padding: 1px 2px; border-radius: 2px; }
.lb-attr-text .lb-tok.lb-at { outline: 2px dashed #333; outline-offset: -1px; }
.lb-faith td, .lb-faith th { padding: 1px 6px; }
.lb-facts { display: flex; gap: 4px 14px; flex-wrap: wrap; margin: 4px 0; }
`;

function renderDLA(model, el) {
  const {root, body, controls, drawn, tip} = frame(model, el, model.get('title') || 'Direct logit attribution');
  root.append(h('style', {text: ATTR_CSS}));
  const rowBox = select(model, 'row', 'prompt row', []), posBox = select(model, 'pos', 'position', []);
  const targetBox = select(model, 'target', 'target', []);
  const live = model.get('live');
  controls.append(promptBox(model), live ? traitBox(model, 'target_token', 'target token', 10, 'one token; Enter runs') : '',
                  live ? traitBox(model, 'minus', 'minus', 10, 'a token whose logit is subtracted (empty: none); Enter runs') : '',
                  rowBox, posBox, targetBox);
  const readout = h('div', {class: 'lb-readout lb-note'}, 'hover a part for its exact value');

  function describe(d, layer, col) {   // what a part is, in words
    if (layer === null) return {embed: 'the token and position embedding (resid_pre.0)', 'final norm bias': "the final norm's bias through the unembedding",
                                'unembed bias': "the unembedding's bias"}[col] || col;
    if (/^H\d+$/.test(col)) return `L${layer}${col}: head ${col.slice(1)} of layer ${layer} (its result through its slice of the output projection)`;
    if (col === 'attn bias') return `L${layer} attn bias: the output projection's bias of layer ${layer}`;
    if (col === 'attn') return `L${layer} attn: layer ${layer}'s attention output`;
    if (col === 'attn Σ') return `L${layer} attention total: its heads and bias added up`;
    return `L${layer} mlp: layer ${layer}'s MLP output`;
  }
  function hover(e, d, layer, col, v) {
    const where = `${d.what} at `;
    const text = `${describe(d, layer, col)}: ${v >= 0 ? '+' : ''}${fmt(v, 4)} logit units`;
    readout.textContent = text;
    tip.show(e, h('div', {style: 'font-weight:600'}, describe(d, layer, col)),
             h('div', {}, `${v >= 0 ? '+' : ''}${fmt(v, 4)} logit units to ${where}`, h('span', {class: 'lb-tok'}, tok(d.token, 16)),
               ` (position ${d.position})`));
  }
  function draw() {
    const d = model.get('data');
    tip.hide();
    if (!d.grid) { body.replaceChildren(h('div', {class: 'lb-note'}, 'no attribution')); drawn(); return; }
    rowBox.setOptions(Array.from({length: d.n_rows}, (_, i) => [i, String(i)]));
    rowBox.style.display = d.n_rows > 1 ? '' : 'none';
    posBox.setOptions(d.positions_read.map((p, i) => [i, `${p}: ${tok(d.tokens_read[i], 12)}`]));
    posBox.style.display = d.positions_read.length > 1 ? '' : 'none';
    targetBox.setOptions(d.targets.map((t, i) => [i, tok(t, 14)]));
    targetBox.style.display = d.targets.length > 1 ? '' : 'none';
    const mlpAt = d.cols.indexOf('mlp'), heat = d.cols.map((c, j) => j).filter(j => j !== mlpAt);
    const L = d.rows.length, s = mkScale({values: d.grid.flatMap(r => heat.map(j => r[j])), cmap: 'diverging',
      label: 'direct contribution (logit units): red raises, blue lowers ' + d.what});
    const barVals = d.attn.concat(d.grid.map(r => r[mlpAt]), Object.values(d.rest));
    const vmax = Math.max(1e-9, ...barVals.filter(Number.isFinite).map(Math.abs));
    const barCell = (v, layer, col) => h('td', {class: 'lb-barcell', 'data-layer': layer, 'data-part': col, 'data-value': v},
                                         signedBar(v, vmax), ' ', h('span', {class: v >= 0 ? 'lb-pos' : 'lb-neg'}, short(v)));
    const rows = [...d.rows.keys()].reverse().map(l => h('tr', {}, h('th', {class: 'lb-rowhead'}, String(d.rows[l])),
      heat.map(j => { const v = d.grid[l][j], t = spos(s, v), rgb = t === null ? null : cmapRGB(s.cmap, t);
        return h('td', {class: /^H\d+$/.test(d.cols[j]) ? 'lb-head' : 'lb-other', 'data-layer': l, 'data-part': d.cols[j], 'data-value': v,
                        style: `background:${rgb ? `rgb(${rgb.join(',')})` : BLANK};color:${rgb ? inkRGB(rgb) : '#111'}`},
                 short(v)); }),
      h('td', {class: 'lb-sep'}), barCell(d.attn[l], l, 'attn Σ'), barCell(d.grid[l][mlpAt], l, 'mlp')));
    const head = h('tr', {class: 'lb-colheads lb-colheads-top'}, h('th', {class: 'lb-corner'}, 'layer'),
                   heat.map(j => h('th', {class: 'lb-colhead'}, d.cols[j])), h('th', {class: 'lb-sep'}),
                   h('th', {class: 'lb-colhead', style: 'text-align:left', title: "each layer's attention: its heads and bias added up"}, 'attn Σ'),
                   h('th', {class: 'lb-colhead', style: 'text-align:left', title: "each layer's MLP output"}, 'mlp'));
    const table = h('table', {class: 'lb-grid lb-dla'}, head, rows);
    table.addEventListener('mousemove', e => {
      const td = e.target.closest && e.target.closest('td[data-part]');
      if (!td || !table.contains(td)) return;
      hover(e, d, Number(td.dataset.layer), td.dataset.part, Number(td.dataset.value));
    });
    table.addEventListener('mouseleave', () => tip.hide());
    const rest = h('table', {class: 'lb-table lb-dla-rest'}, Object.entries(d.rest).map(([k, v]) => {
      const tr = h('tr', {'data-part': k, 'data-value': v}, h('td', {class: 'lb-tok', style: 'text-align:left'}, k),
                   h('td', {}, signedBar(v, vmax)), h('td', {class: v >= 0 ? 'lb-pos' : 'lb-neg'}, (v >= 0 ? '+' : '') + fmt(v, 4)));
      tr.addEventListener('mousemove', e => hover(e, d, null, k, v)); tr.addEventListener('mouseleave', () => tip.hide());
      return tr; }));
    const nParts = d.grid.flat().filter(Number.isFinite).length + Object.keys(d.rest).length, err = d.total - d.logit;
    const strip = h('div', {class: 'lb-strip'}, d.tokens_read.map((t, i) => {
      const span = h('span', {class: 'lb-tok' + (i === d.pos ? ' lb-sel' : ''), 'data-pos': i, title: `position ${d.positions_read[i]}: ${JSON.stringify(String(t))}`}, tok(t, 20));
      span.addEventListener('click', () => { model.set('pos', i); model.save_changes(); });
      return span; }));
    body.replaceChildren(
      h('div', {class: 'lb-note'}, `${d.what}, read at `, h('span', {class: 'lb-tok'}, tok(d.token, 20)),
        ` (position ${d.position}${d.n_rows > 1 ? `, prompt ${d.row}` : ''}), split into what each part writes directly into the stream` +
        (d.tokens_read.length > 1 ? '; click a token to read another position' : '')),
      d.tokens_read.length > 1 ? strip : '',
      h('div', {class: 'lb-side'},
        h('div', {style: 'min-width:0;max-width:100%'},
          h('div', {class: 'lb-gridbox', style: 'max-height:600px'}, table), colourBar(s)),
        h('div', {style: 'min-width:230px'}, h('div', {class: 'lb-note'}, 'embedding and constants (bars: the same units as the layer bars)'), rest)),
      readout,
      h('div', {class: 'lb-sum', 'data-total': d.total, 'data-logit': d.logit},
        `Sum of all ${nParts} parts = ${fmt(d.total, 4)}; the model's own ${d.minus ? 'logit difference' : 'logit'} = ${fmt(d.logit, 4)} ` +
        `(residual error ${Math.abs(err) < 5e-13 ? '0' : err.toExponential(1)}). The final norm's scale is frozen at its value on this run, ` +
        `so the split is linear and exact; "direct": a part acting through later layers is credited only with what it writes itself.`));
    drawn();
  }
  const redraw = coalesce(draw);
  model.on('change:data', redraw);
  draw();
}

const METHODS = {grad_x_act: 'gradient × activation', ig: 'integrated gradients'};
function renderTokens(model, el) {
  const {root, body, controls, drawn, tip} = frame(model, el, model.get('title') || 'Token attribution');
  root.append(h('style', {text: ATTR_CSS}));
  const live = model.get('live');
  const rowBox = select(model, 'row', 'prompt row', []);
  const win = {start: null, size: 0};
  const windowBox = h('span', {class: 'lb-windowbox'});
  controls.append(promptBox(model), live ? select(model, 'method', 'method', Object.entries(METHODS)) : '',
                  live ? traitBox(model, 'target', 'target', 10, 'one token; Enter runs') : '', rowBox, windowBox);
  let lastKey = '';
  function draw() {
    const d = model.get('data');
    tip.hide();
    if (!d.sites) { body.replaceChildren(h('div', {class: 'lb-note'}, 'no attribution')); drawn(); return; }
    const r = d.row, n = d.n[r], toks = d.tokens[r].slice(0, n), at = d.pos[r];
    rowBox.setOptions(d.n.map((_, i) => [i, String(i)])); rowBox.style.display = d.n.length > 1 ? '' : 'none';
    const vals = d.sites.map(st => d.scores[st][r].slice(0, n));
    const s = mkScale({values: vals.flat(), cmap: 'diverging', label: 'attribution (logit units): red raises the target, blue lowers it'});
    const show = (e, st, j) => tip.show(e, h('div', {}, h('span', {class: 'lb-tok'}, tok(toks[j], 24)), ` position ${j}` + (d.sites.length > 1 ? ` at ${st}` : '')),
      h('div', {}, `${METHODS[d.method]}: ${fmt(d.scores[st][r][j], 4)}`));
    let picture;
    if (d.sites.length === 1) {
      windowBox.replaceChildren();
      picture = h('div', {}, h('div', {class: 'lb-attr-text'}, toks.map((t, j) => {
        const v = vals[0][j], span = h('span', {class: 'lb-tok' + (j === at ? ' lb-at' : ''), 'data-pos': j, 'data-value': v,
          style: `background:${scol(s, v)};color:${sink(s, v)}`}, tok(t, 24));
        span.addEventListener('mousemove', e => show(e, d.sites[0], j)); span.addEventListener('mouseleave', () => tip.hide());
        return span; })), colourBar(s));
    } else {
      const key = `${r}:${n}`;
      if (!win.size) win.size = Math.min(48, fit(root, 40, 160, 8));
      if (key !== lastKey) { win.start = null; lastKey = key; }
      windowBox.replaceChildren(windowBar(n, win, draw));
      const j0 = win.start;
      picture = heatGrid({cls: 'lb-attrgrid', rows: d.sites, cols: toks.slice(j0, j0 + win.size), s, top: true, corner: 'site',
        data: ['site', 'pos'], colIndex: j => j0 + j, label: c => tok(c, 7), headAt: 'bottom',
        value: (i, j) => vals[i][j0 + j], onhover: (i, j, e) => show(e, d.sites[i], j0 + j), onleave: () => tip.hide()});
    }
    const facts = [h('span', {class: 'lb-fvalue'}, `f = the logit attributed = ${fmt(d.value[r], 4)}`)];
    const comp = [];
    if (d.completeness) for (const st of d.sites) {
      const sum = vals[d.sites.indexOf(st)].reduce((a, b) => a + b, 0), fb = d.baseline_value ? d.baseline_value[st][r] : null;
      comp.push(h('div', {class: 'lb-completeness', 'data-site': st, 'data-error': d.completeness[st][r]},
        `completeness${d.sites.length > 1 ? ` at ${st}` : ''}: Σ IG = ${fmt(sum, 4)}` +
        (fb !== null ? ` vs f(input) − f(baseline) = ${fmt(d.value[r], 4)} − ${fmt(fb, 4)} = ${fmt(d.value[r] - fb, 4)}` : '') +
        `; error ${fmt(d.completeness[st][r], 4)} at ${d.steps} steps, baseline ${d.baseline}` +
        (d.completeness[st][r] > 0.05 * Math.max(1, Math.abs(d.value[r])) ? ' (large: more steps, keep_first=True or another baseline may help)' : '')));
    }
    const fa = model.get('faith');
    let faith = '';
    if (fa && fa.fractions) {
      const keys = [['comprehensiveness', 'comprehensiveness ↑'], ['random_comprehensiveness', 'random'], ['sufficiency', 'sufficiency ↓'], ['random_sufficiency', 'random']];
      faith = h('div', {class: 'lb-faith', style: 'margin-top:6px'},
        h('div', {class: 'lb-note'}, `faithfulness of the ${fa.site} ranking (${fa.n} prompt${fa.n === 1 ? '' : 's'}): drop in p(target) ` +
          'when the top fraction of tokens is deleted (comprehensiveness, higher is better) or kept alone (sufficiency, lower is better), against random rankings'),
        h('table', {class: 'lb-table'}, h('tr', {}, h('th', {}, 'fraction'), keys.map(([, t]) => h('th', {}, t))),
          fa.fractions.map((q, i) => h('tr', {}, h('td', {}, `${+(q * 100).toFixed(1)}%`), keys.map(([k]) => h('td', {}, fmt(fa[k][i], 3))))),
          h('tr', {class: 'lb-aopc', style: 'font-weight:600'}, h('td', {}, 'AOPC'), keys.map(([k]) => h('td', {'data-key': k}, fmt(fa.aopc[k], 3))))));
    }
    body.replaceChildren(
      h('div', {class: 'lb-note'}, `${METHODS[d.method]} of the logit of `, h('span', {class: 'lb-tok'}, tok(d.targets[r], 24)),
        ` at position ${at} (after `, h('span', {class: 'lb-tok'}, tok(toks[at] ?? '', 16)), d.sites.length === 1 ? ', outlined)' : ')',
        (d.sites.length > 1 ? `; one row per site, units summed` : ` at ${d.sites[0]}`)),
      picture, h('div', {class: 'lb-facts'}, facts), h('div', {class: 'lb-checks'}, comp), faith);
    if (d.sites.length > 1) autoFit(body, win, n, draw);
    drawn();
  }
  const redraw = coalesce(draw);
  model.on('change:data', redraw); model.on('change:faith', redraw);
  draw();
}

function render({ model, el }) {
  if (model.get('kind') === 'tokens') renderTokens(model, el); else renderDLA(model, el);
}
export default { render };
