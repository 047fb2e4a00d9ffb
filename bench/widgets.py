"""Widget latency in a real browser: the time from a control change to the redrawn view, for AttentionView and
LensView on SmolLM2 with a ~20-token prompt, in JupyterLab on Debian's Chromium (the harness of tests/browser_lab.py).

Two kinds of move, each with its target:
- redraw, no model run (target: median < 100 ms): AttentionView head, view mode and colour scale (drawn in the browser
  alone) and layer (the kernel sends that layer's cached patterns back: a round trip, no model run); LensView colour
  metric and position window;
- rerun of SmolLM2 (target: median within 1.5x the raw forward): LensView target token and prompt, AttentionView prompt
  (Enter in the box), InterventionPanel steering scale and ablated layer (next-token distribution, max_new_tokens=0).
  Re-runs use values never used before (the views cache what they made).

Each move is made inside the page (a select's value set and a `change` dispatched, or an input's value set and
Enter dispatched, as kit.js listens for them); `performance.now()` is read just before, and again when the view's
root (`.lb-view`) has counted a new draw in `data-draws` and is not busy (`data-busy`): that is `draw`. `frame`
adds the wait for the next animation frame (style, layout and paint of the new DOM). Values alternate, so every
move is a real change; `--warmup` moves per kind are not timed, then `--repeats` are. Per kind: median and 90th
percentile; per class (redraw, rerun): the same over every timed move of its kinds, and a target counts as met when
every kind's median is under it. For scale, the kernel also times the raw forward pass on the same prompt and the
computation each rerun needs, before messaging and drawing: a lens prompt needs `logit_lens` (the forward and 30
full-vocabulary unembeddings, several forwards' worth of multiply-adds on SmolLM2), a lens target only
`with_targets` (the unembeddings of the kept states, no forward), an attention prompt and the panel a forward each.
rerun_vs_raw_forward is the ratio of the rerun median to the raw forward median; rerun_vs_compute, per kind, the ratio
to the computation it needs (what the view adds). The kernel runs torch with `--threads`; the browser shares the machine.
The last line is one JSON object.

    python bench/widgets.py [--repeats 15] [--warmup 5] [--threads N]
"""
import argparse, json, os, pathlib, statistics, sys, tempfile
sys.path.insert(0, str(pathlib.Path(__file__).parents[1]/'tests'))
from browser_lab import lab_server, write_notebook, open_notebook, run_all, kernel_eval, CHROMIUM, CHROMIUM_ARGS, TIMEOUT

PROMPTS = ('The Eiffel Tower is a famous iron landmark, and every year millions of tourists travel to the city of',
           'The Colosseum is a famous stone arena, and every year millions of visitors travel to the city of')
SETUP = '''import lensbook as lb, torch, time, statistics
torch.set_num_threads({threads})
m = lb.load('smollm2')
def _ms(f, n):
    f(); out = []
    for _ in range(n):
        t = time.perf_counter(); f(); out.append((time.perf_counter() - t) * 1000)
    return statistics.median(out)
def _forward(prompt):
    x = m.tokenizer(prompt, return_tensors='pt')
    with torch.inference_mode(): m.model(**x, use_cache=False)'''

# Re-runs get values never used before in the session (the views cache results they have made: going back to a
# choice costs no model run, which would hide the cost of a real change).
TARGETS = [' Paris', ' Rome', ' London', ' Berlin', ' Madrid', ' Tokyo', ' Vienna', ' Prague', ' Lisbon', ' Dublin', ' Athens',
           ' Oslo', ' Cairo', ' Moscow', ' Warsaw', ' Sydney', ' Boston', ' Delhi', ' Lima', ' Seoul']
PLACES = ['Louvre', 'Big Ben', 'Colosseum', 'Acropolis', 'Kremlin', 'Prado', 'Alhambra', 'Parthenon', 'Pantheon', 'Uffizi',
          'Hermitage', 'Reichstag', 'Vatican', 'Atomium', 'Belem Tower', 'Sagrada Familia', 'Tower Bridge', 'Brandenburg Gate',
          'Charles Bridge', 'Little Mermaid']
FRESH = [f'The {p} is a famous landmark, and every year millions of tourists travel to the city of' for p in PLACES]
# (view index, kind, CSS selector, how to change it, values to alternate, needs a model run)
MOVES = [(0, 'attention_head', 'select[data-trait=head]', 'select', [str(i) for i in (*range(1, 9), 0)], False),
         (0, 'attention_mode', 'select[data-trait=mode]', 'select', ['lines', 'heatmap'], False),
         (0, 'attention_colour', 'select[data-local=colour]', 'select', ['log', 'linear', 'row'], False),
         (0, 'attention_layer', 'select[data-trait=layer]', 'select', [str(7 * i % 30) for i in range(1, 30)], False),
         (1, 'lens_metric', 'select[data-trait=metric]', 'select', ['entropy', 'kl', 'p'], False),
         (1, 'lens_window', 'select[data-local=window-size]', 'select', ['12', '16'], False),
         (1, 'lens_target', 'input[data-trait=target]', 'enter', TARGETS, True),
         (1, 'lens_prompt', 'input[data-trait=prompt]', 'enter', FRESH, True),
         (0, 'attention_prompt', 'input[data-trait=prompt]', 'enter', FRESH[::-1], True),
         (2, 'panel_scale', 'input[data-trait=scale]', 'range', [f'{0.1 * (i + 1):.1f}' for i in range(20)], True),
         (2, 'panel_layer', 'input[data-trait=layer]', 'range', [str(i) for i in range(1, 29)], True)]

