"""FeatureView (nbs/59_widgets.features.ipynb) in a real JupyterLab at 1,024 px, on SmolLM2 with a dictionary made from
its own weights (one feature per common corpus token at resid_post.10: encoder and decoder rows are the token's
unembedding direction, a threshold leaves ~2% firing), so features are deterministic and mean something without
training. The token strip against the kernel's tokens, a token's feature list against the kernel's top-k, a feature's
dashboard against the kernel's top examples, prompts typed in the box, errors, escaped markup, a short and a ~150-token
prompt, and the static HTML (the Result's `to_html`) rendered on its own. Screenshots: tests/artifacts/features*.png."""
import ast, json
import pytest
from browser_lab import (lab, browser, page, console_errors, dialogs,  # noqa: F401 (fixtures)
                         draws, wait_draw, show_view, kernel_eval, shot, TIMEOUT, ARTIFACTS)

pytestmark = pytest.mark.browser
expect = pytest.importorskip('playwright.sync_api', reason='playwright is missing').expect

XSS = '<img src=x onerror=alert(1)>'
SETUP = f"""import lensbook as lb, torch, json
m = lb.load('smollm2')
corpus = [t[:240] for t in lb.corpus('all')[:40]]
ids = torch.cat([torch.tensor(m.tokenizer(t)['input_ids']) for t in corpus])
vocab = torch.bincount(ids, minlength=len(m.tokenizer)).topk(300).indices
U = m.model.get_output_embeddings().weight.detach().float()[vocab]; U = U / U.norm(dim=-1, keepdim=True)
x = lb.collect(m, corpus, 'resid_post.10', reduce='all', progress=False)['resid_post.10'].float()
mu = x.mean(0); tau = ((x - mu) @ U.T).quantile(0.98).item()
sae = lb.SAE(U.T, torch.full((300,), -tau), U, mu, site='resid_post.10')
P = 'The Eiffel Tower is in the city of Paris, and the Colosseum is in Rome. {XSS}'
LONG = m.tokenizer.decode(m.tokenizer(' '.join(corpus))['input_ids'][:150])"""
VIEW = "fv = lb.FeatureView.from_model(m, sae, P, texts=corpus, k=8)\nfv"
LONGVIEW = "gv = lb.FeatureView.from_model(m, sae, LONG, k=8)\ngv"

def kjson(page, expr: str):
    "A JSON-able value of the kernel, as Python."
    return json.loads(ast.literal_eval(kernel_eval(page, f'json.dumps({expr})')))

def no_overflow(view) -> bool: return view.evaluate('v => v.scrollWidth <= v.clientWidth + 1')

