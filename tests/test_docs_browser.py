"""The offline documentation site (tools/docs.py, `make docs`): its pieces on tiny synthetic notebooks (fast, no model),
and the whole site in headless Chromium (marker `browser`): every page loads with no console error, no failed request
and no request off this machine; internal links and anchors resolve; images load; figures are there; the navigation
lists every page. Screenshots of the home page and a tutorial (or a module page) go to tests/artifacts/."""
import contextlib, functools, http.server, importlib.util, json, os, pathlib, re, subprocess, sys, threading, time
import urllib.parse
import nbformat
import pytest
from browser_lab import browser, ARTIFACTS, TIMEOUT, free_port  # noqa: F401 (fixture)

ROOT = pathlib.Path(__file__).parents[1]
DOCS = ROOT/'_docs'
BUILD_TIMEOUT = 1800  # seconds for the whole site: every notebook runs, 2 at a time, on a shared 2-core machine

def _load_docs():
    spec = importlib.util.spec_from_file_location('lensbook_docs', ROOT/'tools'/'docs.py')
    mod = importlib.util.module_from_spec(spec)
    sys.modules['lensbook_docs'] = mod  # dataclasses look their module up there
    spec.loader.exec_module(mod)
    return mod

docs = _load_docs()

# --- the builder's pieces -----------------------------------------------------------------------------------------

def test_page_names_and_order(tmp_path):
    for name in ('index', '00_core', '11_lens.weights', '_draft', 'tutorials/02_b', 'tutorials/01_a', '.hidden/x', 'tutorials/_wip'):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(f'# T {name}\n\n> about {name}')])
        (tmp_path/name).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, tmp_path/f'{name}.ipynb')
    pages = docs.find_pages(tmp_path)
    assert [(p.section, p.out) for p in pages] == [
        ('Tour', 'index.html'), ('Reference', 'core.html'), ('Reference', 'lens.weights.html'),
        ('Tutorials', 'tutorials/a.html'), ('Tutorials', 'tutorials/b.html')]
    assert (pages[1].title, pages[1].description) == ('T 00_core', 'about 00_core')
    assert [p.out for p in docs.select(pages, ['core', 'tutorials/01_a.ipynb', 'b'])] == ['core.html', 'tutorials/a.html', 'tutorials/b.html']
    with pytest.raises(SystemExit, match='no such notebook'): docs.select(pages, ['nope'])

def test_clean_text_paths_and_ansi():
    home = os.path.expanduser('~')
    s = (f'\x1b[31mred\x1b[0m {ROOT}/nbs/x.ipynb {sys.prefix}/lib/python3.11/site-packages/torch/nn.py '
         f'{home}/.cache/lensbook/m.pt /tmp/tmpab12cd/run/probe.pt and /tmp/x.txt')
    got = docs.clean_text(s)
    assert got == ('red <lensbook>/nbs/x.ipynb <site-packages>/torch/nn.py ~/.cache/lensbook/m.pt <tmp>/probe.pt '
                   'and <tmp>/x.txt'), got
    assert docs.clean_text('no paths here: 3/4 and a/b') == 'no paths here: 3/4 and a/b'

def test_stderr_noise_dropped():
    err = ('  0%|          | 0/3 [00:00<?, ?it/s]\r 33%|###3      | 1/3 [00:01<00:02,  1.0it/s]\r100%|##########| 3/3 [00:03<00:00,  1.0it/s]\n'
           '/x/y.py:12: UserWarning: something deprecated\n  warnings.warn(msg)\n'
           'FutureWarning: also noise\n'
           'a real message\n')
    assert docs.clean_stderr(err) == 'a real message\n'
    assert docs.curate_output({'output_type': 'stream', 'name': 'stderr', 'text': err.replace('a real message\n', '')}) is None
    out = docs.curate_output({'output_type': 'stream', 'name': 'stdout', 'text': ['\x1b[1mbold\x1b[0m\n', f'{ROOT}/a\n']})
    assert out['text'] == 'bold\n<lensbook>/a\n'

