// AttentionView: one head's pattern as a heatmap or as lines between tokens, or every head of a layer as a grid;
// the entropy of every head (layers x heads) to navigate. `data` is the AttentionResult's payload of the chosen
// layer: its patterns arrive as uint8 bytes [heads, size, size]; a new layer comes from the kernel (no model run).
function render({ model, el }) {
  const {body, controls, drawn} = frame(model, el, model.get('title') || 'Attention');
  const d0 = model.get('data'), H = d0.n_heads, KV = d0.n_kv_heads, group = H / KV;
  const headName = hh => KV < H ? `H${hh} (kv ${Math.floor(hh / group)})` : `H${hh}`;
  let hover = null;  // [query, key] under the mouse
  controls.append(
    promptBox(model),
    select(model, 'layer', 'layer', d0.layers.map((l, i) => [i, l])),
    select(model, 'head', 'head', [[-1, 'all heads'], ...Array.from({length: H}, (_, i) => [i, headName(i)])]),
    select(model, 'mode', 'view', [['heatmap', 'heatmap'], ['lines', 'lines']], draw));
  const info = h('div', {class: 'lb-note'});

  function pattern(hh) {  // [size, size] values in [0, 1] of head hh
    const d = model.get('data'), n = d.size, a = bytes(d.attn);
    return {n, at: (q, k) => a[(hh * n + q) * n + k] / 255};
  }
  function heat(hh, px) {  // a canvas heatmap of head hh, px pixels a side
    const {n, at} = pattern(hh), c = h('canvas', {width: n, height: n, class: 'lb-heat'});
    c.style.cssText = `width:${px}px;height:${px}px;image-rendering:pixelated;border:1px solid #ccc`;
    const g = c.getContext('2d'), img = g.createImageData(n, n);
    for (let q = 0; q < n; q++) for (let k = 0; k < n; k++) {
      const v = at(q, k), o = 4 * (q * n + k), rgb = viridis(v).match(/\d+/g);
      img.data[o] = +rgb[0]; img.data[o + 1] = +rgb[1]; img.data[o + 2] = +rgb[2]; img.data[o + 3] = 255;
    }
    g.putImageData(img, 0, 0);
    return c;
  }
  function single(hh) {
    const toks = model.get('data').tokens, n = toks.length, px = Math.min(520, Math.max(160, n * 14));
    const c = heat(hh, px);
    c.addEventListener('mousemove', e => {
      const r = c.getBoundingClientRect(), q = Math.floor((e.clientY - r.top) / r.height * n), k = Math.floor((e.clientX - r.left) / r.width * n);
      if (q < 0 || k < 0 || q >= n || k >= n) return;
      hover = [q, k];
      info.textContent = `${headName(hh)}: query ${q} ${tok(toks[q])} → key ${k} ${tok(toks[k])}: ${fmt(pattern(hh).at(q, k), 3)}`;
    });
    const ticks = (vertical) => n > 64 ? null : h('div', {class: 'lb-ticks', style: vertical
        ? `display:flex;flex-direction:column;height:${px}px;justify-content:space-around;text-align:right;font:10px monospace`
        : `display:flex;width:${px}px;justify-content:space-around;font:10px monospace;writing-mode:vertical-rl;margin-left:0`},
      toks.map(t => h('span', {class: 'lb-tok'}, tok(t, 10))));
    return h('div', {class: 'lb-side'},
      h('div', {}, h('div', {style: 'display:flex;gap:4px'}, ticks(true), c),
                   h('div', {style: `padding-left:${n > 64 ? 0 : 70}px`}, ticks(false))));
  }
  function lines(hh) {  // tokens on two columns; a line from query (left) to key (right), opacity = weight
    const toks = model.get('data').tokens, n = toks.length, rowH = 16, W = 420, Ht = n * rowH + 8;
    const svg = h('svg:svg', {width: W, height: Ht, class: 'lb-lines'});
    const heads = hh < 0 ? Array.from({length: H}, (_, i) => i) : [hh];
    const focus = hover ? hover[0] : null;
    for (const k of heads) {
      const {at} = pattern(k);
      for (let q = 0; q < n; q++) {
        if (focus !== null && q !== focus) continue;
        for (let j = 0; j < n; j++) {
          const v = at(q, j); if (v < 0.04) continue;
          svg.append(h('svg:line', {x1: 120, y1: q * rowH + 12, x2: W - 120, y2: j * rowH + 12,
            stroke: hh < 0 ? PALETTE[k % PALETTE.length] : '#1f4e9c', 'stroke-opacity': Math.min(1, v).toFixed(3), 'stroke-width': 1.5}));
        }
      }
    }
    toks.forEach((t, i) => {
      const left = h('svg:text', {x: 116, y: i * rowH + 16, 'text-anchor': 'end', class: 'lb-q', style: 'font:11px monospace;cursor:pointer'});
      left.textContent = tok(t, 16);
      left.addEventListener('mouseenter', () => { hover = [i, 0]; draw(); });
      const right = h('svg:text', {x: W - 116, y: i * rowH + 16, style: 'font:11px monospace'});
      right.textContent = tok(t, 16);
      svg.append(left, right);
    });
    svg.addEventListener('mouseleave', () => { if (hover) { hover = null; draw(); } });
    return svg;
  }
  function entropyTable() {  // layers x heads mean attention entropy; click a cell to show that head
    const d = model.get('data'), ent = d.entropy, [lo, hi] = range(ent.flat());
    const t = grid({cls: 'lb-entropy', rows: d.layers, cols: Array.from({length: H}, (_, i) => headName(i)), corner: 'layer',
      data: ['layer', 'head'], headAt: 'top', label: String, sel: [model.get('layer'), model.get('head')],
      cell: (l, hh) => ({x: (ent[l][hh] - lo) / (hi - lo), rev: true, text: fmt(ent[l][hh], 2),
                         title: `layer ${d.layers[l]} ${headName(hh)}: entropy ${fmt(ent[l][hh], 2)} nats`}),
      onclick: (l, hh) => { model.set('layer', l); model.set('head', hh); model.save_changes(); }});
    return h('div', {}, h('div', {class: 'lb-note'}, 'mean attention entropy per head (nats; bright = sharp, dark = spread out); click to show'), t);
  }
  function draw() {
    const hh = model.get('head'), mode = model.get('mode'), d = model.get('data');
    const view = mode === 'lines' ? lines(hh)
      : hh >= 0 ? single(hh)
      : h('div', {style: 'display:flex;flex-wrap:wrap;gap:8px'}, Array.from({length: H}, (_, k) => {
          const c = heat(k, 120); c.style.cursor = 'pointer';
          c.addEventListener('click', () => { model.set('head', k); model.save_changes(); });
          return h('div', {class: 'lb-headcell', 'data-head': k}, h('div', {text: headName(k)}), c);
        }));
    body.replaceChildren(
      d.note ? h('div', {class: 'lb-note lb-downsampled'}, d.note) : '',
      h('div', {class: 'lb-side'}, h('div', {}, view, info), entropyTable()));
    drawn();
  }
  const redraw = coalesce(draw);
  model.on('change:data', redraw); model.on('change:head', redraw);
  draw();
}
export default { render };