def test_feature_view(lab, page, console_errors, dialogs):
    page.set_viewport_size({'width': 1024, 'height': 1000})
    view = show_view(lab, page, 'features', SETUP, VIEW, LONGVIEW)
    strip = view.locator('.lb-fstrip .lb-ftok')
    tokens = kjson(page, 'fv.result.tokens')
    expect(strip).to_have_count(len(tokens))                                   # one element per prompt token
    assert strip.all_inner_texts() == kjson(page, '[lb.show_token(t, 24) for t in fv.result.tokens]')
    got = [float(v) for v in strip.evaluate_all('es => es.map(e => e.dataset.value)')]
    assert got == pytest.approx(kjson(page, 'fv.result.strength.tolist()'), abs=1e-4)
    # the markup in the prompt is text: no element made, no dialog
    assert view.locator('img').count() == 0 and dialogs == []
    assert '<img' in ''.join(strip.all_inner_texts()).replace('␣', ' ')
    # a token with several features: hover shows them, a click lists them (pos synced), equal to the kernel's top-k
    # (not the token listed already: a click on it changes nothing to redraw)
    j = int(kernel_eval(page, 'max((j for j in range(len(fv.result.tokens)) if j != fv.pos), key=lambda j: (len(fv.result.top(j)), -j))'))
    want = kjson(page, f'fv.result.top({j})')
    o = int(kernel_eval(page, "fv.result.meta['n_tokens'] - len(fv.result.tokens)"))   # the leading tokens left out (skip)
    ref = kjson(page, f"[[int(i), float(v)] for i, v in zip(*lb.run(m, P, read=sae)[sae][0, {j + o}].topk(8)[::-1]) if v > 0]")
    assert [f for f, _ in want] == [f for f, _ in ref] and len(want) >= 2, (want, ref)
    strip.nth(j).hover()
    expect(view.locator('.lb-tip')).to_be_visible()
    expect(view.locator('.lb-tip')).to_contain_text(f'feature #{want[0][0]}: ')
    n = draws(view)
    strip.nth(j).click()
    wait_draw(page, view, n)
    assert kernel_eval(page, 'fv.pos') == str(j)
    expect(view.locator('.lb-fstrip .lb-ftok.lb-sel')).to_have_attribute('data-pos', str(j))
    rows = view.locator('.lb-posfeats tr[data-feature]')
    expect(rows).to_have_count(len(want))
    assert [int(r) for r in rows.evaluate_all('es => es.map(e => e.dataset.feature)')] == [f for f, _ in want]
    assert [float(r) for r in rows.evaluate_all('es => es.map(e => e.dataset.value)')] == pytest.approx([v for _, v in want], abs=1e-4)
    totals = kjson(page, 'fv.result.total_ids.tolist()')
    assert [int(r) for r in view.locator('.lb-totals tr[data-feature]').evaluate_all('es => es.map(e => e.dataset.feature)')] == totals
    shot(page, 'features')

    # a feature clicked: the kernel reads its dashboard once; the rows are the kernel's top examples
    f = want[0][0]
    rows.first.click()
    expect(view.locator(f'.lb-dash[data-feature="{f}"][data-ready="1"]')).to_be_visible(timeout=3 * TIMEOUT * 1000)
    assert kernel_eval(page, '(fv.feature, fv.error, sorted(fv.dashboards))') == f"({f}, '', [{f}])"
    ex = view.locator('.lb-dash .lb-example')
    top = kjson(page, "[(e['text'], e['pos'], e['value']) for e in fv.dash_result.top]")
    expect(ex).to_have_count(len(top))
    assert [[int(ex.nth(i).get_attribute('data-text')), int(ex.nth(i).get_attribute('data-pos'))] for i in range(len(top))] == [[t, p] for t, p, _ in top]
    assert float(ex.nth(0).locator('.lb-ex-val').inner_text()) == pytest.approx(top[0][2], abs=1e-3)
    assert ex.nth(0).locator('.lb-ex-tok').count() == int(kernel_eval(page, "len(fv.dash_result.top[0]['tokens'])"))
    expect(view.locator('.lb-dash .lb-ex-centre')).to_have_count(len(top))
    assert view.locator('.lb-dash svg.lb-hist rect').count() > 3
    expect(view.locator('.lb-dash .lb-hist-stats')).to_contain_text(f"{int(kernel_eval(page, 'fv.dash_result.histogram.n')):,} tokens")
    promoted = kjson(page, "[lb.show_token(t, 16) for t, _ in fv.dash['vocab']['promoted']]")
    assert view.locator('.lb-dash .lb-promoted td.lb-tok').all_inner_texts() == promoted
    assert kernel_eval(page, "fv.dash['vocab']['promoted'][0][0] == m.tokenizer.decode([int(vocab[fv.feature])])") == 'True'
    # the strip now shows that feature over the prompt (the kernel's column)
    expect(view.locator('select[data-local=colour]')).to_have_value('feature')
    got = [float(v) for v in strip.evaluate_all('es => es.map(e => e.dataset.value)')]
    assert got == pytest.approx(kjson(page, 'fv.result.feature(fv.feature).tolist()'), abs=1e-4)
    assert no_overflow(view), 'the view overflows at 1,024 px'
    assert kernel_eval(page, "fv._repr_mimebundle_()[0]['text/html'] == lb.FeatureActivity.to_html(fv.data) + lb.TopExamples.to_html(fv.dash)") == 'True'
    view.locator('.lb-dash').scroll_into_view_if_needed()
    shot(page, 'features_dashboard')
    static = ast.literal_eval(kernel_eval(page, 'fv.html()'))

    # a feature typed out of range: the error, the last good view kept and marked stale
    box = view.locator('input[data-trait=feature]')
    box.fill('99999'); box.press('Enter')
    expect(view.locator('.lb-error')).to_contain_text('feature 99999 is out of range')
    expect(view).to_have_attribute('data-stale', '1')
    expect(strip).to_have_count(len(tokens))
    box.fill(str(f)); box.press('Enter')
    expect(view).to_have_attribute('data-stale', '0')
    # a new prompt typed: feature_activity again, the feature kept; an empty prompt is the error
    n = draws(view)
    pbox = view.locator('input[data-trait=prompt]')
    pbox.fill('The capital of France is Paris')
    pbox.press('Enter')
    page.wait_for_function("v => v.querySelectorAll('.lb-fstrip .lb-ftok').length === %d" %
                           int(kernel_eval(page, "len(m.tokenizer('The capital of France is Paris')['input_ids']) - 1")),   # the first token left out
                           arg=view.element_handle(), timeout=TIMEOUT * 1000)
    wait_draw(page, view, n)
    assert kernel_eval(page, '(fv.result.tokens[-1], fv.feature, fv.error)') == f"(' Paris', {f}, '')"
    assert kernel_eval(page, "fv.data == lb.feature_activity(m, sae, 'The capital of France is Paris', k=8).payload(feature=fv.feature)") == 'True'
    pbox.fill(''); pbox.press('Enter')
    expect(view.locator('.lb-error')).to_contain_text('needs a non-empty prompt')
    expect(view).to_have_attribute('data-stale', '1')
    expect(view.locator('.lb-fstrip .lb-ftok').last).to_have_text('␣Paris')

    # the long prompt: one element per token, nothing runs off the right edge at 1,024 px
    long = page.locator('.lb-view').nth(1)
    long.scroll_into_view_if_needed()
    n_long = int(kernel_eval(page, 'len(gv.result.tokens)'))
    assert 140 <= n_long <= 160, n_long
    expect(long.locator('.lb-fstrip .lb-ftok')).to_have_count(n_long)
    assert no_overflow(long) and long.bounding_box()['x'] + long.bounding_box()['width'] <= 1024
    assert long.locator('.lb-fstrip').evaluate('s => s.scrollWidth <= s.clientWidth + 1')
    expect(long.locator('.lb-dashnote')).to_contain_text('Click a feature')
    long.locator('.lb-totals tr[data-feature]').first.click()                # no texts: a note, no run
    expect(long.locator('.lb-dashnote')).to_contain_text('No texts')
    long.screenshot(path=str(ARTIFACTS/'features_long.png'))
    static_long = ast.literal_eval(kernel_eval(page, 'gv.html()'))
    assert console_errors == []

    # the static HTML (what a saved notebook or the docs show) on its own page at 1,024 px
    for name, html, n_tok in (('features_static', static, len(tokens)), ('features_static_long', static_long, n_long)):
        pg = page.context.new_page()
        pg.set_viewport_size({'width': 1024, 'height': 1400})
        pg.set_content(f'<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:8px">{html}</body></html>')
        box = pg.locator('.lensbook-static').first
        expect(box).to_be_visible()
        assert pg.evaluate('() => document.documentElement.scrollWidth <= 1024'), f'{name} overflows at 1,024 px'
        assert box.locator('div').nth(1).locator('span').count() == n_tok          # the strip: one span per token
        assert pg.locator('img, script').count() == 0 and dialogs == []
        expect(box).to_contain_text('top features of the prompt')
        pg.screenshot(path=str(ARTIFACTS/f'{name}.png'), full_page=True)
        pg.close()
    assert '&lt;img' in static or '&lt;' in static
    assert console_errors == []