MOVE_JS = """async ([i, sel, how, value, timeout]) => {
  const view = document.querySelectorAll('.lb-view')[i], el = view.querySelector(sel);
  view.scrollIntoView({block: 'start'});
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));   // settle the scroll before timing
  const n = Number(view.dataset.draws);
  let obs, timer;
  const done = new Promise(res => {
    const check = () => { if (Number(view.dataset.draws) > n && view.dataset.busy !== '1') res(performance.now()); };
    obs = new MutationObserver(check);
    obs.observe(view, {attributes: true, attributeFilter: ['data-draws', 'data-busy']});
    timer = setTimeout(() => res(null), timeout);
  });
  const t0 = performance.now();
  if (how === 'select') { el.value = value; el.dispatchEvent(new Event('change', {bubbles: true})); }
  else if (how === 'range') { el.value = value; el.dispatchEvent(new Event('input', {bubbles: true})); el.dispatchEvent(new Event('change', {bubbles: true})); }
  else { el.focus(); el.value = value; el.dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter', bubbles: true})); }
  const t1 = await done;
  obs.disconnect(); clearTimeout(timer);
  if (t1 === null) return {error: `no draw within ${timeout} ms`};
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  const t2 = performance.now();
  return {draw: t1 - t0, frame: t2 - t0, draws: Number(view.dataset.draws) - n};
}"""

