"""The offline documentation site (tools/docs.py, `make docs`): its pieces on tiny synthetic notebooks (fast, no model),
and the whole site in headless Chromium (marker `browser`): every page loads with no console error, no failed request
and no request off this machine; internal links and anchors resolve; images load; figures are there; the navigation
lists every page; the search box finds pages, sections and API names (on the synthetic site, over http and from
file://, and on the real site). Screenshots of the home page, a tutorial (or a module page) and the open search
results go to tests/artifacts/."""
import contextlib, functools, http.server, importlib.util, json, os, pathlib, re, shutil, subprocess, sys, threading, time
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
    '01_mod': ['#| default_exp mod', 'md:# The module\n\n> With exported functions, a class and a method.',
               'md:Numbers in, numbers out; the intro before any heading.',
               '#| export\ndef double(x:int, # the number\n          )->int:\n    "Twice `x`."\n    return 2 * x',
               'double(21)',
               'md:## Checking numbers\n\nA heading word finds this section; so does the body word zebrafish. '
               'Token text `<img src=x onerror=alert(1)>` is text.',
               '#| export\nfrom fastcore.basics import patch\n\ndef check_int(x, # anything\n             )->int:\n'
               '    "Raise unless `x` is an int: a token such as `<img src=x onerror=alert(1)>` is not one."\n'
               '    if not isinstance(x, int): raise TypeError(x)\n    return x',
               '#| export\nclass Box:\n    "A square box of side `w`."\n    def __init__(self, w): self.w = w',
               '#| export\n@patch\ndef area(self:Box):\n    "The area of the box, in square units."\n    return self.w ** 2',
               'Box(3).area()'],
    '02_bad': ['md:# Broken\n\n> This one raises.\n\nText nbdev drops.', 'x = 1', '1 / 0', 'print("never")'],
    'tutorials/01_tut': ['md:# A tutorial\n\n> In a folder.', 'md:## A section\n\nBack [home](../index.ipynb).', 'print(6 * 7)',
                         'md:## Boxes in practice\n\nA box of side 3 has an area of 9 square units.',
                         'md:### Tokens like `<b>bold</b>`\n\nMarkup in a heading is text too.'],
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
    assert not re.search(r'https?://(?!lensbook\.github\.io|github\.com)', index)
    assert re.findall(r'<script\b[^>]*>', index) == ['<script src="search.js" defer>']  # the search box, nothing else
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

# --- the search index ---------------------------------------------------------------------------------------------

def test_search_entry_of_a_body():
    "What a page gives the index: its intro, markdown headings with their text, show_doc names with their docstring."
    page = docs.Page(pathlib.Path('10_lens.ipynb'), 'lens.html', 'Reference', 'Logit lens', 'Read every layer.', 'lens.logit')
    body = '\n'.join([
        '<div class="cell markdown"><p>The intro, with <code>code</code>.</p></div>',
        '<div class="cell code"><div class=input><div class="highlight"><pre>x = 1  # code is not indexed</pre></div></div>'
        '<div class=outputs><pre class="output stream stdout">nor outputs</pre></div></div>',
        '<div class="cell markdown"><h2 id="the-lens">The <em>lens</em><a class="anchor" href="#the-lens" aria-hidden="true">¶</a></h2>'
        '<p>Decoding &amp; reading, token &lt;img src=x onerror=alert(1)&gt;.</p><div class="highlight"><pre>nor code blocks</pre></div></div>',
        '<div class="cell code showdoc"><div class=outputs><div class="output asis"><hr />\n<p><a href="https://x/a.py#L3" '
        'target="_blank">source</a></p>\n<h3 id="logit_lens">logit_lens<a class="anchor" href="#logit_lens" aria-hidden="true">¶</a></h3>\n'
        '<div class="highlight"><pre><span>def</span> logit_lens(m)</pre></div>\n<p><em>Decode each of <code>sites</code>.</em></p>\n'
        '<table><tr><td>m</td><td>the model</td></tr></table></div></div></div>',
        '<div class="cell markdown"><p>More prose of the same section.</p></div>'])
    e = docs.page_search_entry(page, body)
    assert (e['t'], e['u'], e['d'], e['s'], e['m']) == ('Logit lens', 'lens.html', 'Read every layer.', 'Reference', 'lens.logit')
    assert e['x'] == 'The intro, with code.'
    assert e['h'] == [['the-lens', 'The lens', 'Decoding & reading, token <img src=x onerror=alert(1)>. More prose of the same section.']]
    assert e['a'] == [['logit_lens', 'logit_lens', 'Decode each of sites.']]
    long = docs.clip('word ' * 100)
    assert len(long) <= docs.EXCERPT + 1 and long.endswith('word…')
    assert docs.clip('short') == 'short'

