"""ExamplesView (nbs/58_widgets.examples.ipynb) in a real JupyterLab at 1,024 px: a SmolLM2 neuron's top examples
with long context windows, token-by-token colours, the histogram and the vocabulary readout; switching lists and
scales in the browser, typing a unit re-reads the corpus in the kernel. Screenshots: tests/artifacts/examples*.png."""
import json
import pytest
from browser_lab import (lab, browser, page, console_errors, dialogs,  # noqa: F401 (fixtures)
                         draws, wait_draw, show_view,
                         write_notebook, open_notebook, run_all, kernel_eval, shot, TIMEOUT)

pytestmark = pytest.mark.browser
expect = pytest.importorskip('playwright.sync_api', reason='playwright is missing').expect

XSS = '<img src=x onerror=alert(1)>'
SETUP = "import lensbook as lb, torch\nm = lb.load('smollm2')"
VIEW = f'''texts = [t[:240] for t in lb.corpus('all')[:30]] + ['My dog loves to play fetch in the park.', 'x {XSS} y {XSS} z']
ev = lb.ExamplesView.from_model(m, texts, 'neurons.29', 808, k=10, window=(24, 12))
ev'''

def test_examples_view(lab, page, console_errors, dialogs):
    page.set_viewport_size({'width': 1024, 'height': 900})
    view = show_view(lab, page, 'examples', SETUP, VIEW)
    rows = view.locator('.lb-example')
    expect(rows).to_have_count(10)
    expect(view.locator('.lb-ex-centre')).to_have_count(10)                    # one outlined token per example
    # the rows are the kernel's top examples, in order, each window token coloured and hoverable
    want = json.loads(kernel_eval(page, "__import__('json').dumps([(e['text'], e['pos']) for e in ev.result.top])")[1:-1])
    got = [[int(rows.nth(i).get_attribute('data-text')), int(rows.nth(i).get_attribute('data-pos'))] for i in range(10)]
    assert got == want, (got, want)
    assert rows.nth(0).locator('.lb-ex-tok').count() == int(kernel_eval(page, "len(ev.result.top[0]['tokens'])"))
    assert float(rows.nth(0).locator('.lb-ex-val').inner_text()) == pytest.approx(float(kernel_eval(page, "ev.result.top[0]['value']")), abs=1e-3)
    expect(view.locator('.lb-cbar-label').first).to_contain_text('neurons.29[808] (0 = white)')
    expect(view.locator('.lb-cbar[data-cmap=diverging]')).to_have_count(1)
    # the histogram of every token and the neuron's vocabulary readout
    assert view.locator('svg.lb-hist rect').count() > 5
    n_tok = int(kernel_eval(page, 'ev.result.histogram.n'))
    expect(view.locator('.lb-hist-stats')).to_contain_text(f'{n_tok:,} tokens')
    expect(view.locator('svg.lb-hist line.lb-hist-top')).to_have_count(1)
    expect(view.locator('.lb-promoted')).to_contain_text('dog')
    view.locator('svg.lb-hist rect').first.hover()
    expect(view.locator('.lb-histbox .lb-readout')).to_contain_text('tokens')
    rows.nth(0).locator('.lb-ex-centre').hover()
    expect(view.locator('.lb-tip')).to_be_visible()
    expect(view.locator('.lb-tip')).to_contain_text('position')
    # long windows wrap: nothing runs off the right edge at 1,024 px
    assert view.evaluate('v => v.scrollWidth <= v.clientWidth + 1'), 'the view overflows at 1,024 px'
    box, ctx = view.bounding_box(), rows.nth(0).locator('.lb-ex-ctx').bounding_box()
    assert ctx['x'] + ctx['width'] <= box['x'] + box['width'] + 1
    shot(page, 'examples')
    view.locator('.lb-vocab').scroll_into_view_if_needed()                  # the histogram and what the neuron writes
    shot(page, 'examples_histogram')

    n = draws(view)                                                          # the random control: a browser-side redraw
    view.locator('select[data-trait=which]').select_option('random')
    wait_draw(page, view, n)
    expect(rows).to_have_count(10)
    assert kernel_eval(page, 'ev.which') == "'random'"
    expect(view.locator('.lb-body .lb-note').first).to_contain_text('random tokens (control)')
    n = draws(view)
    view.locator('select[data-trait=which]').select_option('bottom')
    wait_draw(page, view, n)
    assert float(rows.nth(0).locator('.lb-ex-val').inner_text()) == pytest.approx(float(kernel_eval(page, "ev.result.bottom[0]['value']")), abs=1e-3)
    view.locator('select[data-local=scale]').select_option('row')            # each example on its own scale
    expect(view).to_contain_text('each example on its own scale')
    shot(page, 'examples_bottom')

    n = draws(view)                                                          # another unit: the kernel re-reads the texts
    box = view.locator('input[data-trait=unit]')
    box.fill('1439')
    box.press('Enter')
    wait_draw(page, view, n, timeout=3 * TIMEOUT)
    page.wait_for_function("() => document.querySelector('.lb-view').textContent.includes('neurons.29[1439]')", timeout=3 * TIMEOUT * 1000)
    assert kernel_eval(page, '(ev.unit, ev.result.label, ev.error)') == "(1439, 'neurons.29[1439]', '')"
    box.fill('99999')                                                        # out of range: the error, the last good view stays
    box.press('Enter')
    expect(view.locator('.lb-error')).to_contain_text('out of range')
    expect(view).to_have_attribute('data-stale', '1')
    assert view.locator('img').count() == 0 and dialogs == []
    assert kernel_eval(page, "ev._repr_mimebundle_()[0]['text/html'] == lb.TopExamples.to_html(ev.data)") == 'True'
    assert console_errors == []
