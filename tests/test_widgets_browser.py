"""lensbook's widgets in a real JupyterLab: each test opens a notebook that shows a widget on the bundled SmolLM2,
drives its controls in Chromium, and checks both the DOM and what the kernel sees. Screenshots: tests/artifacts/."""
import pytest
from browser_lab import (lab, browser, page, console_errors, dialogs,  # noqa: F401 (fixtures)
                         draws, wait_draw, show_view,
                         write_notebook, open_notebook, run_all, run_cell, kernel_eval, shot, TIMEOUT, ARTIFACTS)

pytestmark = pytest.mark.browser
expect = pytest.importorskip('playwright.sync_api', reason='playwright is missing').expect

SETUP = "import lensbook as lb, torch\nm = lb.load('smollm2')"
XSS = '<img src=x onerror=alert(1)>'

def show(lab, page, name, *cells): return show_view(lab, page, name, SETUP, *cells)

def test_attention_view(lab, page, console_errors, dialogs):
    view = show(lab, page, 'attention', "av = lb.AttentionView.from_model(m, 'The Eiffel Tower is in the city of')\nav")
    expect(view.locator('.lb-headcell')).to_have_count(9)            # every head of layer 0
    expect(view.locator('.lb-headcell').nth(4)).to_contain_text('kv 1')   # grouped-query attention: 9 heads, 3 kv
    expect(view.locator('.lb-entropy td')).to_have_count(30 * 9)
    # every picture has token labels, the colour bar says what it shows
    assert view.locator('.lb-headcell').nth(0).locator('.lb-axis-label').count() >= 9
    expect(view.locator('.lb-cbar-label').first).to_contain_text('attention')
    expect(view.locator('.lb-entropy').locator('xpath=../..').locator('.lb-cbar-label')).to_contain_text('nats')
    shot(page, 'attention_grid')

    n = draws(view)
    view.locator('select[data-trait=head]').select_option('4')         # one head: a redraw in the browser only
    wait_draw(page, view, n)
    expect(view.locator('canvas.lb-heat')).to_have_count(1)
    labels = view.locator('.lb-axis-h .lb-axis-label')                  # the key labels: one per token, none overlapping
    assert labels.count() == 9
    boxes = [labels.nth(i).bounding_box() for i in range(labels.count())]
    assert all(b['x'] + 4 < c['x'] for b, c in zip(boxes, boxes[1:])), boxes
    c = view.locator('canvas.lb-heat').bounding_box()                    # hover query 8 -> key 0, then switch heads
    page.mouse.move(c['x'] + c['width'] / 18, c['y'] + c['height'] * 17 / 18)
    expect(view.locator('.lb-readout')).to_contain_text('H4 (kv 1)')
    expect(view.locator('.lb-tip')).to_be_visible()
    view.locator('select[data-trait=head]').select_option('5')
    expect(view.locator('.lb-readout')).to_contain_text('H5 (kv 1)')     # the readout follows the head shown
    w5 = float(kernel_eval(page, 'round(float(av.result.pattern[0, 5, 8, 0]), 3)'))
    assert abs(float(view.locator('.lb-readout').inner_text().rsplit(':', 1)[1]) - w5) < 6e-3
    view.locator('select[data-local=colour]').select_option('log')       # colour scales: log, row-normalised, linear
    expect(view.locator('.lb-cbar[data-log="1"]')).to_have_count(1)
    view.locator('input[data-local=hide-first]').check()                 # hide the sink: one key fewer
    assert view.locator('canvas.lb-heat').get_attribute('width') == '8'
    view.locator('select[data-trait=head]').select_option('4')
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
    view = show(lab, page, 'lens', "lv = lb.LensView.from_model(m, 'The Eiffel Tower is in the city of', lenses=[lb.TunedLens(m), lb.JacobianLens(m)])\nlv",
                "lv.snapshot()")
    first = run_cell(page, 2)                                                # a snapshot of the first state
    assert 'logit lens on resid_post' in first and 'top-1 probability' in first
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
    expect(view.locator('.lb-cbar-label')).to_contain_text('entropy (nats)')   # units, and the direction of the map
    expect(view.locator('.lb-cbar-label')).to_contain_text('bright = low')
    expect(view.locator('.lb-cbar[data-cmap=viridis_r]')).to_have_count(1)

    n = draws(view)                                                          # follow a target: the kernel re-runs
    view.locator('input[data-trait=target]').fill(' Paris')
    view.locator('input[data-trait=target]').press('Enter')
    wait_draw(page, view, n)
    expect(view.locator('select[data-trait=metric] option[value=target]')).to_be_attached()
    view.locator('select[data-trait=metric]').select_option('target')
    expect(view.locator('.lb-cbar[data-log="1"]')).to_have_count(1)          # target probability: log scale by default
    view.locator('.lb-lensgrid td[data-layer="29"][data-pos="8"]').click()
    expect(view.locator('.lb-topk')).to_contain_text("p(␣Paris)")
    expect(view.locator('.lb-topk')).to_contain_text("rank 1")               # 1-based: the top token has rank 1
    view.locator('select[data-local=scale]').select_option('linear')
    expect(view.locator('.lb-cbar[data-log="0"]')).to_have_count(1)
    view.locator('select[data-trait=metric]').select_option('rank')
    expect(view.locator('.lb-cbar-lo')).to_have_text('1')
    shot(page, 'lens_target')

    n = draws(view)
    view.locator('select[data-trait=lens]').select_option('tuned lens')
    wait_draw(page, view, n)
    expect(view).to_contain_text('tuned lens on resid_post')
    assert kernel_eval(page, "(lv.lens, lv.result.lens_name, lv.target)") == "('tuned lens', 'tuned lens', ' Paris')"
    now = run_cell(page, 2)                                                  # a snapshot now: the state reached, for a saved notebook
    assert 'tuned lens on resid_post' in now and 'rank of' in now and 'Paris' in now, now[:300]
    n = draws(view)                                                          # the third lens: the kernel re-runs with it
    view.locator('select[data-trait=lens]').select_option('jacobian lens')
    wait_draw(page, view, n)
    expect(view).to_contain_text('jacobian lens on resid_post')
    assert kernel_eval(page, "(lv.lens, lv.result.lens_name, lv.error)") == "('jacobian lens', 'jacobian lens', '')"
    assert console_errors == []