def test_widget_outputs():
    view = {'application/vnd.jupyter.widget-view+json': {'model_id': 'abc', 'version_major': 2, 'version_minor': 0}}
    static = docs.curate_output({'output_type': 'display_data', 'metadata': {},
                                 'data': {**view, 'text/html': '<div class="lb">grid</div>', 'text/plain': 'LensView()'}})
    assert static['data'] == {'text/html': '<div class="lb">grid</div>'}
    bare = docs.curate_output({'output_type': 'execute_result', 'metadata': {}, 'execution_count': 1,
                               'data': {**view, 'text/plain': 'IntSlider(value=7)'}})
    assert bare['data'] == {'text/html': docs.WIDGET_NOTE} and 'run the notebook to use it' in docs.WIDGET_NOTE
    bar = docs.curate_output({'output_type': 'display_data', 'metadata': {},
                              'data': {**view, 'text/plain': ' 40%|####      | 2/5 [00:01<00:01, 2.0it/s]'}})
    assert bar is None
    js = docs.curate_output({'output_type': 'display_data', 'metadata': {}, 'data': {'application/javascript': 'x()'}})
    assert js is None

def test_markdown_outputs_are_escaped():
    "A text/markdown output (show_doc, or Markdown() of model text) shows raw HTML as text; show_doc's source link stays a link."
    out = docs.render_output({'output_type': 'display_data', 'metadata': {}, 'data': {'text/markdown':
        '[source](https://x.org/a.py#L3){target="_blank"}\n\n### f\n\ntoken <img src=x onerror=alert(1)> and *emphasis*'}},
        None, False)
    assert '<img' not in out and '&lt;img src=x onerror=alert(1)&gt;' in out
    assert '<a href="https://x.org/a.py#L3" target="_blank">source</a>' in out and '<em>emphasis</em>' in out
    cell = docs.markdown('prose may use <b>HTML</b>')  # markdown cells are the authors' own: HTML kept
    assert '<b>HTML</b>' in cell

def test_rewrite_links():
    pages = [docs.Page(pathlib.Path(s), docs.html_name(pathlib.Path(s)), sec) for s, sec in
             [('index.ipynb', 'Tour'), ('10_lens.ipynb', 'Reference'), ('tutorials/01_painters.ipynb', 'Tutorials')]]
    pre = 'https://lensbook.github.io/lensbook/'
    body = ('<a href="10_lens.ipynb">a</a> <a href="lens.html#logit_lens">b</a> <a href="tutorials/01_painters.ipynb#fig">c</a>'
            f' <a href="{pre}lens.html#run">d</a> <a href="https://pytorch.org/x.html">e</a> <a href="#local">f</a>'
            ' <a href="missing.ipynb">g</a>')
    got = docs.rewrite_links(body, pages[0], pages, pre)
    assert re.findall(r'href="([^"]*)"', got) == ['lens.html', 'lens.html#logit_lens', 'tutorials/painters.html#fig',
                                                 'lens.html#run', 'https://pytorch.org/x.html', '#local', 'missing.ipynb']
    got = docs.rewrite_links('<a href="../10_lens.ipynb">x</a> <a href="02_other.ipynb">y</a> <a href="../index.ipynb">z</a>',
                             pages[2], pages, pre)
    assert re.findall(r'href="([^"]*)"', got) == ['../lens.html', '02_other.ipynb', '../index.html']
    md = docs.link_modules('see `lensbook.lens` and `10_lens`, not `x` or [`lensbook.lens`](y)', pages[:0] + [
        docs.Page(pathlib.Path('10_lens.ipynb'), 'lens.html', 'Reference', module='lens')])
    assert md == 'see [`lensbook.lens`](10_lens.ipynb) and [`10_lens`](10_lens.ipynb), not `x` or [`lensbook.lens`](y)'

def test_missing_anchors_point_at_the_page():
    "nbdev links private helpers too (`_reduce` -> collect.html#_reduce); with no heading there, the link goes to the page."
    bodies, n = docs.fix_anchors({'a.html': '<h2 id="x">x</h2><a href="b.html#y">1</a><a href="b.html#z">2</a><a href="#q">3</a>',
                                  'b.html': '<h3 id="y">y</h3>', 'tutorials/c.html': '<a href="../b.html#nope">c</a>'})
    assert n == 2
    assert bodies['a.html'] == '<h2 id="x">x</h2><a href="b.html#y">1</a><a href="b.html">2</a><a href="#q">3</a>'
    assert bodies['tutorials/c.html'] == '<a href="../b.html">c</a>'

def test_anchor_ids_follow_nbdev_links():
    "nbdev's doc links point at `page.html#name` and `#class.method` (lowercase): the show_doc headings must have those ids."
    assert docs.anchor_id('<code>Trace.stack</code>') == 'trace.stack'
    assert docs.anchor_id('logit_lens') == 'logit_lens'
    assert docs.anchor_id('The site table') == 'the-site-table'
    assert docs.anchor_id('2. Where: next?') == 'where-next'

