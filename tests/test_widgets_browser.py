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
    assert kernel_eval(page, "av._repr_mimebundle_()[0]['text/html'] == av.result.to_html(av.data | dict(head=av.head))") == 'True'
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
    assert kernel_eval(page, "(lv.lens, lv.result.lens_name, lv.target)") == "('tuned lens', 'tuned lens', ' Paris')"
    assert console_errors == []

def test_effect_view(lab, page, console_errors):
    view = show(lab, page, 'effects', "ev = lb.EffectView.from_patch(m, 'The Eiffel Tower is in the city of', "
                "'The Colosseum is in the city of', lb.logit_diff(m, ' Paris', ' Rome'))\nev")
    expect(view.locator('.lb-effects td')).to_have_count(30 * 9)
    expect(view.locator('.lb-dist-clean')).to_contain_text('Paris')
    n = draws(view)
    view.locator('.lb-effects td[data-row="5"][data-col="3"]').click()       # the kernel re-runs that one cell
    page.wait_for_selector('.lb-dist-patched')
    assert kernel_eval(page, 'ev.cell') == '[5, 3]'
    assert kernel_eval(page, 'abs(ev.detail["value"] - float(ev.result.values[5, 3])) < 2e-3') == 'True'
    assert kernel_eval(page, "ev.detail['top'] == lb.patch_outcome(m, 'The Eiffel Tower is in the city of', 'The Colosseum is in the city of', "
                             "'resid_pre.5', 3).payload()['top']") == 'True'
    expect(view.locator('.lb-dist-patched tr')).to_have_count(8)   # top-8
    shot(page, 'effects_cell')
    assert console_errors == []

def test_activation_view(lab, page, console_errors):
    view = show(lab, page, 'activations', "av = lb.ActivationView.from_model(m, 'The Eiffel Tower is in the city of', layer=7)\nav")
    expect(view.locator('.lb-text .lb-tok')).to_have_count(9)
    n = draws(view)
    view.locator('.lb-text [data-pos="3"]').click()                          # a token: its top neurons
    wait_draw(page, view, n)
    assert kernel_eval(page, 'av.pos') == '3'
    top = view.locator('.lb-topneurons tr[data-neuron]').nth(2)
    neuron = top.get_attribute('data-neuron')
    n = draws(view)
    top.click()                                                             # a neuron: the text recolours
    wait_draw(page, view, n)
    assert kernel_eval(page, 'av.neuron') == neuron
    expect(view).to_contain_text(f'neuron {neuron}: activation over the text')
    n = draws(view)
    view.locator('select[data-trait=layer]').select_option('20')
    wait_draw(page, view, n)
    assert kernel_eval(page, 'av.layer') == '20'
    expect(view.locator('svg.lb-norms path')).to_have_count(2)
    shot(page, 'activations')
    assert console_errors == []

PROBE = '''g = torch.Generator().manual_seed(0)
y = torch.randint(0, 2, (400,), generator=g)
X = torch.randn(6, 400, 16, generator=g); X[3:, :, 0] += 2 * (2 * y - 1)
pv = lb.ProbeView({'planted': lb.probe(X, y, control=torch.arange(400) % 20), 'ridge': lb.probe(X, y.float(), task='ridge')})
pv'''

def test_probe_view(lab, page, console_errors):
    view = show(lab, page, 'probe', PROBE)
    expect(view.locator('path.lb-series')).to_have_count(3)                 # probe, control task, selectivity
    expect(view).to_contain_text('best layer')
    box = view.locator('svg.lb-probe rect').bounding_box()
    page.mouse.move(box['x'] + box['width'] * 0.6, box['y'] + box['height'] / 2)
    expect(view.locator('.lb-readout')).to_contain_text('layer 3')
    page.mouse.click(box['x'] + box['width'] * 0.6, box['y'] + box['height'] / 2)
    assert kernel_eval(page, 'pv.layer') == '3'
    n = draws(view)
    view.locator('select[data-trait=report]').select_option('ridge')
    wait_draw(page, view, n)
    expect(view.locator('path.lb-series')).to_have_count(1)
    assert kernel_eval(page, 'pv.chosen.metric') == "'r2'"
    shot(page, 'probe')
    assert console_errors == []

PANEL = '''sv = lb.steering_vector(m, ['The city of Rome', 'Rome is'], ['The city of Paris', 'Paris is'], 'resid_pre.10')
panel = lb.InterventionPanel.from_model(m, 'The Eiffel Tower is in the city of', steering=sv)
panel.wait()
panel'''