def test_effect_view(lab, page, console_errors):
    view = show(lab, page, 'effects', "ev = lb.EffectView.from_patch(m, 'The Eiffel Tower is in the city of', "
                "'The Colosseum is in the city of', lb.logit_diff(m, ' Paris', ' Rome'))\nev", "lb.EffectView(ev.result)")
    alone = page.locator('.lb-view').nth(1)                          # a result alone: no empty clean / corrupt panels
    expect(alone.locator('.lb-effects td')).to_have_count(30 * 9)
    assert alone.locator('.lb-dist').count() == 0
    expect(alone.locator('.lb-nodetail')).to_be_visible()
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
    expect(view.locator('.lb-cbar[data-cmap=diverging]')).to_have_count(1)   # signed effects: diverging, centred on 0
    lo, hi = float(view.locator('.lb-cbar').get_attribute('data-lo')), float(view.locator('.lb-cbar').get_attribute('data-hi'))
    assert abs(lo + hi) < 1e-6
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
    expect(view.locator('.lb-cbar[data-cmap=diverging]')).to_have_count(1)
    shot(page, 'activations')
    # An out-of-range neuron is refused: the last good state stays, marked stale; a new prompt then redraws for it.
    view.locator('input[data-trait=neuron]').fill('99999')
    expect(view.locator('.lb-error')).to_contain_text('out of range')
    expect(view).to_have_attribute('data-stale', '1')
    n = draws(view)
    box = view.locator('input[data-trait=prompt]')
    box.fill('Paris is lovely')
    box.press('Enter')
    wait_draw(page, view, n)
    expect(view.locator('.lb-error')).to_be_hidden()
    expect(view).to_have_attribute('data-stale', '0')
    expect(view.locator('.lb-text')).to_contain_text('lovely')
    assert kernel_eval(page, 'av.data["tokens"][-1]') == "' lovely'"
    assert console_errors == []

PROBE = '''g = torch.Generator().manual_seed(0)
y = torch.randint(0, 2, (400,), generator=g)
X = torch.randn(6, 400, 16, generator=g); X[3:, :, 0] += 2 * (2 * y - 1)
pv = lb.ProbeView({'planted': lb.probe(X, y, control=torch.arange(400) % 20), 'ridge': lb.probe(X, y.float(), task='ridge')})
pv'''

def test_probe_view(lab, page, console_errors):
    view = show(lab, page, 'probe', PROBE)
    expect(view.locator('path.lb-series')).to_have_count(3)                 # probe, control task, selectivity
    expect(view.locator('.lb-legend-item')).to_have_count(3)               # with a legend
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

def set_range(page, view, name, value):
    "Set a range input of the view as a user's drag would end (input events, then change)."
    view.locator(f'input[type=range][data-trait={name}]').evaluate(
        "(r, v) => { r.value = v; r.dispatchEvent(new Event('input', {bubbles: true})); r.dispatchEvent(new Event('change', {bubbles: true})); }", value)

