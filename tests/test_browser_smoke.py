"""Smoke test of the browser harness: ipywidgets and anywidget render in JupyterLab, what the browser changes reaches
the kernel, and widget text is rendered as text, never as HTML."""
import time
import pytest
from browser_lab import (lab, browser, page, console_errors, dialogs,  # noqa: F401 (fixtures)
                         write_notebook, open_notebook, run_all, run_cell, output_text, kernel_eval, shot)

pytestmark = pytest.mark.browser
expect = pytest.importorskip('playwright.sync_api', reason='playwright is missing').expect

# A button that counts its clicks in a synced trait and shows the count as text.
COUNTER = '''import anywidget, traitlets, ipywidgets as widgets
class Counter(anywidget.AnyWidget):
    _esm = """
    function render({ model, el }) {
      const button = document.createElement('button');
      button.id = 'aw-button'; button.textContent = 'click me';
      const count = document.createElement('span');
      count.id = 'aw-count';
      const show = () => { count.textContent = `count is ${model.get('count')}`; };
      button.addEventListener('click', () => { model.set('count', model.get('count') + 1); model.save_changes(); });
      model.on('change:count', show);
      show();
      el.append(button, count);
    }
    export default { render };
    """
    count = traitlets.Int(0).tag(sync=True)
slider = widgets.IntSlider(value=7, min=0, max=20, description='n')
slider'''

def test_widgets_round_trip(lab, page, console_errors):
    write_notebook(lab, 'smoke.ipynb', [COUNTER, 'counter = Counter()\ncounter',
                                        "print(f'kernel sees slider={slider.value} count={counter.count}')"])
    t0 = time.time()
    opened = open_notebook(page, lab, 'smoke.ipynb')
    run_all(page)
    readout, count = page.locator('.jp-OutputArea .widget-readout').first, page.locator('#aw-count')
    expect(readout).to_have_text('7')
    expect(count).to_have_text('count is 0')
    assert 'kernel sees slider=7 count=0' in output_text(page, -1)
    shot(page, 'smoke_before')

    page.locator('.jp-OutputArea .widget-slider .noUi-handle').first.focus()
    for _ in range(3): page.keyboard.press('ArrowRight')
    page.locator('#aw-button').click()
    page.locator('#aw-button').click()
    expect(readout).to_have_text('10')
    expect(count).to_have_text('count is 2')

    assert 'kernel sees slider=10 count=2' in run_cell(page, -1)
    assert kernel_eval(page, '(slider.value, counter.count)') == '(10, 2)'
    shot(page, 'smoke_after')
    print(f'\nserver ready {lab.started_in:.1f} s, notebook open {opened:.1f} s, test {time.time() - t0:.1f} s')
    assert console_errors == []

# Sets textContent, never innerHTML: markup in the text must show literally and run nothing.
TEXT = '''import anywidget, traitlets
class Text(anywidget.AnyWidget):
    _esm = """
    function render({ model, el }) {
      const box = document.createElement('div');
      box.id = 'aw-text';
      const show = () => { box.textContent = model.get('text'); };
      model.on('change:text', show);
      show();
      el.append(box);
    }
    export default { render };
    """
    text = traitlets.Unicode('').tag(sync=True)
shown = Text(text=FIRST)
shown'''
FIRST = 'first <img src=x onerror=alert(1)>'
LATER = 'later <script>alert(2)</script><img src=y onerror=alert(3)>'

def test_widget_text_is_not_html(lab, page, console_errors, dialogs):
    "Both the first render and a change from the kernel show the markup as text; no alert fires."
    write_notebook(lab, 'text.ipynb', [f'FIRST = {FIRST!r}\n' + TEXT, f'shown.text = {LATER!r}'])
    open_notebook(page, lab, 'text.ipynb')
    box = page.locator('#aw-text')
    run_cell(page, 0)
    expect(box).to_have_text(FIRST)
    assert box.locator('img').count() == 0
    shot(page, 'text_not_html')
    run_cell(page, 1)
    expect(box).to_have_text(LATER)
    assert box.locator('img, script').count() == 0
    assert kernel_eval(page, 'shown.text') == repr(LATER)
    assert dialogs == [] and console_errors == []