SYNTH = {
    'index': ['md:# Synthetic site\n\n> A tiny notebook set for the builder\'s test.',
              'md:See [the module](01_mod.ipynb) and [the tutorial](tutorials/01_tut.ipynb#a-section).',
              'import sys, warnings, ipywidgets as widgets\nprint("\\x1b[32mgreen\\x1b[0m", sys.prefix)\n'
              'warnings.warn("noisy")\nprint("kept", file=sys.stderr)',
              'widgets.IntSlider(value=3)',
              '#| hide\nassert 1 + 1 == 2\nprint("HIDDEN CELL")',
              'import matplotlib.pyplot as plt\nplt.plot([1, 3, 2]);'],
    '01_mod': ['#| default_exp mod', 'md:# The module\n\n> With one exported function.',
               '#| export\ndef double(x:int, # the number\n          )->int:\n    "Twice `x`."\n    return 2 * x',
               'double(21)'],
    '02_bad': ['md:# Broken\n\n> This one raises.\n\nText nbdev drops.', 'x = 1', '1 / 0', 'print("never")'],
    'tutorials/01_tut': ['md:# A tutorial\n\n> In a folder.', 'md:## A section\n\nBack [home](../index.ipynb).', 'print(6 * 7)'],
}

def _write_synth(nbs: pathlib.Path):
    for name, cells in SYNTH.items():
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(c[3:]) if c.startswith('md:')
                                             else nbformat.v4.new_code_cell(c) for c in cells])
        nb.metadata.kernelspec = {'name': 'python3', 'display_name': 'Python 3 (ipykernel)', 'language': 'python'}
        (nbs/name).parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, nbs/f'{name}.ipynb')

@pytest.fixture(scope='module')
def synth(tmp_path_factory):
    "A synthetic notebook folder built by tools/docs.py in a subprocess: (exit status, its output, the site folder)."
    tmp = tmp_path_factory.mktemp('docs')
    _write_synth(tmp/'nbs')
    p = subprocess.run([sys.executable, str(ROOT/'tools'/'docs.py'), '--nbs', str(tmp/'nbs'), '--out', str(tmp/'site'),
                        '--timeout', '120'], capture_output=True, text=True, timeout=600, cwd=ROOT,
                       env={**os.environ, 'OMP_NUM_THREADS': '1'})
    return p.returncode, p.stdout + p.stderr, tmp/'site'

def test_synthetic_build(synth):
    rc, log, site = synth
    # a failing notebook fails the build, with its name and its error; the other pages are still built
    assert rc == 1, log
    assert 'nbs/02_bad.ipynb failed' in log and 'ZeroDivisionError' in log, log
    assert re.search(r'ok .* index\.html .*1 figure', log), log
    assert "warning: nbs/02_bad.ipynb: nbdev drops the rest of the title cell ('Text nbdev drops.'" in log, log
    for page in ('index.html', 'mod.html', 'bad.html', 'tutorials/tut.html', 'site.css'): assert (site/page).exists(), page
    index = (site/'index.html').read_text()
    assert '<title>Synthetic site' in index and 'A tiny notebook set' in index
    outs = ''.join(re.findall(r'<div class=outputs>(.*?)</div>', index, re.S))
    assert 'green' in outs and '\x1b' not in outs and 'noisy' not in outs and 'kept' in outs, outs
    assert sys.prefix not in index and str(ROOT) not in index
    if sys.prefix.startswith(str(ROOT)): assert '&lt;lensbook&gt;/' in index
    assert 'HIDDEN CELL' not in index and 'assert 1 + 1' not in index
    assert docs.WIDGET_NOTE in index and 'widget-view' not in index
    assert 'href="mod.html"' in index and 'href="tutorials/tut.html#a-section"' in index
    assert re.search(r'<img src="figures/index/1\.png"', index) and (site/'figures'/'index'/'1.png').stat().st_size > 1000
    assert not re.search(r'<script|https?://(?!lensbook\.github\.io|github\.com)', index)
    mod = (site/'mod.html').read_text()
    assert 'id="double"' in mod and 'Twice' in mod and 'the number' in mod  # nbdev's show_doc, run in the kernel
    assert 'return 2 * x' not in mod  # `#| export` code is not shown, as in nbdev's docs
    assert '42' in mod
    tut = (site/'tutorials'/'tut.html').read_text()
    assert 'href="../index.html"' in tut and 'href="../site.css"' in tut and 'id="a-section"' in tut
    bad = (site/'bad.html').read_text()
    assert 'failed while the site was built' in bad and 'ZeroDivisionError' in bad
    assert 'never' not in ''.join(re.findall(r'<div class=outputs>(.*?)</div>', bad, re.S))  # nothing ran after the error
    for page in ('index.html', 'mod.html', 'bad.html', 'tutorials/tut.html'):  # the navigation lists every page
        nav = re.search(r'<nav class="site">(.*?)</nav>', (site/page).read_text(), re.S).group(1)
        assert len(re.findall(r'<li>', nav)) == 4 and '>Tutorials<' in nav and '>Reference<' in nav