def pct(xs, q):
    xs = sorted(xs); return xs[min(len(xs) - 1, round(q * (len(xs) - 1)))]

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--repeats', type=int, default=15)
    ap.add_argument('--warmup', type=int, default=5)
    ap.add_argument('--threads', type=int, default=int(os.environ.get('OMP_NUM_THREADS', '1')))
    args = ap.parse_args()
    if not os.path.exists(CHROMIUM): sys.exit(f'{CHROMIUM} is missing: `make browser-deps` installs it')
    from playwright.sync_api import sync_playwright
    res, errors = {}, []
    with tempfile.TemporaryDirectory() as tmp, lab_server(pathlib.Path(tmp)) as lab, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={'width': 1400, 'height': 1000}).new_page()
        page.on('console', lambda m: m.type == 'error' and errors.append(f'console: {m.text}'))
        page.on('pageerror', lambda e: errors.append(f'pageerror: {e}'))
        page.on('dialog', lambda d: (errors.append(f'dialog: {d.message}'), d.dismiss()))
        page.set_default_timeout(TIMEOUT * 1000)
        write_notebook(lab, 'bench.ipynb', [SETUP.format(threads=args.threads),
                                            f'av = lb.AttentionView.from_model(m, {PROMPTS[0]!r}, head=0)\nav',
                                            f'lv = lb.LensView.from_model(m, {PROMPTS[0]!r})\nlv',
                                            "sv = lb.steering_vector(m, ['The city of Rome'], ['The city of Paris'], 'resid_pre.10')\n"
                                            f"pn = lb.InterventionPanel.from_model(m, {PROMPTS[0]!r}, steering=sv, max_new_tokens=0)\npn.ablate = 'mlp_out'\npn"])
        open_notebook(page, lab, 'bench.ipynb')
        run_all(page, timeout=4 * TIMEOUT)
        page.locator('.lb-view').nth(1).wait_for()
        tokens = [int(kernel_eval(page, f'len(m.tokenizer({q!r})["input_ids"])')) for q in PROMPTS]
        threads = int(kernel_eval(page, 'torch.get_num_threads()'))
        print(f'SmolLM2 in JupyterLab on Chromium, kernel torch threads {threads}, prompts of {tokens[0]} and '
              f'{tokens[1]} tokens, {args.warmup} warm-up + {args.repeats} timed moves per kind')
        for i, kind, sel, how, values, rerun in MOVES:
            times = {'draw': [], 'frame': [], 'draws': []}
            for k in range(args.warmup + args.repeats):
                r = page.evaluate(MOVE_JS, [i, sel, how, values[k % len(values)], TIMEOUT * 1000])
                if 'error' in r: sys.exit(f'{kind}: {r["error"]}; console: {errors}')
                if k >= args.warmup:
                    for key in times: times[key].append(r[key])
            res[kind] = dict(rerun=rerun, times=times['draw'], median=statistics.median(times['draw']), p90=pct(times['draw'], 0.9),
                             frame_median=statistics.median(times['frame']), draws_per_move=statistics.median(times['draws']))
            print(f'  {kind:17s} {"model rerun" if rerun else "no model run":12s} draw median {res[kind]["median"]:7.1f} ms  '
                  f'p90 {res[kind]["p90"]:7.1f} ms   to next frame median {res[kind]["frame_median"]:7.1f} ms   '
                  f'{res[kind]["draws_per_move"]:.0f} draw(s) a move')
        n = max(args.repeats, 5)
        raw = float(kernel_eval(page, f'_ms(lambda: _forward({PROMPTS[0]!r}), {n})'))
        lens_fn = float(kernel_eval(page, f"_ms(lambda: lb.logit_lens(m, {PROMPTS[0]!r}, keep_states=True), {n})"))
        kernel_eval(page, f"[(_base := lb.logit_lens(m, {PROMPTS[0]!r}, keep_states=True)), 0][1]")
        retarget_fn = float(kernel_eval(page, f"_ms(lambda: _base.with_targets(' Paris'), {n})"))
        attn_fn = float(kernel_eval(page, f'_ms(lambda: av.rerun({PROMPTS[0]!r}), {n})'))
        panel_fn = float(kernel_eval(page, f"_ms(lambda: pn.rerun(**(pn.params() | dict(scale=0.55))), {n})"))
        browser.close()
    print(f'  kernel: raw forward median {raw:.1f} ms; the computation a rerun needs: LensView prompt (logit_lens, '
          f'the forward and 30 unembeddings) {lens_fn:.1f} ms, LensView target (with_targets: the unembeddings, no '
          f'forward) {retarget_fn:.1f} ms, AttentionView prompt {attn_fn:.1f} ms, InterventionPanel {panel_fn:.1f} ms')
    need = dict(lens_prompt=lens_fn, lens_target=retarget_fn, attention_prompt=attn_fn, panel_scale=panel_fn, panel_layer=panel_fn)
    for k, c in need.items():
        res[k]['vs_compute'] = res[k]['median'] / c
        print(f'  {k:17s} rerun median {res[k]["median"]:7.1f} ms = {res[k]["median"] / raw:5.2f}x the raw forward, '
              f'{res[k]["vs_compute"]:5.2f}x the computation it needs ({c:.1f} ms)')
    agg = {}
    for name, rerun, target in (('redraw', False, 100), ('rerun', True, 1.5 * raw)):
        kinds = [k for k, v in res.items() if v['rerun'] == rerun]
        pooled = [t for k in kinds for t in res[k]['times']]       # every timed move of the class
        worst = max(res[k]['median'] for k in kinds)
        agg[name] = dict(median=statistics.median(pooled), p90=pct(pooled, 0.9), met=worst < target)
        print(f'{name} ({", ".join(kinds)}): median {agg[name]["median"]:.1f} ms, p90 {agg[name]["p90"]:.1f} ms, '
              f'slowest kind median {worst:.1f} ms; target median < {target} ms for every kind: '
              f'{"met" if worst < target else "NOT met"}')
    print(f'rerun median / raw forward median: {agg["rerun"]["median"] / raw:.1f}x')
    per_view = {}
    for view in ('lens', 'attention', 'panel'):
        ks = [k for k in res if k.startswith(view)]
        red = [t for k in ks if not res[k]['rerun'] for t in res[k]['times']]
        rer = [t for k in ks if res[k]['rerun'] for t in res[k]['times']]
        per_view[view] = dict(redraw_ms_median=round(statistics.median(red), 1) if red else None,
                              rerun_ms_median=round(statistics.median(rer), 1) if rer else None,
                              rerun_vs_forward=round(statistics.median(rer) / raw, 2) if rer else None)
        print(f'  {view}: {per_view[view]}')
    print(f'browser errors: {errors if errors else "none"}')
    print(json.dumps(dict(redraw_ms_median=round(agg['redraw']['median'], 1), rerun_vs_forward=round(agg['rerun']['median'] / raw, 2),
                          per_view=per_view, panel_compute_ms=round(panel_fn, 1), redraw_ms_p90=round(agg['redraw']['p90'], 1),
                          rerun_ms_median=round(agg['rerun']['median'], 1), rerun_ms_p90=round(agg['rerun']['p90'], 1),
                          raw_forward_ms_median=round(raw, 1), rerun_vs_raw_forward=round(agg['rerun']['median'] / raw, 2),
                          lens_compute_ms=round(lens_fn, 1), lens_retarget_compute_ms=round(retarget_fn, 1),
                          attention_compute_ms=round(attn_fn, 1),
                          rerun_vs_compute={k: round(res[k]['vs_compute'], 2) for k in need},
                          redraw_target_met=agg['redraw']['met'], rerun_target_met=agg['rerun']['met'],
                          prompt_tokens=tokens[0], prompt_tokens_alt=tokens[1], threads=threads, repeats=args.repeats,
                          warmup=args.warmup, console_errors=len(errors),
                          kinds={k: {x: round(v[x], 1) for x in ('median', 'p90', 'frame_median')} | dict(rerun=v['rerun'])
                                 for k, v in res.items()})))

if __name__ == '__main__': main()