def test_intervention_panel(lab, page, console_errors):
    view = show(lab, page, 'panel', PANEL)
    expect(view.locator('.lb-dist-unedited')).to_contain_text('Paris')
    expect(view.locator('.lb-edits')).to_contain_text('none')
    sliders = page.locator('.jp-OutputArea .widget-slider')
    steer, scale = sliders.nth(1), sliders.nth(2)

    # Steering: move the scale slider with the keyboard (ten steps of 0.1); the answer turns to Rome.
    n = draws(view)
    scale.locator('.noUi-handle').focus()
    for _ in range(10): page.keyboard.press('ArrowRight')
    expect(scale.locator('.widget-readout')).to_have_text('1.00')
    page.wait_for_function("v => v.querySelector('.lb-edits').textContent.includes('x 1')", arg=view.element_handle())
    wait_draw(page, view, n)
    expect(view.locator('.lb-dist-edited tr').nth(1)).to_contain_text('Rome')
    expect(view.locator('.lb-diff .lb-ins').first).to_be_attached()
    shot(page, 'panel_steer')

    # 50 rapid moves of the steering-layer slider: one consistent final state, no error, far fewer runs than moves.
    steer.locator('.noUi-handle').focus()
    for _ in range(30): page.keyboard.press('ArrowRight')
    for _ in range(20): page.keyboard.press('ArrowLeft')
    expect(steer.locator('.widget-readout')).to_have_text('9')
    page.wait_for_function("v => v.querySelector('.lb-edits').textContent.includes('resid_pre.9 ')", arg=view.element_handle())
    page.wait_for_function("() => true")
    assert kernel_eval(page, 'panel.wait() and panel.steer_layer.value') == '9'
    assert kernel_eval(page, "panel.outcome.data['edits']") == "['steer resid_pre.9 x 1']"
    assert kernel_eval(page, 'panel.outcome.error') == "''"
    runs, requests = eval(kernel_eval(page, '(panel._runner.runs, panel._runner.requests)'))
    print(f'\n50 slider moves: {requests} requests reached the kernel, {runs} model runs')
    assert runs < requests

    # A failing run (skip every layer) shows its error inside the widget; the panel stays usable.
    skip = page.locator('.jp-OutputArea .widget-select-multiple select')
    skip.select_option([str(i) for i in range(30)])
    expect(view.locator('.lb-error')).to_contain_text('Cannot skip every layer')
    shot(page, 'panel_error')
    skip.select_option(['12'])
    expect(view.locator('.lb-error')).to_be_hidden()
    expect(view.locator('.lb-edits')).to_contain_text('skip layers [12]')

    # A new prompt typed in the panel's text box.
    box = page.locator('.jp-OutputArea .widget-text input').first
    box.fill('The capital of Italy is')
    box.press('Enter')
    page.wait_for_function("v => v.querySelector('.lb-dist-unedited').textContent.includes('Rome')", arg=view.element_handle())
    assert kernel_eval(page, 'panel.wait() and panel.prompt.value') == "'The capital of Italy is'"
    assert console_errors == []

def test_long_prompt_and_markup(lab, page, console_errors, dialogs):
    "A 1,000+ token prompt is pooled with a note instead of freezing the page; markup in tokens stays text."
    long = "' '.join(['The quick brown fox jumps over the <b>lazy</b> dog <img src=x onerror=alert(1)>.'] * 60)"
    view = show(lab, page, 'long', f"text = {long}\nav = lb.AttentionView.from_model(m, text)\nav",
                "lv = lb.LensView.from_model(m, text)\nlv", "xv = lb.ActivationView.from_model(m, text)\nxv")
    assert int(kernel_eval(page, 'len(m.tokenizer(text)["input_ids"])')) > 1000
    expect(view.locator('.lb-downsampled')).to_contain_text('blocks of')
    assert int(kernel_eval(page, 'av.size')) <= 256
    page.locator('select[data-trait=head]').first.select_option('0')
    expect(view.locator('canvas.lb-heat')).to_have_count(1)
    lens = page.locator('.lb-view').nth(1)
    expect(lens).to_contain_text('showing the last 48')
    expect(lens.locator('.lb-lensgrid td')).to_have_count(30 * 48)
    acts = page.locator('.lb-view').nth(2)
    expect(acts).to_contain_text('showing the last 512')
    page.wait_for_timeout(500)
    assert page.locator('.lb-view img, .lb-view b, .lb-view script').count() == 0 and dialogs == []
    assert page.locator('.lb-view .lb-text').first.inner_text().count('<img') >= 10     # shown as text
    shot(page, 'long_prompt')
    assert console_errors == []
