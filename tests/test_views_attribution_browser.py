"""The attribution views (DLAView, TokenAttributionView) in a real JupyterLab on the bundled SmolLM2: the DOM against
the kernel's result, controls that redraw without a model run, prompts that re-run, escaped token text, and both
views at 1,024 px for a short and a long prompt. Screenshots: tests/artifacts/."""
import pytest
from browser_lab import (lab, browser, page, console_errors, dialogs,  # noqa: F401 (fixtures)
                         draws, wait_draw, show_view,
                         write_notebook, open_notebook, run_all, kernel_eval, shot, TIMEOUT, ARTIFACTS)

pytestmark = pytest.mark.browser
expect = pytest.importorskip('playwright.sync_api', reason='playwright is missing').expect

SETUP = "import lensbook as lb, torch\nm = lb.load('smollm2')\nP = 'The Eiffel Tower is in the city of'"
XSS = '<img src=x onerror=alert(1)>'

def show(lab, page, name, *cells): return show_view(lab, page, name, SETUP, *cells)

def kfloat(page, expr: str) -> float: return float(kernel_eval(page, f'float({expr})'))

def test_dla_view(lab, page, console_errors, dialogs):
    page.set_viewport_size({'width': 1024, 'height': 1100})
    view = show(lab, page, 'dla', "dv = lb.DLAView.from_model(m, P, ' Paris', minus=' Rome')\ndv")
    expect(view.locator('.lb-dla td.lb-head')).to_have_count(30 * 9)                # one cell per head
    expect(view.locator('.lb-dla td[data-part="mlp"]')).to_have_count(30)          # and an MLP and an attention bar per layer
    expect(view.locator('.lb-dla td[data-part="attn Σ"]')).to_have_count(30)
    expect(view.locator('.lb-strip .lb-tok')).to_have_count(9)
    assert kernel_eval(page, 'dv.pos') == '8'
    # The values drawn are the kernel's: a head, an MLP, the embedding, the sum and the model's logit.
    for part, sel in [('L29H3', 'td[data-layer="29"][data-part="H3"]'), ('L0H0', 'td[data-layer="0"][data-part="H0"]'),
                      ('L12 mlp', 'td[data-layer="12"][data-part="mlp"]'), ('embed', 'tr[data-part="embed"]')]:
        got = float(view.locator(sel).get_attribute('data-value'))
        want = kfloat(page, f"dv.result.values[0, dv.pos, dv.result.parts.index({part!r}), 0]")
        assert abs(got - want) < 1e-4, (part, got, want)
    heads10 = kfloat(page, "sum(dv.result.values[0, dv.pos, dv.result.parts.index(f'L10H{h}'), 0] for h in range(9))")
    assert abs(float(view.locator('td[data-layer="10"][data-part="attn Σ"]').get_attribute('data-value')) - heads10) < 1e-4
    total = sum(float(x) for x in view.locator('.lb-dla td[data-value], .lb-dla-rest tr[data-value]').evaluate_all(
        "es => es.filter(e => e.dataset.part !== 'attn Σ').map(e => e.dataset.value)"))
    logit = kfloat(page, 'dv.result.logits[0, dv.pos, 0]')
    assert abs(total - logit) < 5e-3, (total, logit)                               # 301 parts rounded to 4 digits
    assert abs(float(view.locator('.lb-sum').get_attribute('data-logit')) - logit) < 1e-5
    expect(view.locator('.lb-sum')).to_contain_text('Sum of all 301 parts')
    expect(view.locator('.lb-sum')).to_contain_text('frozen')
    cbar = view.locator('.lb-cbar[data-cmap=diverging]')                          # diverging, centred on 0, labelled
    expect(cbar).to_have_count(1)
    assert abs(float(cbar.get_attribute('data-lo')) + float(cbar.get_attribute('data-hi'))) < 1e-9
    expect(view.locator('.lb-cbar-label')).to_contain_text('logit units')
    view.locator('td[data-layer="29"][data-part="H3"]').hover()                     # hover: the exact value and what it is
    expect(view.locator('.lb-tip')).to_be_visible()
    expect(view.locator('.lb-readout')).to_contain_text('L29H3: head 3 of layer 29')
    readout = view.locator('.lb-readout').inner_text()
    assert abs(float(readout.rsplit(':', 1)[1].split()[0]) - float(view.locator('td[data-layer="29"][data-part="H3"]').get_attribute('data-value'))) < 1e-4
    shot(page, 'dla_view')
    view.screenshot(path=str(ARTIFACTS / 'dla_view_whole.png'))

    # A position: the kernel recomputes the payload from the kept result, no model run.
    runs = kernel_eval(page, 'dv._runner.runs')
    n = draws(view)
    view.locator('select[data-trait=pos]').select_option('3')
    wait_draw(page, view, n)
    assert kernel_eval(page, '(dv.pos, dv._runner.runs)') == f'(3, {runs})'
    expect(view.locator('.lb-strip .lb-tok.lb-sel')).to_have_attribute('data-pos', '3')
    got = float(view.locator('td[data-layer="29"][data-part="H3"]').get_attribute('data-value'))
    assert abs(got - kfloat(page, "dv.result.values[0, 3, dv.result.parts.index('L29H3'), 0]")) < 1e-4
    n = draws(view)
    view.locator('.lb-strip .lb-tok[data-pos="6"]').click()                         # or a click on a token
    wait_draw(page, view, n)
    assert kernel_eval(page, '(dv.pos, dv._runner.runs)') == f'(6, {runs})'
    expect(view.locator('select[data-trait=pos]')).to_have_value('6')

    # A new target re-runs; one that is not one token is refused in the view, which keeps its drawing.
    n = draws(view)
    box = view.locator('input[data-trait=target_token]')
    box.fill(' London'); box.press('Enter')
    wait_draw(page, view, n)
    assert kernel_eval(page, "(dv.data['targets'], dv.data['minus'], dv._runner.runs)") == f"([' London'], ' Rome', {int(runs) + 1})"
    expect(view).to_contain_text("logit ' London' - logit ' Rome'")
    box.fill(' New York'); box.press('Enter')
    expect(view.locator('.lb-error')).to_contain_text('is 2 tokens')
    expect(view).to_have_attribute('data-stale', '1')
    expect(view.locator('.lb-dla td.lb-head')).to_have_count(30 * 9)
    box.fill(' Paris'); box.press('Enter')
    page.wait_for_function("v => v.dataset.stale === '0' && v.dataset.busy === '0'", arg=view.element_handle())
    # A new prompt re-runs; markup in it is shown as text and runs nothing.
    n = draws(view)
    prompt = view.locator('input[data-trait=prompt]')
    prompt.fill(f'The {XSS} tower is in the city of'); prompt.press('Enter')
    wait_draw(page, view, n)
    page.wait_for_function("v => v.dataset.stale === '0'", arg=view.element_handle())
    assert int(kernel_eval(page, 'dv._runner.runs')) == int(runs) + 4
    assert 'onerror' in kernel_eval(page, "''.join(dv.data['tokens_read'])")
    expect(view.locator('.lb-strip')).to_contain_text('img')
    page.wait_for_timeout(300)
    assert view.locator('img').count() == 0 and dialogs == []
    assert kernel_eval(page, "dv.pos == len(dv.data['tokens_read']) - 1") == 'True'   # the last position of the new prompt
    assert kernel_eval(page, "dv._repr_mimebundle_()[0]['text/html'] == dv.result.to_html(dv.data)") == 'True'
    shot(page, 'dla_prompt')
    assert console_errors == []

