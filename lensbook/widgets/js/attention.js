// AttentionView: one head's pattern as a heatmap or as lines between tokens, or every head of a layer as a grid;
// the entropy of every head (layers x heads) to navigate. `data` is the AttentionResult's payload of the chosen
// layer: its patterns arrive as uint8 bytes [heads, size, size]; a new layer comes from the kernel (no model run).
// Colour (linear, log, or each query row divided by its largest weight), hiding the first key (the attention
// sink) and the position window are browser-side; every picture has token labels (thinned so they never collide).
function render({ model, el }) {
  const {root, body, controls, drawn, tip} = frame(model, el, model.get('title') || 'Attention');
  const d0 = model.get('data'), H = d0.n_heads, KV = d0.n_kv_heads, group = H / KV;
  const headName = hh => KV < H ? `H${hh} (kv ${Math.floor(hh / group)})` : `H${hh}`;
  let hover = null;  // [query, key] under the mouse (absolute positions)
  const opt = {colour: 'row', hideFirst: false};
  const win = {start: null, size: 64};
  const windowBox = h('span', {class: 'lb-windowbox'});
  controls.append(
    promptBox(model),
    select(model, 'layer', 'layer', d0.layers.map((l, i) => [i, l])),
    select(model, 'head', 'head', [[-1, 'all heads'], ...Array.from({length: H}, (_, i) => [i, headName(i)])]),
    select(model, 'mode', 'view', [['heatmap', 'heatmap'], ['lines', 'lines']], () => draw()),
    localSelect('colour', 'colour', [['row', 'each row ÷ its max'], ['log', 'log'], ['linear', 'linear']], () => opt.colour, v => { opt.colour = v; draw(); }),
    checkbox('hide-first', 'hide first key (sink)', () => opt.hideFirst, v => { opt.hideFirst = v; draw(); }),
    windowBox);
  const info = h('div', {class: 'lb-readout lb-note'}, 'hover the heatmap for a weight');

  function pattern(hh) {  // [size, size] values in [0, 1] of head hh
    const d = model.get('data'), n = d.size, a = bytes(d.attn);
    return {n, at: (q, k) => a[(hh * n + q) * n + k] / 255};
  }
  function scale() {
    const what = opt.colour === 'row' ? 'attention ÷ the row max' : 'attention weight';
    const extra = opt.hideFirst ? ', first key hidden' : '';
    return opt.colour === 'log' ? mkScale({lo: 1e-3, hi: 1, log: true, label: what + extra}) : mkScale({lo: 0, hi: 1, label: what + extra});
  }
  function keysOf(a, b) { const k0 = opt.hideFirst && a === 0 ? 1 : a; return [k0, b]; }
  function heat(hh, px, a, b) {  // a canvas heatmap of head hh, queries and keys a..b-1, px pixels a side
    const {at} = pattern(hh), [k0, k1] = keysOf(a, b), nq = b - a, nk = Math.max(1, k1 - k0), s = scale();
    const c = h('canvas', {width: nk, height: nq, class: 'lb-heat', 'data-head': hh});
    c.style.cssText = `width:${px}px;height:${px}px;image-rendering:pixelated;border:1px solid #ccc;display:block`;
    const g = c.getContext('2d'), img = g.createImageData(nk, nq);
    for (let q = a; q < b; q++) {
      let mx = 0;
      if (opt.colour === 'row') for (let k = k0; k < k1; k++) mx = Math.max(mx, at(q, k));
      for (let k = k0; k < k1; k++) {
        const v = at(q, k), o = 4 * ((q - a) * nk + (k - k0));
        const rgb = k > q ? [243, 243, 243] : cmapRGB(s.cmap, spos(s, opt.colour === 'row' ? (mx > 0 ? v / mx : 0) : v) ?? 0);
        img.data[o] = rgb[0]; img.data[o + 1] = rgb[1]; img.data[o + 2] = rgb[2]; img.data[o + 3] = 255;
      }
    }
    g.putImageData(img, 0, 0);
    return c;
  }
  function readout(hh) {
    const d = model.get('data');
    if (!hover || hover[0] >= d.size || hover[1] >= d.size) { info.textContent = 'hover the heatmap for a weight'; return; }
    const [q, k] = hover;
    info.textContent = `${headName(hh)}, layer ${d.layers[d.layer]}: query ${q} ${tok(d.tokens[q])} → key ${k} ${tok(d.tokens[k])}: ` +
                       `${fmt(pattern(hh).at(q, k), 3)}`;
  }
  function labelled(hh, px, a, b, small) {  // heatmap with query labels on the left and key labels under it
    const toks = model.get('data').tokens, [k0, k1] = keysOf(a, b), c = heat(hh, px, a, b);
    c.addEventListener('mousemove', e => {
      const r = c.getBoundingClientRect();
      const q = a + Math.floor((e.clientY - r.top) / r.height * (b - a)), k = k0 + Math.floor((e.clientX - r.left) / r.width * (k1 - k0));
      if (q < a || k < k0 || q >= b || k >= k1) return;
      hover = [q, k]; readout(hh);
      tip.show(e, h('div', {}, info.textContent));
    });
    c.addEventListener('mouseleave', () => tip.hide());
    const lim = small ? 6 : 10;
    const v = axisLabels(toks.slice(a, b), px, {vertical: true, limit: lim, offset: a});
    const hz = axisLabels(toks.slice(k0, k1), px, {limit: lim, offset: k0});
    if (small) { v.style.width = '50px'; hz.style.height = '44px'; }
    return h('div', {class: 'lb-labelled', style: `display:grid;grid-template-columns:auto ${px}px;align-items:start`},
      v, c, h('div', {}), hz);
  }
  function lines(hh, a, b) {  // tokens on two columns; a line from query (left) to key (right), opacity = weight
    const toks = model.get('data').tokens, n = b - a, rowH = 16, W = 420, Ht = n * rowH + 8;
    const svg = h('svg:svg', {width: W, height: Ht, class: 'lb-lines'});
    const heads = hh < 0 ? Array.from({length: H}, (_, i) => i) : [hh];
    const focus = hover ? hover[0] : null, [k0] = keysOf(a, b);
    for (const k of heads) {
      const {at} = pattern(k);
      for (let q = a; q < b; q++) {
        if (focus !== null && q !== focus) continue;
        for (let j = k0; j < b; j++) {
          const v = at(q, j); if (v < 0.04) continue;
          svg.append(h('svg:line', {x1: 120, y1: (q - a) * rowH + 12, x2: W - 120, y2: (j - a) * rowH + 12,
            stroke: hh < 0 ? PALETTE[k % PALETTE.length] : '#1f4e9c', 'stroke-opacity': Math.min(1, v).toFixed(3), 'stroke-width': 1.5}));
        }
      }
    }
    for (let i = a; i < b; i++) {
      const left = h('svg:text', {x: 116, y: (i - a) * rowH + 16, 'text-anchor': 'end', class: 'lb-q', style: 'font:11px monospace;cursor:pointer'});
      left.textContent = tok(toks[i], 16);
      left.addEventListener('mouseenter', () => { hover = [i, 0]; draw(); });
      const right = h('svg:text', {x: W - 116, y: (i - a) * rowH + 16, style: 'font:11px monospace'});
      right.textContent = tok(toks[i], 16);
      svg.append(left, right);
    }
    svg.addEventListener('mouseleave', () => { if (hover) { hover = null; draw(); } });
    return svg;
  }
  function entropyTable() {  // layers x heads mean attention entropy; click a cell to show that head
    const d = model.get('data'), ent = d.entropy;
    const s = mkScale({values: ent.flat(), cmap: 'viridis_r', label: 'mean attention entropy (nats); bright = low (sharp)'});
    return h('div', {}, h('div', {class: 'lb-note'}, 'every head: click one to show it'),
      heatGrid({cls: 'lb-entropy', rows: d.layers, cols: Array.from({length: H}, (_, i) => `H${i}`), corner: 'layer', s,
        data: ['layer', 'head'], headAt: 'top', label: String, sel: [model.get('layer'), model.get('head')], maxHeight: 420,
        value: (l, hh) => ent[l][hh], text: (l, hh) => fmt(ent[l][hh], 1),
        title: (l, hh) => `layer ${d.layers[l]} ${headName(hh)}: entropy ${fmt(ent[l][hh], 2)} nats`,
        onclick: (l, hh) => { model.set('layer', l); model.set('head', hh); model.save_changes(); }}));
  }
  let lastN = -1;
  function draw() {
    const hh = model.get('head'), mode = model.get('mode'), d = model.get('data'), n = d.size;
    if (n !== lastN) { win.start = null; lastN = n; hover = null; }
    windowBox.replaceChildren(n > 64 || win.size < n ? windowBar(n, win, () => draw(), [16, 32, 48, 64, 96, 128, 256]) : '');
    const a = n > win.size ? win.start : 0, b = n > win.size ? win.start + win.size : n;
    const big = Math.min(480, Math.max(220, (b - a) * 14));
    const view = mode === 'lines' ? lines(hh, a, b)
      : hh >= 0 ? labelled(hh, big, a, b, false)
      : h('div', {style: 'display:flex;flex-wrap:wrap;gap:8px'}, Array.from({length: H}, (_, k) => {
          const cell = labelled(k, 150, a, b, true); cell.style.cursor = 'pointer';
          cell.querySelector('canvas').addEventListener('click', () => { model.set('head', k); model.save_changes(); });
          return h('div', {class: 'lb-headcell', 'data-head': k}, h('div', {style: 'font-weight:600', text: headName(k)}), cell);
        }));
    if (hh >= 0) readout(hh); else info.textContent = 'click a head to show it alone';
    body.replaceChildren(
      d.note ? h('div', {class: 'lb-note lb-downsampled'}, d.note) : '',
      h('div', {class: 'lb-note'}, `layer ${d.layers[d.layer]}: queries down, keys across (causal: the grey upper triangle is masked)`),
      h('div', {class: 'lb-side'}, h('div', {style: 'min-width:0;max-width:100%'}, mode === 'lines' ? '' : colourBar(scale()), view, info), entropyTable()));
    drawn();
  }
  const redraw = coalesce(draw);
  model.on('change:data', redraw); model.on('change:head', redraw);
  draw();
}
export default { render };