def _ids(html_file: pathlib.Path) -> set:
    return set(re.findall(r'\sid="([^"]+)"', html_file.read_text()))

def test_search_index(synth):
    "The index of the synthetic site: every page in navigation order, its headings and API names with their anchors."
    rc, log, site = synth
    assert (site/'search.js').exists() and (site/'search-index.js').exists(), log
    assert re.search(r'search index: 4 pages, 4 API names, 4 sections, [\d.]+ KiB', log), log
    index = docs.read_index(site/'search-index.js')
    pages = {p['u']: p for p in index['pages']}
    assert list(pages) == ['index.html', 'mod.html', 'bad.html', 'tutorials/tut.html']
    mod = pages['mod.html']
    assert (mod['t'], mod['d'], mod['s'], mod['m']) == ('The module', 'With exported functions, a class and a method.',
                                                         'Reference', 'mod')
    assert mod['x'] == 'Numbers in, numbers out; the intro before any heading.'
    assert [(a[0], a[1]) for a in mod['a']] == [('double', 'double'), ('check_int', 'check_int'), ('Box', 'box'),
                                                ('Box.area', 'box.area')]
    docs_of = {a[0]: a[2] for a in mod['a']}
    assert docs_of['double'] == 'Twice x.' and docs_of['Box.area'] == 'The area of the box, in square units.'
    assert '<img src=x onerror=alert(1)>' in docs_of['check_int']  # markup-like text kept as text (the box escapes it)
    assert mod['h'] == [['checking-numbers', 'Checking numbers', 'A heading word finds this section; so does the body word '
                         'zebrafish. Token text <img src=x onerror=alert(1)> is text.']]
    tut = pages['tutorials/tut.html']
    assert [h[:2] for h in tut['h']] == [['a-section', 'A section'], ['boxes-in-practice', 'Boxes in practice'],
                                         ['tokens-like-bboldb', 'Tokens like <b>bold</b>']]
    assert tut['h'][0][2] == 'Back home.' and 'print' not in json.dumps(tut)  # code is not indexed
    assert pages['bad.html']['t'] == 'Broken' and pages['index.html']['a'] == []
    for p in index['pages']:  # every anchor of the index is an id of its page
        ids = _ids(site/p['u'])
        missing = [x[0] for x in p['h'] if x[0] not in ids] + [x[1] for x in p['a'] if x[1] not in ids]
        assert not missing, f'{p["u"]}: no such anchors {missing}'
    size = (site/'search-index.js').stat().st_size
    assert size < 3000, size
    print(f'\nsearch index of the synthetic site: {size} bytes, {sum(len(p["a"]) for p in index["pages"])} API names')
    for page in ('index.html', 'mod.html', 'tutorials/tut.html'):  # the box in the navigation of every page, roots right
        text, up = (site/page).read_text(), '../' * page.count('/')
        nav = re.search(r'<nav class="site">(.*?)</nav>', text, re.S).group(1)
        assert f'<div class="search" role="search" data-root="{up}"><input type="text" id="search"' in nav
        assert f'<script src="{up}search.js" defer></script>' in text