# --- the real site in the browser ---------------------------------------------------------------------------------

def stale_pages() -> list[str] | None:
    """The notebooks whose page is older than the notebook or than tools/docs.py, was built without executing, or
    failed (per the build record _docs/.build.json); None when the whole site needs a build."""
    rec = DOCS/'.build.json'
    if not rec.exists(): return None
    entries, tool = json.loads(rec.read_text()).get('pages', {}), (ROOT/'tools'/'docs.py').stat().st_mtime
    stale = []
    for p in docs.find_pages(ROOT/'nbs'):
        e = entries.get(p.out)
        if (not e or not e.get('ok') or not e.get('executed') or e.get('built', 0) < max(tool, (ROOT/'nbs'/p.src).stat().st_mtime)
                or not (DOCS/p.out).exists()): stale.append(p.name)
    return stale

class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a): pass

@pytest.fixture(scope='session')
def site():
    """Build the pages that are not current (all of them when there is no build record or many are stale), serve
    _docs/ on 127.0.0.1; yields (base url, build record, build log). LENSBOOK_DOCS_REUSE=1 serves _docs/ as it is."""
    stale, args = stale_pages(), []
    if os.environ.get('LENSBOOK_DOCS_REUSE') and (DOCS/'index.html').exists(): stale = []  # iterating on the tests only
    if stale is None or len(stale) > 6: args = []  # everything
    elif stale: args = ['--only', *stale]
    log = 'site was current: not rebuilt'
    if stale is None or stale:
        t0 = time.time()
        p = subprocess.run([sys.executable, 'tools/docs.py', *args], cwd=ROOT, capture_output=True, text=True,
                           timeout=BUILD_TIMEOUT, env={**os.environ, 'OMP_NUM_THREADS': '1', 'HF_HUB_OFFLINE': '1',
                                                       'TRANSFORMERS_OFFLINE': '1'})
        log = f'tools/docs.py {" ".join(args)} exited {p.returncode} after {time.time() - t0:.0f} s\n{p.stdout}\n{p.stderr}'
    rec = json.loads((DOCS/'.build.json').read_text()) if (DOCS/'.build.json').exists() else {}
    server = http.server.ThreadingHTTPServer(('127.0.0.1', free_port()),
                                             functools.partial(_Quiet, directory=str(DOCS)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try: yield f'http://127.0.0.1:{server.server_address[1]}/', rec, log
    finally:
        server.shutdown(); server.server_close()

def _shown_code_plots(nb_path: pathlib.Path) -> bool:
    "Whether a shown (not hidden, not exported) code cell of the notebook draws a matplotlib figure."
    nb = nbformat.read(nb_path, 4)
    for c in nb.cells:
        if c.cell_type != 'code' or re.search(r'^#\|\s*(hide|export)', c.source, re.M): continue
        if re.search(r'\bplt\.|\.plot\(|imshow\(|subplots\(', c.source): return True
    return False

@pytest.mark.browser
def test_site_built(site):
    "The whole build passed: every notebook ran."
    url, rec, log = site
    assert rec.get('pages'), log
    bad = [f'{k} (nbs/{e["src"]})' for k, e in rec['pages'].items() if not (e['ok'] and e['executed'])]
    assert not bad, f'pages not built from an executed notebook: {bad}\n{log}'
    assert stale_pages() == [], log
    print(f'\nsite: {len(rec["pages"])} pages; {log.splitlines()[0]}')

def _pages(rec: dict) -> list:
    "Every notebook's page (with LENSBOOK_DOCS_REUSE, those built: notebooks come and go meanwhile)."
    pages = docs.find_pages(ROOT/'nbs')
    return [p for p in pages if (DOCS/p.out).exists()] if os.environ.get('LENSBOOK_DOCS_REUSE') else pages

@pytest.mark.browser
def test_every_page(site, browser):
    url, rec, log = site
    pages, everything = _pages(rec), docs.find_pages(ROOT/'nbs')
    assert (DOCS/'index.html').exists(), log
    ctx = browser.new_context(viewport={'width': 1280, 'height': 800})
    off_site, problems, ids, links = [], [], {}, set()

    def route(r):
        host = urllib.parse.urlsplit(r.request.url).hostname
        if host == '127.0.0.1': r.continue_()
        else: off_site.append(r.request.url); r.abort()
    ctx.route('**/*', route)
    pg = ctx.new_page()
    pg.set_default_timeout(TIMEOUT * 1000)
    current = {'page': ''}
    pg.on('console', lambda m: m.type in ('error', 'warning') and problems.append(f'{current["page"]}: console {m.type}: {m.text}'))
    pg.on('pageerror', lambda e: problems.append(f'{current["page"]}: pageerror {e}'))
    pg.on('requestfailed', lambda r: problems.append(f'{current["page"]}: request failed {r.url} {r.failure}'))
    pg.on('response', lambda r: r.status >= 400 and problems.append(f'{current["page"]}: HTTP {r.status} {r.url}'))
    try:
        for p in pages:
            current['page'] = p.out
            assert (DOCS/p.out).exists(), f'{p.out} (from nbs/{p.src}) was not built\n{log}'
            resp = pg.goto(url + p.out, wait_until='load')
            assert resp.ok, f'{p.out}: HTTP {resp.status}'
            pg.wait_for_load_state('networkidle')
            ids[p.out] = set(pg.eval_on_selector_all('[id]', 'els => els.map(e => e.id)'))
            for href in pg.eval_on_selector_all('a[href]', 'els => els.map(e => e.href)'):
                u = urllib.parse.urlsplit(href)
                if u.hostname == '127.0.0.1' and u.path.endswith('.html'): links.add((p.out, u.path.lstrip('/'), u.fragment))
            imgs = pg.eval_on_selector_all('img', 'els => els.map(e => [e.getAttribute("src"), e.complete ? e.naturalWidth : -1])')
            broken = [src for src, w in imgs if not w or w <= 0]
            assert not broken, f'{p.out}: images that did not load: {broken}'
            want = max(rec.get('pages', {}).get(p.out, {}).get('figures', 0), int(_shown_code_plots(ROOT/'nbs'/p.src)))
            assert len(imgs) >= want, f'{p.out}: {len(imgs)} <img>, the notebook has {want} figure(s)'
            nav = pg.eval_on_selector_all('nav.site li a', 'els => els.map(e => e.getAttribute("href"))')
            resolved = {urllib.parse.urljoin(p.out, h) for h in nav}
            assert {q.out for q in pages} <= resolved <= {q.out for q in everything}, f'{p.out}: nav lists {sorted(resolved)}'
            assert pg.title() and pg.locator('main h1').first.inner_text().strip(), f'{p.out}: no title'
        unbuilt = {q.out for q in everything} - {q.out for q in pages}  # empty unless LENSBOOK_DOCS_REUSE
        for src, target, frag in sorted(links):
            if target in unbuilt: continue
            assert (DOCS/target).is_file(), f'{src} links to {target}, which does not exist'
            if frag and target in ids:
                assert urllib.parse.unquote(frag) in ids[target], f'{src} links to {target}#{frag}: no such anchor'
        print(f'\n{len(pages)} pages, {len(links)} internal links checked')
        assert not off_site, f'requests off this machine: {off_site}'
        assert not problems, '\n'.join(problems)
    finally:
        ctx.close()

@pytest.mark.browser
def test_screenshots(site, browser):
    url, rec, log = site
    pages = _pages(rec)
    other = next((p for p in pages if p.section == 'Tutorials'), None) or next(p for p in pages if p.section == 'Reference')
    ctx = browser.new_context(viewport={'width': 1280, 'height': 900})
    ctx.route('**/*', lambda r: r.continue_() if urllib.parse.urlsplit(r.request.url).hostname == '127.0.0.1' else r.abort())
    pg = ctx.new_page()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        for name, p in (('docs_home', pages[0]), ('docs_tutorial' if other.section == 'Tutorials' else 'docs_module', other)):
            pg.goto(url + p.out, wait_until='networkidle')
            pg.screenshot(path=str(ARTIFACTS/f'{name}.png'))
            pg.screenshot(path=str(ARTIFACTS/f'{name}_full.png'), full_page=True)
    finally:
        ctx.close()