def test_intervention_panel(lab, page, console_errors):
    page.set_viewport_size({'width': 1024, 'height': 800})
    view = show(lab, page, 'panel', PANEL)
    expect(view.locator('.lb-dist-unedited')).to_contain_text('Paris')
    expect(view.locator('.lb-edits')).to_contain_text('none')
    # Controls drawn in JS, all of them always there; nothing changed shows a neutral 0, never -0.000.
    for sect in ('prompt', 'ablate', 'steer', 'skip'): expect(view.locator(f'.lb-ctl-{sect}')).to_be_visible()
    expect(view.locator('.lb-skip .lb-chip')).to_have_count(30)
    assert '-0.000' not in view.locator('.lb-dist-edited').inner_text()
    assert view.locator('.lb-dist-edited .lb-delta .lb-zero').count() == view.locator('.lb-dist-edited tr').count() - 1
    assert view.evaluate('v => v.scrollWidth <= v.clientWidth + 1'), 'the panel overflows at 1,024 px'
    assert page.locator('.jp-OutputArea .widget-slider').count() == 0    # no ipywidgets left

    # Steering with the given vector: the answer turns to Rome.
    n = draws(view)
    set_range(page, view, 'scale', 1)
    page.wait_for_function("v => v.querySelector('.lb-edits').textContent.includes('x 1')", arg=view.element_handle())
    wait_draw(page, view, n)
    expect(view.locator('.lb-dist-edited tr').nth(1)).to_contain_text('Rome')
    expect(view.locator('.lb-diff .lb-ins').first).to_be_attached()
    shot(page, 'panel_steer')

    # 30 rapid moves of the steering-layer slider: one consistent final state, no error, fewer runs than moves.
    for v in list(range(10, 25)) + list(range(25, 10, -1)): set_range(page, view, 'steer_layer', v if v != 11 else 9)
    set_range(page, view, 'steer_layer', 9)
    page.wait_for_function("v => v.querySelector('.lb-edits').textContent.includes('resid_pre.9 ')", arg=view.element_handle())
    assert kernel_eval(page, 'panel.wait() and panel.steer_layer') == '9'
    assert kernel_eval(page, "panel.data['edits']") == "['steer resid_pre.9 x 1']"
    assert kernel_eval(page, 'panel.error') == "''"
    runs, requests = eval(kernel_eval(page, '(panel._runner.runs, panel._runner.requests)'))
    print(f'\n31 slider moves: {requests} requests reached the kernel, {runs} model runs')
    assert runs < 31

    # A direction built in the panel from two prompts.
    view.locator('input[data-trait=toward]').fill('The city of Rome')
    view.locator('input[data-trait=toward]').press('Enter')
    view.locator('input[data-trait=away]').fill('The city of Paris')
    view.locator('input[data-trait=away]').press('Enter')
    expect(view.locator('.lb-edits')).to_contain_text("toward 'The city of Rome'")
    assert kernel_eval(page, 'panel.wait() and panel.error') == "''"

    # Skip chips: clicking every layer fails (shown in the widget, the last good state kept and marked stale).
    for i in range(30): view.locator(f'.lb-skip .lb-chip[data-value="{i}"]').click()
    expect(view.locator('.lb-error')).to_contain_text('Cannot skip every layer')
    expect(view).to_have_attribute('data-stale', '1')
    shot(page, 'panel_error')
    for i in range(30):
        if i != 12: view.locator(f'.lb-skip .lb-chip[data-value="{i}"]').click()
    expect(view.locator('.lb-error')).to_be_hidden()
    expect(view).to_have_attribute('data-stale', '0')
    expect(view.locator('.lb-edits')).to_contain_text('skip layers [12]')

    # A new prompt typed in the panel's text box.
    box = view.locator('input[data-trait=prompt]')
    box.fill('The capital of Italy is')
    box.press('Enter')
    page.wait_for_function("v => v.querySelector('.lb-dist-unedited').textContent.includes('Rome')", arg=view.element_handle())
    assert kernel_eval(page, 'panel.wait() and panel.prompt') == "'The capital of Italy is'"
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
    expect(lens).to_contain_text('showing the last 512')
    size = int(lens.locator('.lb-window').get_attribute('data-size'))     # a window of the newest positions
    assert 8 <= size <= 48 and int(lens.locator('.lb-window').get_attribute('data-start')) == 512 - size
    expect(lens.locator('.lb-lensgrid td')).to_have_count(30 * size)
    acts = page.locator('.lb-view').nth(2)
    expect(acts).to_contain_text('showing the last 512')
    page.wait_for_timeout(500)
    assert page.locator('.lb-view img, .lb-view b, .lb-view script').count() == 0 and dialogs == []
    assert page.locator('.lb-view .lb-text').first.inner_text().count('<img') >= 10     # shown as text
    shot(page, 'long_prompt')
    assert console_errors == []

