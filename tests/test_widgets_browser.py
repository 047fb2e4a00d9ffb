"""lensbook's widgets in a real JupyterLab: each test opens a notebook that shows a widget on the bundled SmolLM2,
drives its controls in Chromium, and checks both the DOM and what the kernel sees. Screenshots: tests/artifacts/."""
import pytest
from browser_lab import (lab, browser, page, console_errors, dialogs,  # noqa: F401 (fixtures)
                         write_notebook, open_notebook, run_all, run_cell, kernel_eval, shot, TIMEOUT)

pytestmark = pytest.mark.browser
expect = pytest.importorskip('playwright.sync_api', reason='playwright is missing').expect

SETUP = "import lensbook as lb, torch\nm = lb.load('smollm2')"
XSS = '<img src=x onerror=alert(1)>'

def draws(view) -> int:
    "How many times the view has drawn itself (every lensbook view counts its draws on its root)."
    return int(view.get_attribute('data-draws') or 0)

def wait_draw(page, view, after: int, timeout: float = TIMEOUT):
    "Wait until `view` has drawn more than `after` times and is not busy."
    page.wait_for_function("([v, n]) => Number(v.dataset.draws) > n && v.dataset.busy !== '1'",
                           arg=[view.element_handle(), after], timeout=timeout * 1000)

def show(lab, page, name, *cells):
    write_notebook(lab, f'{name}.ipynb', [SETUP, *cells])
    open_notebook(page, lab, f'{name}.ipynb')
    run_all(page, timeout=3 * TIMEOUT)
    view = page.locator('.lb-view').first
    expect(view).to_be_visible()
    return view

def test_attention_view(lab, page, console_errors, dialogs):
    view = show(lab, page, 'attention', "av = lb.AttentionView.from_model(m, 'The Eiffel Tower is in the city of')\nav")
    expect(view.locator('.lb-headcell')).to_have_count(9)            # every head of layer 0
    expect(view.locator('.lb-headcell').nth(4)).to_contain_text('kv 1')   # grouped-query attention: 9 heads, 3 kv
    expect(view.locator('.lb-entropy td')).to_have_count(30 * 9)
    shot(page, 'attention_grid')

    n = draws(view)
    view.locator('select[data-trait=head]').select_option('4')         # one head: a redraw in the browser only
    wait_draw(page, view, n)
    expect(view.locator('canvas.lb-heat')).to_have_count(1)
    n = draws(view)
    view.locator('select[data-trait=layer]').select_option('7')        # another layer: its patterns come from the kernel
    page.wait_for_function("() => true")
    assert kernel_eval(page, '(av.layer, av.head)') == '(7, 4)'
    view.locator('select[data-trait=mode]').select_option('lines')
    expect(view.locator('svg.lb-lines line').first).to_be_attached()
    expect(view.locator('svg.lb-lines text')).to_have_count(2 * 9)
    shot(page, 'attention_lines')

    view.locator('.lb-entropy td[data-layer="12"][data-head="2"]').click()   # the entropy table navigates
    expect(view.locator('select[data-trait=layer]')).to_have_value('12')
    assert kernel_eval(page, '(av.layer, av.head)') == '(12, 2)'

    # Typing a prompt re-reads the patterns; markup in it is shown as text and runs nothing.
    box = view.locator('input[data-trait=prompt]')
    box.fill(f'Hello {XSS} world')
    n = draws(view)
    box.press('Enter')
    wait_draw(page, view, n)
    expect(view.locator('svg.lb-lines text').first).to_be_attached()
    page.wait_for_function("() => [...document.querySelectorAll('.lb-view svg text')].some(t => t.textContent.includes('img'))")
    assert view.locator('img').count() == 0 and dialogs == []
    assert 'onerror' in kernel_eval(page, "''.join(av.tokens)")
    shot(page, 'attention_prompt')
    assert console_errors == []

def test_lens_view(lab, page, console_errors):
    view = show(lab, page, 'lens', "lv = lb.LensView.from_model(m, 'The Eiffel Tower is in the city of', tuned=lb.TunedLens(m))\nlv")
    cells_ = view.locator('.lb-lensgrid td')
    expect(cells_).to_have_count(30 * 9)
    view.locator('.lb-lensgrid td[data-layer="29"][data-pos="8"]').hover()     # top-k of a cell on hover
    expect(view.locator('.lb-topk')).to_contain_text('layer 29, position 8')
    expect(view.locator('.lb-topk tr')).to_have_count(6)
    view.locator('.lb-lensgrid td[data-layer="20"][data-pos="3"]').click()
    expect(view.locator('.lb-lensgrid td.lb-sel')).to_have_count(1)
    assert kernel_eval(page, 'lv.cell') == '[20, 3]'

    n = draws(view)
    view.locator('select[data-trait=metric]').select_option('entropy')       # a browser-only redraw
    wait_draw(page, view, n)
    assert kernel_eval(page, 'lv.metric') == "'entropy'"

    n = draws(view)                                                          # follow a target: the kernel re-runs
    view.locator('input[data-trait=target]').fill(' Paris')
    view.locator('input[data-trait=target]').press('Enter')
    wait_draw(page, view, n)
    expect(view.locator('select[data-trait=metric] option[value=target]')).to_be_attached()
    view.locator('select[data-trait=metric]').select_option('target')
    expect(view.locator('.lb-topk')).to_contain_text("p( Paris)")
    shot(page, 'lens_target')

    n = draws(view)
    view.locator('select[data-trait=lens]').select_option('tuned lens')
    wait_draw(page, view, n)
    expect(view).to_contain_text('tuned lens on resid_post')
    assert kernel_eval(page, "(lv.lens, lv.result.lens, lv.target)") == "('tuned lens', 'tuned lens', ' Paris')"
    assert console_errors == []