def test_search_index_partial_builds(synth, tmp_path):
    "`--assemble` and `--only` rewrite the index from every page's part, as the navigation: it stays whole."
    rc, log, site = synth
    copy = tmp_path/'site'
    shutil.copytree(site, copy)
    before = docs.read_index(copy/'search-index.js')
    (copy/'search-index.js').unlink()
    cmd = [sys.executable, str(ROOT/'tools'/'docs.py'), '--nbs', str(site.parent/'nbs'), '--out', str(copy)]
    p = subprocess.run([*cmd, '--assemble'], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert p.returncode == 0, p.stdout + p.stderr
    assert docs.read_index(copy/'search-index.js') == before
    p = subprocess.run([*cmd, '--only', 'tutorials/01_tut', '--no-exec'], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert p.returncode == 0, p.stdout + p.stderr
    after = docs.read_index(copy/'search-index.js')
    assert [q['u'] for q in after['pages']] == [q['u'] for q in before['pages']]
    assert [a[0] for a in after['pages'][1]['a']] == ['double', 'check_int', 'Box', 'Box.area']  # from mod's old part
    assert after['pages'][3]['h'] == before['pages'][3]['h']

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

@contextlib.contextmanager
def serve(directory: pathlib.Path):
    "Serve `directory` over http on 127.0.0.1 (a thread) while in the block; yields its base url."
    server = http.server.ThreadingHTTPServer(('127.0.0.1', free_port()), functools.partial(_Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try: yield f'http://127.0.0.1:{server.server_address[1]}/'
    finally:
        server.shutdown(); server.server_close()

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
    with serve(DOCS) as url: yield url, rec, log

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

# --- the search box in the browser --------------------------------------------------------------------------------

def _watched(browser, problems: list, **kw):
    "A browser context that records console errors and warnings, page errors, dialogs, failed and off-machine requests."
    ctx = browser.new_context(**kw)
    def route(r):
        if urllib.parse.urlsplit(r.request.url).hostname in ('127.0.0.1', None, ''): r.continue_()
        else: problems.append(f'request off this machine: {r.request.url}'); r.abort()
    ctx.route('**/*', route)
    def watch(pg):
        pg.on('console', lambda m: m.type in ('error', 'warning') and problems.append(f'console {m.type}: {m.text}'))
        pg.on('pageerror', lambda e: problems.append(f'pageerror: {e}'))
        pg.on('dialog', lambda d: (problems.append(f'dialog {d.type}: {d.message}'), d.dismiss()))
        pg.on('requestfailed', lambda r: problems.append(f'request failed: {r.url} {r.failure}'))
        pg.on('response', lambda r: r.status >= 400 and problems.append(f'HTTP {r.status} {r.url}'))
    ctx.on('page', watch)
    return ctx

_RESULTS = """els => els.map(e => ({href: e.href, kind: e.querySelector('.sr-kind').textContent.toLowerCase(),
    name: e.querySelector('.sr-name').textContent, text: e.innerText, selected: e.getAttribute('aria-selected')}))"""

def search_for(pg, text: str) -> list[dict]:
    "Type `text` into the search box of the page (focused with '/', emptied first); the results shown, best first."
    box = pg.locator('nav.site .search input')
    if pg.evaluate('document.activeElement && document.activeElement.id') != 'search': pg.keyboard.press('/')
    box.fill('')
    box.press_sequentially(text)
    pg.wait_for_function('q => { const p = document.getElementById("search-results"); return p && !p.hidden && '
                         'document.getElementById("search").value === q && !/Loading/.test(p.textContent); }', arg=text)
    return pg.eval_on_selector_all('#search-results a.sr', _RESULTS)

def _target(pg) -> list:
    "The id, tag and text of the element the address's #anchor points at (:target), or None."
    return pg.evaluate('(() => { const t = document.querySelector(":target"); '
                       'return t && [t.id, t.tagName, t.textContent.replace("¶", "").trim()]; })()')

@pytest.mark.browser
def test_search_box(synth, browser):
    "The search box on the synthetic site: keys, ranking, anchors, escaping, relative roots, from http and from file://."
    rc, log, site = synth
    assert (site/'search-index.js').exists(), log
    problems = []
    ctx = _watched(browser, problems, viewport={'width': 1024, 'height': 640})
    pg = ctx.new_page()
    pg.set_default_timeout(TIMEOUT * 1000)
    try:
        with serve(site) as url:
            pg.goto(url + 'index.html', wait_until='load')
            assert pg.evaluate('typeof window.LENSBOOK_SEARCH') == 'undefined'  # the index loads on first use only
            pg.keyboard.press('/')  # '/' focuses the box, and is not typed into it
            assert pg.evaluate('[document.activeElement.id, document.activeElement.value]') == ['search', '']
            # an exact API name first, to its show_doc heading; Enter opens it
            hits = search_for(pg, 'check_int')
            assert (hits[0]['kind'], hits[0]['name'], hits[0]['href']) == ('api', 'check_int', url + 'mod.html#check_int'), hits
            assert hits[0]['selected'] == 'true' and 'The module' in hits[0]['text']
            pg.keyboard.press('Enter')
            pg.wait_for_url(url + 'mod.html#check_int')
            assert _target(pg) == ['check_int', 'H3', 'check_int']
            # Ctrl-K focuses too; a method by its own name; a link to an anchor of the same page
            pg.keyboard.press('Control+k')
            assert pg.evaluate('document.activeElement.id') == 'search'
            hits = search_for(pg, 'area')
            assert (hits[0]['name'], hits[0]['href']) == ('Box.area', url + 'mod.html#box.area'), hits
            pg.keyboard.press('Enter')
            pg.wait_for_url(url + 'mod.html#box.area')
            assert _target(pg) == ['box.area', 'H3', 'Box.area'] and pg.locator('#search-results').is_hidden()
            # ranking: the exact name, then the name prefix, then heading words, then body text
            hits = search_for(pg, 'box')
            assert [(h['kind'], h['name']) for h in hits[:3]] == [('api', 'Box'), ('api', 'Box.area'),
                                                                  ('section', 'Boxes in practice')], hits
            assert hits[2]['href'] == url + 'tutorials/tut.html#boxes-in-practice'
            # from a page in a folder: a heading word finds its section, links go up a level; arrows + Enter pick
            pg.goto(url + 'tutorials/tut.html', wait_until='load')
            hits = search_for(pg, 'checking')
            assert (hits[0]['kind'], hits[0]['name'], hits[0]['href']) == (
                'section', 'Checking numbers', url + 'mod.html#checking-numbers'), hits
            hits = search_for(pg, 'zebrafish')  # a word of the section's text only
            assert [h['href'] for h in hits] == [url + 'mod.html#checking-numbers'], hits
            hits = search_for(pg, 'box')
            assert len(hits) >= 3, hits
            pg.keyboard.press('ArrowDown'); pg.keyboard.press('ArrowDown')
            selected = pg.eval_on_selector_all('#search-results a.sr', _RESULTS)
            assert [h['selected'] for h in selected[:3]] == ['false', 'false', 'true'], selected
            pg.keyboard.press('ArrowUp')
            assert pg.eval_on_selector_all('#search-results a.sr', _RESULTS)[1]['selected'] == 'true'
            pg.keyboard.press('Enter')
            pg.wait_for_url(hits[1]['href'])
            assert _target(pg) == ['box.area', 'H3', 'Box.area']
            # markup in page text and headings shows as text: no element made of it, no dialog
            hits = search_for(pg, 'onerror')
            assert len(hits) == 2 and all('<img src=x onerror=alert(1)>' in h['text'] for h in hits), hits
            hits = search_for(pg, 'bold')
            assert hits[0]['name'] == 'Tokens like <b>bold</b>', hits
            assert pg.locator('#search-results img, #search-results b, #search-results script').count() == 0
            # Esc closes the results (the box keeps the focus), a second Esc leaves the box
            pg.keyboard.press('Escape')
            assert pg.locator('#search-results').is_hidden() and pg.evaluate('document.activeElement.id') == 'search'
            pg.keyboard.press('Escape')
            assert pg.evaluate('document.activeElement.id') != 'search'
            # nothing found says so
            search_for(pg, 'qwertyuiop')
            assert 'No page or API name matches' in pg.locator('#search-results').inner_text()
            # the picture: the open results at 1,024 px
            pg.goto(url + 'tutorials/tut.html', wait_until='load')
            search_for(pg, 'box')
            pg.keyboard.press('ArrowDown')
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            pg.screenshot(path=str(ARTIFACTS/'docs_search.png'))
        # opened from disk: the index is a script, which loads from file:// too
        pg.goto((site/'tutorials'/'tut.html').as_uri(), wait_until='load')
        hits = search_for(pg, 'double')
        assert (hits[0]['name'], hits[0]['href']) == ('double', (site/'mod.html').as_uri() + '#double'), hits
        pg.keyboard.press('Enter')
        pg.wait_for_url((site/'mod.html').as_uri() + '#double')
        assert _target(pg) == ['double', 'H3', 'double']
        assert not problems, '\n'.join(problems)
    finally:
        ctx.close()

@pytest.mark.browser
def test_real_site_finds_logit_lens(site, browser):
    "On the real site: the index covers every page, its anchors exist; searching `logit_lens` opens its heading on the lens page."
    url, rec, log = site
    assert (DOCS/'search-index.js').exists(), log
    index = docs.read_index(DOCS/'search-index.js')
    pages, urls = _pages(rec), [p['u'] for p in index['pages']]
    assert {p.out for p in pages} <= set(urls), f'pages missing from the index: {sorted({p.out for p in pages} - set(urls))}'
    for p in index['pages']:
        ids = _ids(DOCS/p['u'])
        missing = [x[0] for x in p['h'] if x[0] not in ids] + [x[1] for x in p['a'] if x[1] not in ids]
        assert not missing, f'{p["u"]}: the index names anchors the page lacks: {missing}'
    size = (DOCS/'search-index.js').stat().st_size
    print(f'\nsearch index: {len(urls)} pages, {sum(len(p["a"]) for p in index["pages"])} API names, '
          f'{sum(len(p["h"]) for p in index["pages"])} sections, {size / 1024:.1f} KiB')
    assert size < 400_000, f'search-index.js is {size} bytes'
    # where logit_lens is documented: the page of the module that defines it (nbdev's index), at its show_doc heading
    from lensbook._modidx import d as modidx
    module = next(m for m, syms in modidx['syms'].items() if f'{m}.logit_lens' in syms)
    lens_page = next(p for p in docs.find_pages(ROOT/'nbs') if f'lensbook.{p.module}' == module)
    want = url + lens_page.out + '#' + docs.anchor_id('logit_lens')
    assert modidx['syms'][module][f'{module}.logit_lens'][0] == f'{lens_page.out}#logit_lens'  # nbdev's doc links agree
    problems = []
    ctx = _watched(browser, problems, viewport={'width': 1024, 'height': 700})
    pg = ctx.new_page()
    pg.set_default_timeout(TIMEOUT * 1000)
    try:
        starts = ['index.html'] + [p.out for p in pages if p.section == 'Tutorials'][:1]  # from the root and a folder
        for start in starts:
            pg.goto(url + start, wait_until='load')
            hits = search_for(pg, 'logit_lens')
            assert (hits[0]['kind'], hits[0]['name'], hits[0]['href']) == ('api', 'logit_lens', want), f'{start}: {hits[:3]}'
            pg.keyboard.press('Enter')
            pg.wait_for_url(want)
            assert _target(pg) == ['logit_lens', 'H3', 'logit_lens'], start
        search_for(pg, 'lens')
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(ARTIFACTS/'docs_search_site.png'))
        assert not problems, '\n'.join(problems)
    finally:
        ctx.close()