TOKENS = """a = lb.gradient_attribution(m, P, ' Paris', sites=['embed', 'resid_pre.10', 'mlp_out.20'])
xv = lb.TokenAttributionView(a, faithfulness=lb.faithfulness(m, a, n_random=2))
xv"""

def test_token_attribution_view(lab, page, console_errors, dialogs):
    page.set_viewport_size({'width': 1024, 'height': 1100})
    view = show(lab, page, 'tokens', "tv = lb.TokenAttributionView.from_model(m, P, ' Paris')\ntv", TOKENS)
    toks = view.locator('.lb-attr-text .lb-tok')
    expect(toks).to_have_count(9)
    for j in (0, 3, 8):
        got = float(toks.nth(j).get_attribute('data-value'))
        assert abs(got - kfloat(page, f"tv.result.scores['embed'][0, {j}]")) < 1e-5
    expect(view.locator('.lb-attr-text .lb-tok.lb-at')).to_have_attribute('data-pos', '8')   # the position attributed from
    expect(view.locator('.lb-cbar[data-cmap=diverging]')).to_have_count(1)
    expect(view.locator('.lb-completeness')).to_have_count(0)
    toks.nth(3).hover()
    expect(view.locator('.lb-tip')).to_contain_text('position 3')
    # The method switch runs integrated gradients: the completeness check comes with them.
    n = draws(view)
    view.locator('select[data-trait=method]').select_option('ig')
    wait_draw(page, view, n)
    assert kernel_eval(page, '(tv.result.method, tv.result.steps, tv.error)') == "('ig', 64, '')"
    comp = view.locator('.lb-completeness')
    expect(comp).to_contain_text('Σ IG')
    assert abs(float(comp.get_attribute('data-error')) - kfloat(page, "tv.result.completeness['embed'][0]")) < 1e-6
    got = float(toks.nth(5).get_attribute('data-value'))
    assert abs(got - kfloat(page, "tv.result.scores['embed'][0, 5]")) < 1e-5
    shot(page, 'tokens_ig')
    # A new prompt re-runs; its markup stays text.
    n = draws(view)
    box = view.locator('input[data-trait=prompt]')
    box.fill(f'Hello {XSS} the city of'); box.press('Enter')
    wait_draw(page, view, n)
    expect(view.locator('.lb-attr-text')).to_contain_text('img')
    page.wait_for_timeout(300)
    assert page.locator('.lb-view img').count() == 0 and dialogs == []
    assert 'onerror' in kernel_eval(page, "''.join(tv.data['tokens'][0])")
    # Several sites: one row per site, the faithfulness numbers from the kernel.
    many = page.locator('.lb-view').nth(1)
    expect(many.locator('.lb-attrgrid td')).to_have_count(3 * 9)
    expect(many.locator('.lb-attrgrid .lb-rowhead')).to_have_count(3)
    aopc = many.locator('.lb-aopc td[data-key=comprehensiveness]').inner_text()
    assert abs(float(aopc) - kfloat(page, "xv.faith['aopc']['comprehensiveness']")) < 1e-3
    many.locator('.lb-attrgrid td[data-site="1"][data-pos="4"]').hover()
    expect(many.locator('.lb-tip')).to_contain_text('resid_pre.10')
    many.scroll_into_view_if_needed()
    shot(page, 'tokens_sites')
    assert console_errors == []

