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

  function hist(d) {  // log-count bars over the bins; hover a bar for its range and count
    const hs = d.histogram, W = 420, H = 150, L = 8, R = 8, T = 8, B = 30, n = hs.counts.length;
    const svg = h('svg:svg', {width: W, height: H, class: 'lb-hist'});
    if (!hs.count) return h('div', {class: 'lb-note'}, 'no values');
    const top = Math.log10(Math.max(...hs.counts) + 1), bw = (W - L - R) / n;
    const px = x => L + (x - hs.lo) / (hs.width * n) * (W - L - R);
    const readout = h('div', {class: 'lb-readout lb-note'}, 'hover a bar');
    hs.counts.forEach((c, i) => {
      if (!c) return;
      const ht = Math.log10(c + 1) / top * (H - T - B);
      const r = h('svg:rect', {x: L + i * bw, y: H - B - ht, width: Math.max(bw - 0.5, 0.5), height: ht, fill: '#4c72b0', 'data-bin': i});
      r.addEventListener('mouseenter', () => { readout.textContent = `[${fmt(hs.lo + i * hs.width, 3)}, ${fmt(hs.lo + (i + 1) * hs.width, 3)}): ${c.toLocaleString()} tokens`; });
      svg.append(r);
    });
    for (const [key, col] of [['top', '#b2182b'], ['bottom', '#2166ac']]) {
      const xs = d[key] || [];
      if (xs.length) svg.append(h('svg:line', {x1: px(xs[xs.length - 1].value), x2: px(xs[xs.length - 1].value), y1: T, y2: H - B,
                                               stroke: col, 'stroke-dasharray': '3,2', class: `lb-hist-${key}`}));
    }
    const text = (t, x, y, anchor) => { const e = h('svg:text', {x, y, 'text-anchor': anchor, style: 'font:10px sans-serif;fill:#444'}); e.textContent = t; return e; };
    svg.append(h('svg:line', {x1: L, x2: W - R, y1: H - B, y2: H - B, stroke: '#999'}),
               text(num(hs.lo), L, H - B + 12, 'start'), text(num(hs.lo + hs.width * n), W - R, H - B + 12, 'end'),
               text('activation: tokens per bin (log scale); dashed: k-th top / bottom', W / 2, H - 4, 'middle'));
    const stats = h('div', {class: 'lb-hist-stats'}, `${hs.count.toLocaleString()} tokens · mean ${fmt(hs.mean, 3)} · std ${fmt(hs.std, 3)} · ` +
                    `min ${fmt(hs.min, 3)} · max ${fmt(hs.max, 3)}`);
    return h('div', {class: 'lb-histbox'}, h('div', {style: 'font-weight:600'}, 'histogram over every token'), svg, stats, readout);
  }
  function vocab(d) {  // promoted and suppressed tokens with bars scaled to the largest score in size
    const v = d.vocab;
    if (!v) return '';
    const hi = Math.max(1e-12, ...v.promoted.map(([, x]) => Math.abs(x)), ...v.suppressed.map(([, x]) => Math.abs(x)));
    const table = (rows, cls, col) => h('table', {class: `lb-table ${cls}`}, rows.map(([t, x]) => h('tr', {},
      h('td', {class: 'lb-tok', title: JSON.stringify(String(t))}, tok(t, 16)), h('td', {}, fmt(x, 2)),
      h('td', {}, h('span', {class: 'lb-bar', style: `width:${Math.round(70 * Math.abs(x) / hi)}px;background:${col}`})))));
    return h('div', {class: 'lb-vocab'}, h('div', {style: 'font-weight:600'}, 'what it writes'), h('div', {class: 'lb-note'}, v.title),
      h('div', {class: 'lb-side'}, h('div', {}, h('div', {class: 'lb-note'}, 'promotes'), table(v.promoted, 'lb-promoted', '#b2182b')),
                                  h('div', {}, h('div', {class: 'lb-note'}, 'suppresses'), table(v.suppressed, 'lb-suppressed', '#2166ac'))));
  }
  function draw() {
    const d = model.get('data');
    if (!d.histogram) { body.replaceChildren(h('div', {class: 'lb-note'}, 'no examples')); drawn(); return; }
    which.setOptions(['top', 'bottom', 'random'].filter(w => (d[w] || []).length || w === d.which).map(w => [w, NAMES[w]]));
    const xs = d[d.which] || [], shared = mkScale({lo: d.scale.lo, hi: d.scale.hi, cmap: 'diverging', label: d.scale.label});
    const rows = xs.map((e, i) => {
      const s = local.scale === 'row' ? mkScale({values: e.acts, cmap: 'diverging'}) : shared;
      const toks = e.tokens.map((t, j) => {
        const span = h('span', {class: 'lb-tok lb-ex-tok' + (j === e.centre ? ' lb-ex-centre' : ''), 'data-j': j,
                                style: `background:${scol(s, e.acts[j])};color:${sink(s, e.acts[j])}`}, tok(t, 24));
        span.addEventListener('mouseenter', ev => tip.show(ev, h('div', {}, h('span', {class: 'lb-tok'}, tok(t, 30)),
          ` (text ${e.text}, position ${e.pos - e.centre + j}): ${fmt(e.acts[j], 3)}`)));
        span.addEventListener('mouseleave', () => tip.hide());
        return span;
      });
      return h('div', {class: 'lb-example', 'data-rank': i, 'data-text': e.text, 'data-pos': e.pos},
               h('span', {class: 'lb-ex-val', title: `rank ${i + 1}`}, fmt(e.value, 3)),
               h('span', {class: 'lb-ex-where', title: e.label === null ? '' : `label ${e.label}`}, `#${e.text}:${e.pos}`),
               h('div', {class: 'lb-ex-ctx'}, toks));
    });
    const n = xs.length, name = {top: `top ${n}`, bottom: `bottom ${n} (most negative)`, random: `${n} random tokens (control)`}[d.which];
    const head = `${d.label}: ${name} of ${d.n_tokens.toLocaleString()} tokens in ` +
                 `${d.n_texts.toLocaleString()} texts (window ${d.window[0]} before, ${d.window[1]} after; outlined: the example's token)`;
    body.replaceChildren(h('div', {class: 'lb-note'}, head),
      h('div', {class: 'lb-examples'}, rows.length ? rows : h('div', {class: 'lb-note'}, 'none kept')),
      local.scale === 'row' ? h('div', {class: 'lb-note'}, 'each example on its own scale, symmetric about 0') : colourBar(shared),
      h('div', {class: 'lb-side', style: 'margin-top:8px'}, hist(d), vocab(d)));
    drawn();
  }
  const css = h('style', {text: `
.lb-examples { max-width: 100%; }
.lb-example { display: flex; gap: 8px; align-items: baseline; padding: 2px 0; border-bottom: 1px solid #f0f0f0; min-width: 0; }
.lb-ex-val { min-width: 4.5em; text-align: right; font-variant-numeric: tabular-nums; flex: none; }
.lb-ex-where { color: #888; font-size: 10px; min-width: 5em; flex: none; }
.lb-ex-ctx { display: flex; flex-wrap: wrap; min-width: 0; flex: 1; row-gap: 2px; }
.lb-ex-tok { padding: 1px 1px; margin-right: 1px; border-radius: 2px; cursor: default; }
.lb-ex-centre { outline: 2px solid #222; outline-offset: -1px; font-weight: 600; }
.lb-hist-stats { font-size: 11px; color: #444; }
`});
  el.querySelector('.lb-view').prepend(css);
  model.on('change:data', draw);
  draw();
}
export default { render };