LONG = "long = ' '.join(['The quick brown fox jumps over the lazy dog.'] * 19)"
VIEWS = {   # name -> code making the view for prompt variables P (clean) and Q (corrupt, same length)
    'lens': "lb.LensView.from_model(m, P, target=' Paris')",
    'attention': "lb.AttentionView.from_model(m, P, layer=12, head=-1)",
    'activation': "lb.ActivationView.from_model(m, P, layer=7)",
    'effect': "lb.EffectView.from_patch(m, P, Q, lb.logit_diff(m, ' Paris', ' Rome'), result=lb.attribution_patch(m, P, Q, lb.logit_diff(m, ' Paris', ' Rome')))",
    'intervention': "lb.InterventionPanel.from_model(m, P, max_new_tokens=8)",
    'probe': "lb.ProbeView(lb.probe(X, y, control=torch.arange(400) % 20))",
}
PROBE_DATA = """g = torch.Generator().manual_seed(0)
y = torch.randint(0, 2, (400,), generator=g)
X = torch.randn(30, 400, 16, generator=g); X[12:, :, 0] += 2 * (2 * y - 1)"""

def test_views_at_1024(lab, page, console_errors, dialogs):
    "All six views at 1,024 px for a 12-token and a ~200-token prompt: nothing overflows, the newest positions are in view, screenshots."
    page.set_viewport_size({'width': 1024, 'height': 2600})   # tall enough that the tallest view (all heads, 200 tokens) fits below the toolbar
    short = "P, Q = 'The Eiffel Tower is in the city of', 'The Colosseum is in the city of'"
    cells = [PROBE_DATA, LONG]
    for size, prompts in (('12', short), ('200', "P, Q = long + ' The Eiffel Tower is in the city of', long + ' The Colosseum is in the city of'")):
        cells.append(prompts)
        cells += [VIEWS[k] for k in VIEWS]
    show(lab, page, 'views1024', *cells)
    n200 = int(kernel_eval(page, "len(m.tokenizer(P)['input_ids'])"))
    assert 186 <= n200 <= 210, n200
    views = page.locator('.lb-view')
    expect(views).to_have_count(12)
    for k, name in enumerate(list(VIEWS) * 2):
        size = '12' if k < 6 else '200'
        v = views.nth(k)
        v.scroll_into_view_if_needed()
        assert v.evaluate('v => v.scrollWidth <= v.clientWidth + 1'), f'{name} {size} overflows at 1,024 px'
        assert v.bounding_box()['x'] + v.bounding_box()['width'] <= 1024
        v.screenshot(path=str(ARTIFACTS / f'view_{name}_{size}.png'))
    for k in (3, 9):                                                      # the effect grids: no column hidden to the right
        box = views.nth(k).locator('.lb-gridbox')
        assert box.evaluate('b => b.scrollWidth <= b.clientWidth + 1'), f'effect view {k}: columns hidden to the right'
    lens = views.nth(6)                                                   # the 200-token lens: the last position in view
    last = lens.locator('.lb-lensgrid .lb-colhead').last
    assert last.bounding_box()['x'] + last.bounding_box()['width'] <= lens.bounding_box()['x'] + lens.bounding_box()['width']
    assert kernel_eval(page, "lb.show_token(m.tokenizer.convert_ids_to_tokens(m.tokenizer(P)['input_ids'])[-1]) != ''") == 'True'
    assert int(lens.locator('.lb-window').get_attribute('data-start')) + int(lens.locator('.lb-window').get_attribute('data-size')) == n200
    assert lens.locator('.lb-rowhead').first.evaluate("e => getComputedStyle(e).position") == 'sticky'
    cell = lens.locator('.lb-lensgrid td').last                           # the hover panel stays beside the pointer, inside the view
    cell.hover()
    expect(lens.locator('.lb-tip')).to_be_visible()
    box = cell.bounding_box()
    tipb, lb_ = lens.locator('.lb-tip').bounding_box(), lens.bounding_box()
    assert lb_['x'] <= tipb['x'] and tipb['x'] + tipb['width'] <= lb_['x'] + lb_['width'] + 1
    assert abs(tipb['y'] - box['y']) < 200
    att = views.nth(7)                                                    # the 200-token attention: a window, labelled heads
    assert att.locator('.lb-headcell').first.locator('.lb-axis-label').count() >= 5
    assert dialogs == [] and console_errors == []