LONG = "L = ' '.join(['The quick brown fox jumps over the lazy dog.'] * 11) + ' ' + P"
VIEWS = {'dla': "lb.DLAView.from_model(m, {p}, ' Paris', minus=' Rome')",
         'tokens': "lb.TokenAttributionView.from_model(m, {p}, ' Paris')",
         'sites': "lb.TokenAttributionView(lb.gradient_attribution(m, {p}, ' Paris', sites=['embed', 'resid_pre.6', 'resid_pre.12', 'resid_pre.18', 'resid_pre.24']))"}

def test_attribution_views_at_1024(lab, page, console_errors, dialogs):
    "Both views at 1,024 px for a 9-token and a ~120-token prompt: nothing overflows, labels readable, screenshots."
    page.set_viewport_size({'width': 1024, 'height': 2400})
    cells = [LONG] + [VIEWS[k].format(p=p) for p in ('P', 'L') for k in VIEWS]
    show(lab, page, 'attr1024', *cells)
    n = int(kernel_eval(page, "len(m.tokenizer(L)['input_ids'])"))
    assert 110 <= n <= 130, n
    views = page.locator('.lb-view')
    expect(views).to_have_count(6)
    for k, (size, name) in enumerate([(s, k_) for s in ('short', 'long') for k_ in VIEWS]):
        v = views.nth(k)
        v.scroll_into_view_if_needed()
        assert v.evaluate('v => v.scrollWidth <= v.clientWidth + 1'), f'{name} {size} overflows at 1,024 px'
        b = v.bounding_box()
        assert b['x'] + b['width'] <= 1024, (name, size, b)
        for box in v.locator('.lb-gridbox, .lb-strip, .lb-attr-text').all():          # nothing wider than the view
            bb = box.bounding_box()
            assert bb['x'] + bb['width'] <= b['x'] + b['width'] + 1, (name, size, bb)
        v.screenshot(path=str(ARTIFACTS / f'view_attr_{name}_{size}.png'))
    dla_long = views.nth(3)
    expect(dla_long.locator('.lb-strip .lb-tok')).to_have_count(n)                   # every position to choose from
    assert dla_long.locator('.lb-dla').evaluate('t => t.closest(".lb-gridbox").scrollWidth <= t.closest(".lb-gridbox").clientWidth + 1')
    labels = dla_long.locator('.lb-strip .lb-tok')                                     # token labels readable: none overlapping
    boxes = [labels.nth(i).bounding_box() for i in range(0, n, 7)]
    assert all(bb['height'] >= 12 for bb in boxes)
    toks_long = views.nth(4)
    expect(toks_long.locator('.lb-attr-text .lb-tok')).to_have_count(n)
    sites_long = views.nth(5)                                                          # several sites: a window of the newest positions
    win = sites_long.locator('.lb-window')
    start, size = int(win.get_attribute('data-start')), int(win.get_attribute('data-size'))
    assert start + size == n and 8 <= size < n, (start, size, n)
    expect(sites_long.locator('.lb-attrgrid td')).to_have_count(5 * size)
    gb = sites_long.locator('.lb-gridbox')
    assert gb.evaluate('b => b.scrollWidth <= b.clientWidth + 1'), 'long token grid: columns hidden to the right'
    assert dialogs == [] and console_errors == []
