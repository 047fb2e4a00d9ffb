// AttentionView: one head's pattern as a heatmap or as lines between tokens, or every head of a layer as a grid;
// the entropy of every head (layers x heads) to navigate. Patterns of the current layer arrive as uint8 bytes.
function render({ model, el }) {
  const {body, controls, drawn} = frame(model, el, model.get('title') || 'Attention');
  const L = model.get('n_layers'), H = model.get('n_heads'), KV = model.get('n_kv_heads');
  const group = H / KV;
  const headName = hh => KV < H ? `H${hh} (kv ${Math.floor(hh / group)})` : `H${hh}`;
  let hover = null;  // [query, key] under the mouse
  controls.append(
    promptBox(model),
    select(model, 'layer', 'layer', Array.from({length: L}, (_, i) => [i, i])),
    select(model, 'head', 'head', [[-1, 'all heads'], ...Array.from({length: H}, (_, i) => [i, headName(i)])]),
    select(model, 'mode', 'view', [['heatmap', 'heatmap'], ['lines', 'lines']], draw));
  const info = h('div', {class: 'lb-note'});

  function pattern(hh) {  // [size, size] values in [0, 1] of head hh
    const n = model.get('size'), a = bytes(model.get('attn'));
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
    const toks = model.get('tokens'), n = model.get('size'), px = Math.min(520, Math.max(160, n * 14));
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
    const toks = model.get('tokens'), n = model.get('size'), rowH = 16, W = 420, Ht = n * rowH + 8;
    const svg = h('svg:svg', {width: W, height: Ht, class: 'lb-lines'});
    const heads = hh < 0 ? Array.from({length: H}, (_, i) => i) : [hh];
    const colours = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
    const focus = hover ? hover[0] : null;
    for (const k of heads) {
      const {at} = pattern(k);
      for (let q = 0; q < n; q++) {
        if (focus !== null && q !== focus) continue;
        for (let j = 0; j < n; j++) {
          const v = at(q, j); if (v < 0.04) continue;
          svg.append(h('svg:line', {x1: 120, y1: q * rowH + 12, x2: W - 120, y2: j * rowH + 12,
            stroke: hh < 0 ? colours[k % 10] : '#1f4e9c', 'stroke-opacity': Math.min(1, v).toFixed(3), 'stroke-width': 1.5}));
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
    const ent = model.get('entropy'), flat = ent.flat(), [lo, hi] = range(flat);
    const t = h('table', {class: 'lb-grid lb-entropy'},
      h('tr', {}, h('th', {}, 'layer'), Array.from({length: H}, (_, i) => h('th', {}, headName(i)))),
      ent.map((row, l) => h('tr', {}, h('th', {}, String(l)), row.map((v, hh) => {
        const x = (v - lo) / (hi - lo), td = h('td', {style: `background:${viridis(x, true)};color:${ink(x, true)}`,
          title: `layer ${l} ${headName(hh)}: entropy ${fmt(v, 2)} nats`, 'data-layer': l, 'data-head': hh}, fmt(v, 2));
        if (l === model.get('layer') && hh === model.get('head')) td.classList.add('lb-sel');
        td.addEventListener('click', () => { model.set('layer', l); model.set('head', hh); model.save_changes(); });
        return td;
      }))).reverse());
    return h('div', {}, h('div', {class: 'lb-note'}, 'mean attention entropy per head (nats; bright = sharp, dark = spread out); click to show'), t);
  }
  function draw() {
    const hh = model.get('head'), mode = model.get('mode');
    const view = mode === 'lines' ? lines(hh)
      : hh >= 0 ? single(hh)
      : h('div', {style: 'display:flex;flex-wrap:wrap;gap:8px'}, Array.from({length: H}, (_, k) => {
          const c = heat(k, 120); c.style.cursor = 'pointer';
          c.addEventListener('click', () => { model.set('head', k); model.save_changes(); });
          return h('div', {class: 'lb-headcell', 'data-head': k}, h('div', {text: headName(k)}), c);
        }));
    body.replaceChildren(
      model.get('note') ? h('div', {class: 'lb-note lb-downsampled'}, model.get('note')) : '',
      h('div', {class: 'lb-side'}, h('div', {}, view, info), entropyTable()));
    drawn();
  }
  const redraw = coalesce(draw);
  model.on('change:attn', redraw); model.on('change:tokens', redraw); model.on('change:entropy', redraw);
  model.on('change:head', redraw);
  draw();
}
export default { render };
