#!/usr/bin/env python
"""Build lensbook's documentation site offline, from the notebooks, into _docs/ (`make docs`).

Quarto cannot be installed on these machines, so this does what `nbdev_docs` does, minus Quarto:
1. runs each notebook in nbs/ (recursively; names starting with `_` or `.` skipped) in a fresh Jupyter kernel
   (nbclient), with nbdev's own `add_show_docs` applied first, so the API reference of every exported name is
   rendered by `show_doc` in the notebook's own kernel;
2. applies nbdev's docs processors (the ones `nbdev_docs` runs before Quarto: frontmatter from `# Title` / `> summary`,
   `#| hide`, `#| export`, `hide_line`, ANSI, magics, doc links, `exports` folding...);
3. curates outputs (widgets -> their static HTML or a note, no progress bars or warnings, no local paths);
4. renders each notebook to a static HTML page with a left navigation (Tour, Reference, Tutorials), relative links,
   figures written as PNG files and one local stylesheet: nothing is fetched from the network at view time;
5. writes an offline search index over pages, section headings and API names (search-index.js, a script so that it
   loads from file:// too) and the search box of the navigation (search.js: plain JS, the only script of the site).

    python tools/docs.py                      # everything, 2 notebooks at a time
    python tools/docs.py --only 32_layers     # a subset (the other pages and the navigation are kept / rewritten)
    python tools/docs.py --no-exec            # render without running anything (fast, for the layout)
    python tools/docs.py --assemble           # only write the pages again from the last build's parts

Exit status 1 when a notebook fails (the other pages are still built); each failure is printed with its error.
"""
from __future__ import annotations
import argparse, asyncio, base64, concurrent.futures as cf, html, json, multiprocessing as mp, os, re, shutil, sys, time
import textwrap, traceback
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NBS = ROOT/'nbs'
OUT = ROOT/'_docs'
SITE_TITLE = 'lensbook'
SECTIONS = ('Tour', 'Reference', 'Tutorials')
# One torch thread per kernel (2-core machines shared by several builds); never reach the Hugging Face hub.
KERNEL_ENV = {'OMP_NUM_THREADS': '1', 'MKL_NUM_THREADS': '1', 'HF_HUB_OFFLINE': '1', 'TRANSFORMERS_OFFLINE': '1',
              'TOKENIZERS_PARALLELISM': 'false', 'PYDEVD_DISABLE_FILE_VALIDATION': '1'}
ASSET_EXTS = {'.png', '.jpg', '.jpeg', '.gif', '.svg', '.webp', '.css'}

# --- the pages ----------------------------------------------------------------------------------------------------

@dataclass
class Page:
    "One notebook and where its page goes."
    src: Path       # relative to nbs/, e.g. tutorials/01_painters.ipynb
    out: str        # relative to _docs/, posix, e.g. tutorials/painters.html
    section: str    # one of SECTIONS
    title: str = ''
    description: str = ''
    module: str = ''  # the notebook's default_exp, e.g. 'lens.tuned'

    @property
    def name(self) -> str: return self.src.with_suffix('').as_posix()

def html_name(rel: Path) -> str:
    "The page of notebook `rel`, as nbdev names it (`00_core.ipynb` -> `core.html`), in the notebook's folder."
    return rel.with_name(re.sub(r'^\d+[a-zA-Z0-9]*_', '', rel.name.lower())).with_suffix('.html').as_posix()

def _skipped(rel: Path) -> bool: return any(p.startswith(('_', '.')) for p in rel.parts)

def _md_header(cells) -> tuple[str, str]:
    "Title and summary from the first markdown cell with a `# Title` (and `> summary`), as nbdev's frontmatter reads them."
    for c in cells:
        if c.get('cell_type') != 'markdown': continue
        src = ''.join(c.get('source', ''))
        m = re.search(r'^#\s+(\S.*?)\s*$', src, flags=re.M)
        if not m: continue
        d = re.search(r'^>\s+(\S.*?)\s*$', src, flags=re.M)
        return m.group(1), d.group(1) if d else ''
    return '', ''

def find_pages(nbs: Path = NBS) -> list[Page]:
    "Every notebook under `nbs` (no `_`/`.` names, no checkpoints), in navigation order: the tour, modules, tutorials."
    pages = []
    for p in sorted(nbs.rglob('*.ipynb')):
        rel = p.relative_to(nbs)
        if _skipped(rel): continue
        section = ('Tour' if rel.as_posix() == 'index.ipynb' else
                   'Tutorials' if rel.parts[0] == 'tutorials' else 'Reference')
        page = Page(rel, html_name(rel), section)
        try: nb = json.loads(p.read_text())
        except (OSError, ValueError): nb = {'cells': []}
        page.title, page.description = _md_header(nb.get('cells', []))
        page.title = page.title or rel.stem
        for c in nb.get('cells', []):
            m = c.get('cell_type') == 'code' and re.search(r'^\s*#\|\s*default_exp\s+(\S+)', ''.join(c.get('source', '')), re.M)
            if m: page.module = m.group(1); break
        pages.append(page)
    order = {s: i for i, s in enumerate(SECTIONS)}
    return sorted(pages, key=lambda p: (order[p.section], p.src.as_posix()))

def select(pages: list[Page], only: list[str]) -> list[Page]:
    "The pages named in `only` (notebook stem, relative path with or without .ipynb, or page name); error on a miss."
    chosen = []
    for name in only:
        key = name.removesuffix('.ipynb').removesuffix('.html').removeprefix('nbs/')
        hits = [p for p in pages if key in (p.name, p.src.stem, p.out.removesuffix('.html'), Path(p.out).stem)]
        if not hits:
            raise SystemExit(f'--only {name}: no such notebook; choose from {", ".join(p.name for p in pages)}')
        chosen += [h for h in hits if h not in chosen]
    return chosen

# --- output curation ----------------------------------------------------------------------------------------------

_ANSI = re.compile(r'\x1B(?:[@-Z\\-_]|\[[0-?]*[ -/]*[@-~])')
# tqdm bars ("42%|####      | 21/50 [00:01<00:02, 9.8it/s]") and the noise of warnings: "path:line: XWarning: ..."
# followed by the indented source line that raised it.
_PROGRESS = re.compile(r'\d+%\|.*\||\d+/\d+ \[\d+:\d+|it/s\]|s/it\]')
_WARNING = re.compile(r'^\S.*:\d+: \w*Warning: |^\w*Warning: |^\s*warnings\.warn\(')
WIDGET_VIEW = 'application/vnd.jupyter.widget-view+json'
WIDGET_NOTE = '<p class="widget-note">(interactive widget: run the notebook to use it)</p>'

def placeholders(root: Path = ROOT) -> list[tuple[re.Pattern, str]]:
    "Absolute local paths and their short placeholders, most specific first."
    subs = []
    for prefix in {p for p in (sys.prefix, os.path.realpath(sys.prefix))}:
        subs.append((re.escape(prefix.rstrip('/')) + r'/lib/python[\d.]+/site-packages', '<site-packages>'))
    for r in {str(root), os.path.realpath(root)}: subs.append((re.escape(r.rstrip('/')), '<lensbook>'))
    home = os.path.expanduser('~')
    if home not in ('', '/'): subs.append((re.escape(home.rstrip('/')) + r'(?=/|\b)', '~'))
    # temp folders: /tmp/tmpab12cd/x.pt -> <tmp>/x.pt (what is inside stays readable, the random part goes)
    subs.append((r'(?:/private)?/(?:var/)?tmp(?:/[^\s\'"<>/:]+)*(?=/[^\s\'"<>/]+)', '<tmp>'))
    subs.append((r'(?:/private)?/(?:var/)?tmp/[^\s\'"<>]*', '<tmp>'))
    return [(re.compile(p), s) for p, s in subs]

_SUBS = None
def clean_text(s: str) -> str:
    "Text of an output with ANSI escapes removed and local paths replaced by placeholders."
    global _SUBS
    if _SUBS is None: _SUBS = placeholders()
    s = _ANSI.sub('', s)
    for pat, rep in _SUBS: s = pat.sub(rep, s)
    return s

def clean_stderr(text: str) -> str:
    "Stderr with progress bars and warnings removed (what remains is what the author meant to show)."
    keep, after_warning = [], False
    # a bar redraws itself with \r: only the last state of each line is real, and a bar is dropped whole
    for line in text.replace('\r\n', '\n').split('\n'):
        line = line.split('\r')[-1]
        if _PROGRESS.search(line): continue
        if _WARNING.search(line): after_warning = True; continue
        if after_warning and line.startswith((' ', '\t')): continue
        after_warning = False
        keep.append(line)
    return '\n'.join(keep).strip('\n') + ('\n' if keep and any(keep) else '')

def _join(v) -> str: return ''.join(v) if isinstance(v, list) else (v or '')

def curate_output(o: dict) -> dict | None:
    "One output made fit for the page (None: drop it). Widgets show their static HTML, or a note when they have none."
    kind = o.get('output_type')
    if kind == 'stream':
        text = clean_text(_join(o.get('text')))
        if o.get('name') == 'stderr': text = clean_stderr(text)
        if not text.strip(): return None
        return {**o, 'text': text}
    if kind == 'error':
        return {**o, 'evalue': clean_text(str(o.get('evalue', ''))),
                'traceback': [clean_text(t) for t in o.get('traceback', [])]}
    if kind not in ('display_data', 'execute_result'): return o
    data = {k: v for k, v in (o.get('data') or {}).items()}
    if WIDGET_VIEW in data:
        text = _join(data.get('text/plain'))
        # tqdm.auto in a notebook is a widget too: a progress bar, dropped like the text ones
        if _PROGRESS.search(text) or 'FloatProgress' in text or 'HBox(children=(HTML(value=' in text: return None
        if 'text/html' in data: data = {'text/html': data['text/html']}
        else: data = {'text/html': WIDGET_NOTE}
    data.pop('application/javascript', None)  # nothing executes on these pages
    for k, v in list(data.items()):
        if k.startswith('text/') or k == 'image/svg+xml': data[k] = clean_text(_join(v))
    if not data: return None
    return {**o, 'data': data}

def curate(cells: list) -> None:
    "Curate every output of every code cell, in place."
    for c in cells:
        if c.get('cell_type') != 'code': continue
        c['outputs'] = [r for r in (curate_output(o) for o in c.get('outputs', [])) if r is not None]

# --- links --------------------------------------------------------------------------------------------------------

def doc_url_prefix() -> str:
    "The absolute address nbdev's doc links use (doc_host + doc_baseurl from settings.ini), with a trailing slash."
    try:
        from nbdev.config import get_config
        cfg = get_config(path=ROOT)
        return cfg.doc_host.rstrip('/') + '/' + cfg.doc_baseurl.strip('/') + '/'
    except Exception: return 'https://lensbook.github.io/lensbook/'

def relpath(target: str, page_out: str) -> str:
    "Posix path of `target` (relative to the site root) as seen from page `page_out`."
    return os.path.relpath(target, os.path.dirname(page_out) or '.').replace(os.sep, '/')

_HREF = re.compile(r'(<a\b[^>]*?\bhref=)(["\'])(.*?)\2', flags=re.I | re.S)

def rewrite_links(body: str, page: Page, pages: list[Page], prefix: str) -> str:
    """Point links at other notebooks (`x.ipynb`, `x.html`, with or without `#anchor`, relative to the notebook's folder)
    and nbdev's absolute doc links (`https://host/baseurl/x.html#y`) to the pages of this site, relatively."""
    by_src = {p.src.as_posix(): p for p in pages}
    by_out = {p.out: p for p in pages}
    here = page.src.parent.as_posix()

    def target(url: str) -> str | None:
        path, _, anchor = url.partition('#')
        if url.startswith(prefix): rel = url[len(prefix):].partition('#')[0]; site_rel = True
        elif re.match(r'^[a-z][a-z0-9+.-]*:|^//|^/', url, flags=re.I) or not path: return None
        else: rel, site_rel = path, False
        rel = rel.split('?')[0]
        if not rel.endswith(('.ipynb', '.html')): return None
        full = rel if site_rel else os.path.normpath(os.path.join(here, rel)).replace(os.sep, '/')
        p = by_src.get(full) or by_out.get(full) or by_out.get(html_name(Path(full)))
        if p is None and full.endswith('.ipynb'): p = by_out.get(html_name(Path(full)))
        if p is None: return None
        return relpath(p.out, page.out) + (f'#{anchor}' if anchor else '')

    def sub(m):
        new = target(html.unescape(m.group(3)))
        return m.group(0) if new is None else f'{m.group(1)}{m.group(2)}{html.escape(new, quote=True)}{m.group(2)}'
    return _HREF.sub(sub, body)

def link_modules(md: str, pages: list[Page]) -> str:
    "Backticked module names (`lensbook.lens.tuned`) and notebook names (`12_lens.tuned`) in markdown link to their page."
    mods = {f'lensbook.{p.module}': p for p in pages if p.module}
    mods.update({p.src.stem: p for p in pages})
    def sub(m):
        p = mods.get(m.group(1))
        return m.group(0) if p is None else f'[`{m.group(1)}`]({p.src.name})'
    # not inside an existing link ([`x`](...)) or a code block line
    return re.sub(r'(?<!\[)`([\w.]+)`(?!\]\()', sub, md)

def fix_anchors(bodies: dict[str, str]) -> tuple[dict[str, str], int]:
    """nbdev links every backticked name it knows, private helpers included, to `page.html#name`; where that page has
    no such heading (no show_doc for it), the link goes to the page itself. The bodies, and how many links changed."""
    ids = {out: set(re.findall(r'\sid="([^"]+)"', b)) for out, b in bodies.items()}
    n = 0
    def fixed(out, body):
        def sub(m):
            nonlocal n
            url = html.unescape(m.group(3))
            path, _, frag = url.partition('#')
            if not frag or not path.endswith('.html') or re.match(r'^[a-z][a-z0-9+.-]*:|^/', path): return m.group(0)
            target = os.path.normpath(os.path.join(os.path.dirname(out), path)).replace(os.sep, '/')
            if target not in ids or frag in ids[target]: return m.group(0)
            n += 1
            return f'{m.group(1)}{m.group(2)}{html.escape(path, quote=True)}{m.group(2)}'
        return _HREF.sub(sub, body)
    return {out: fixed(out, b) for out, b in bodies.items()}, n

# --- rendering ----------------------------------------------------------------------------------------------------

def anchor_id(text: str) -> str:
    "Pandoc's (hence Quarto's and nbdev's doc links') identifier of a heading: lowercase, punctuation gone, spaces -> -."
    t = html.unescape(re.sub(r'<[^>]+>', '', text)).strip().lower()
    t = re.sub(r'[^\w\s.\-]', '', t)
    t = re.sub(r'\s+', '-', t)
    return t.lstrip('0123456789.-_') or 'section'

def _fix_headings(body: str, seen: set) -> str:
    "Give every heading its pandoc id (unique on the page) and a ¶ anchor link."
    def sub(m):
        lvl, attrs, inner = m.group(1), m.group(2), m.group(3)
        inner = re.sub(r'<a class="anchor-link".*?</a>', '', inner, flags=re.S)
        base = anchor_id(inner); ident, i = base, 1
        while ident in seen: ident, i = f'{base}-{i}', i + 1
        seen.add(ident)
        attrs = re.sub(r'\s*\bid=(["\']).*?\1', '', attrs)
        return f'<h{lvl}{attrs} id="{ident}">{inner}<a class="anchor" href="#{ident}" aria-hidden="true">¶</a></h{lvl}>'
    return re.sub(r'<h([1-6])([^>]*)>(.*?)</h\1>', sub, body, flags=re.S)

def markdown(src: str, attachments: dict | None = None, escape: bool = False) -> str:
    """Markdown to HTML with nbconvert's renderer (Jupyter's dialect: tables, math left as TeX text, highlighted code).
    `escape=True` (for cell outputs, whose text can be anything a model printed) shows raw HTML as text."""
    from nbconvert.filters.markdown_mistune import MarkdownWithMath, IPythonRenderer
    links = []
    # Quarto attribute syntax that nbdev's show_doc writes: [source](url){target="_blank" style="..."}
    def attrs(m):
        a = ' '.join(f'{k}="{html.escape(v)}"' for k, v in re.findall(r'(\w+)="([^"]*)"', m.group(3)))
        links.append(f'<a href="{html.escape(m.group(2), quote=True)}" {a}>{html.escape(m.group(1))}</a>')
        return f'LBLINK{len(links) - 1}X'
    src = re.sub(r'\[([^\]]+)\]\(([^)\s]+)\)\{([^}]*)\}', attrs, src)
    src = re.sub(r'^:::.*$', '', src, flags=re.M)  # Quarto fenced divs: keep the content
    out = MarkdownWithMath(renderer=IPythonRenderer(escape=escape, attachments=attachments or {},
                                                    exclude_anchor_links=True)).render(src)
    return re.sub(r'LBLINK(\d+)X', lambda m: links[int(m.group(1))], out)

def highlight(code: str, lang: str = 'python') -> str:
    from pygments import highlight as hl
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound
    try: lexer = get_lexer_by_name(lang or 'python')
    except ClassNotFound: lexer = get_lexer_by_name('text')
    return hl(code, lexer, HtmlFormatter(cssclass='highlight'))

def _pre(text: str, cls: str) -> str: return f'<pre class="{cls}">{html.escape(text)}</pre>'

class Figures:
    "Writes the image outputs of one page as files: figures/<page>/<n>.png, linked relatively from the page."
    def __init__(self, page: Page, out: Path):
        self.page, self.rel, self.n = page, 'figures/' + page.out.removesuffix('.html'), 0
        self.dir = out/self.rel
        shutil.rmtree(self.dir, ignore_errors=True)

    def add(self, data, ext: str, meta: dict) -> str:
        self.n += 1
        self.dir.mkdir(parents=True, exist_ok=True)
        f = self.dir/f'{self.n}.{ext}'
        if ext == 'svg': f.write_text(_join(data))
        else: f.write_bytes(base64.b64decode(_join(data)))
        size = ''.join(f' {k}="{int(meta[k])}"' for k in ('width', 'height') if isinstance(meta.get(k), (int, float)))
        return f'<img src="{relpath(f"{self.rel}/{f.name}", self.page.out)}"{size} alt="figure {self.n}">'

MIME_ORDER = ('text/html', 'text/markdown', 'image/svg+xml', 'image/png', 'image/jpeg', 'image/gif', 'text/latex', 'text/plain')

def render_output(o: dict, figs: Figures, asis: bool) -> str:
    kind = o.get('output_type')
    if kind == 'stream':
        return _pre(_join(o.get('text')), f'output stream {o.get("name", "stdout")}')
    if kind == 'error':
        tb = '\n'.join(o.get('traceback') or [f'{o.get("ename")}: {o.get("evalue")}'])
        return _pre(tb, 'output error')
    data, meta = o.get('data', {}), o.get('metadata', {})
    for mime in MIME_ORDER:
        if mime not in data: continue
        v = data[mime]
        if mime == 'text/html': return f'<div class="output html">{_join(v)}</div>'
        if mime == 'text/markdown': return f'<div class="output {"asis" if asis else "markdown"}">{markdown(_join(v), escape=True)}</div>'
        if mime.startswith('image/'):
            ext = {'image/svg+xml': 'svg', 'image/png': 'png', 'image/jpeg': 'jpg', 'image/gif': 'gif'}[mime]
            return f'<div class="output figure">{figs.add(v, ext, meta.get(mime, meta))}</div>'
        if mime == 'text/latex': return _pre(_join(v), 'output latex')
        return _pre(_join(v), 'output text')
    return ''

def _quarto_opts(cell) -> dict:
    "Leading Quarto cell options (`#| echo: false`, `#| code-fold: show`...), removed from the source."
    lines, opts = cell.source.splitlines(), {}
    while lines and re.match(r'^\s*#\|\s*[\w-]+\s*:', lines[0]):
        k, _, v = lines.pop(0).split('|', 1)[1].partition(':')
        v = v.strip().strip('"\'')
        opts[k.strip()] = {'true': True, 'false': False}.get(v.lower(), v)
    cell.source = '\n'.join(lines)
    return opts

def render_cells(cells, figs: Figures) -> str:
    parts = []
    for c in cells:
        if c.cell_type == 'markdown':
            parts.append(f'<div class="cell markdown">{markdown(c.source, c.get("attachments"))}</div>')
        elif c.cell_type == 'raw':
            fmt = (c.get('metadata') or {}).get('format', '')
            if fmt in ('text/html', 'html'): parts.append(c.source)
        elif c.cell_type == 'code':
            opts = _quarto_opts(c)
            if opts.get('include') is False: continue
            src = '' if opts.get('echo') is False or not c.source.strip() else highlight(c.source, c.metadata.get('language', 'python'))
            if src and opts.get('code-fold') not in (None, False):
                src = (f'<details{" open" if opts["code-fold"] == "show" else ""}>'
                       f'<summary>{html.escape(str(opts.get("code-summary", "Code")))}</summary>{src}</details>')
            outs = '' if opts.get('output') is False else ''.join(
                render_output(o, figs, opts.get('output') == 'asis') for o in c.get('outputs', []))
            if not (src or outs): continue
            cls = 'cell code' + (' showdoc' if opts.get('output') == 'asis' else '')
            parts.append(f'<div class="{cls}">{f"<div class=input>{src}</div>" if src else ""}'
                         f'{f"<div class=outputs>{outs}</div>" if outs else ""}</div>')
    return '\n'.join(parts)

# --- one notebook -------------------------------------------------------------------------------------------------

@dataclass
class Result:
    page: Page
    ok: bool = True
    error: str = ''
    seconds: float = 0.
    n_figures: int = 0
    executed: bool = False
    started: float = 0.
    log: list = field(default_factory=list)

class NotebookFailed(Exception): pass

def _cell_error(cell) -> str:
    for o in cell.get('outputs', []):
        if o.get('output_type') == 'error': return f'{o.get("ename")}: {clean_text(str(o.get("evalue")))}'
    return 'error'

async def _execute(nb, cwd: Path, timeout: float, kernel: str, log: Path):
    "Run the code cells of `nb` in a fresh kernel started in `cwd`; stop at the first error (NotebookFailed)."
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
    client = NotebookClient(nb, timeout=timeout, kernel_name=kernel, resources={'metadata': {'path': str(cwd)}},
                            allow_errors=False, record_timing=False, store_widget_state=False)
    deadline = time.monotonic() + timeout
    log.parent.mkdir(parents=True, exist_ok=True)
    # the kernel's own stdout/stderr (not the cells' outputs: those come as messages) go to a log beside the page
    with open(log, 'w') as f:
        async with client.async_setup_kernel(env={**os.environ, **KERNEL_ENV}, stdout=f, stderr=f):
            for i, cell in enumerate(nb.cells):
                if cell.cell_type != 'code' or not cell.source.strip(): continue
                if str(cell.directives_.get('eval:', [''])[0]).lower() == 'false': continue
                left = deadline - time.monotonic()
                if left <= 0: raise NotebookFailed(f'timed out after {timeout:.0f} s (before cell {i})')
                client.timeout = int(max(1, left))
                try: await client.async_execute_cell(cell, i)
                except CellTimeoutError: raise NotebookFailed(f'timed out after {timeout:.0f} s in cell {i}:\n{_excerpt(cell)}')
                except DeadKernelError as e: raise NotebookFailed(f'the kernel died in cell {i}: {e}\n{_excerpt(cell)}')
                except CellExecutionError: raise NotebookFailed(f'cell {i} raised {_cell_error(cell)}\n{_excerpt(cell)}')

def _excerpt(cell, n: int = 6) -> str:
    lines = cell.source.splitlines()
    return textwrap.indent('\n'.join(lines[:n] + (['...'] if len(lines) > n else [])), '    | ')

# nbdev's docs processors (nbdev.processors.FilterDefaults.base_procs) minus those that do not apply here:
# add_show_docs runs before execution (so show_doc runs in the notebook's kernel), exec_show_docs is then not needed,
# insert_warning only matters for Quarto's .qmd sources.
def _doc_procs():
    from nbdev.frontmatter import FrontmatterProc
    from nbdev.processors import (populate_language, strip_ansi, hide_line, filter_stream_, rm_header_dash,
                                  clean_show_doc, rm_export, ai_magics, clean_magics, hide_, add_links, add_fold,
                                  mv_exports, strip_hidden_metadata)
    return [FrontmatterProc, populate_language, strip_ansi, hide_line, filter_stream_, rm_header_dash, clean_show_doc,
            rm_export, ai_magics, clean_magics, hide_, add_links, add_fold, mv_exports, strip_hidden_metadata]

def _renew(nb):
    "A fresh execnb notebook (attribute access all the way down) from `nb`, without the state of the first pass."
    from execnb.nbio import dict2nb
    d = {k: v for k, v in nb.items() if k != 'cells'}
    d['cells'] = [{k: v for k, v in c.items() if k not in ('_parsed_', 'directives_', 'idx_')} for c in nb.cells]
    return dict2nb(json.loads(json.dumps(d, default=str)))

def _title_cell_extra(cells) -> str:
    "Text in the `# Title` cell besides the title, `> summary` and `- key: value` lines (nbdev's frontmatter drops it)."
    for c in cells:
        if c.cell_type == 'markdown' and re.search(r'^#\s+\S', c.source, flags=re.M):
            rest = [l for l in c.source.splitlines() if l.strip() and not re.match(r'^(#\s|>\s|-\s+\S.*:)', l)]
            return rest[0][:40] if rest else ''
        if c.cell_type == 'raw' and c.source.startswith('---'): return ''
    return ''

def build_page(page: Page, pages: list[Page], execute: bool, timeout: float, out: Path, nbs: Path = NBS,
               kernel: str = 'python3') -> Result:
    "Execute, process and render one notebook into `out`; never raises (a failure is in the Result)."
    t0, res = time.monotonic(), Result(page, started=time.time())
    try:
        os.chdir(ROOT)  # nbdev finds settings.ini from the working folder
        from execnb.nbio import read_nb, mk_cell
        from nbdev.process import NBProcessor
        from nbdev.processors import populate_language, add_show_docs
        path = nbs/page.src
        nb = read_nb(path)
        nb.path_ = str(path)
        # nbdev's own pass first: a `show_doc(name)` cell after each exported definition, run in the notebook's kernel
        NBProcessor(nb=nb, procs=[populate_language, add_show_docs], rm_directives=False).process()
        if any(getattr(c, 'has_sd', False) for c in nb.cells):
            nb.cells.insert(0, mk_cell('#| hide\nfrom nbdev.showdoc import show_doc', 'code'))
        for i, c in enumerate(nb.cells):
            c.idx_ = i
            if c.cell_type == 'code': c.outputs = c.get('outputs') or []
        if execute:
            try:
                from nbdev.process import extract_directives
                for c in nb.cells: c.directives_ = extract_directives(c, remove=False)
                fm_skip = re.search(r'^\s*-?\s*skip_exec:\s*true', '\n'.join(c.source for c in nb.cells if c.cell_type != 'code'), re.M)
                res.executed = True  # run as the notebook asks: all of it, or nothing with `skip_exec: true`
                if not fm_skip: asyncio.run(_execute(nb, path.parent, timeout, kernel, _part(out, page).with_suffix('.kernel.log')))
            except NotebookFailed as e: res.ok, res.error = False, str(e)
            except Exception as e: res.ok, res.error = False, f'{type(e).__name__}: {e}'
        if not execute:
            for c in nb.cells:
                if c.cell_type == 'code': c.outputs = []
        curate(nb.cells)
        lost = _title_cell_extra(nb.cells)
        if lost: res.log.append(f'nbdev drops the rest of the title cell ({lost!r}...): give it a cell of its own')
        proc = NBProcessor(nb=_renew(nb), procs=_doc_procs())
        proc.process()
        fm = getattr(proc.nb, 'frontmatter_', {}) or {}
        cells = [c for c in proc.nb.cells if not (c.cell_type == 'raw' and c.source.startswith('---\n'))]
        for c in cells:
            if c.cell_type == 'markdown': c.source = link_modules(c.source, pages)
        figs = Figures(page, out)
        body = render_cells(cells, figs)
        body = _fix_headings(body, set())
        body = rewrite_links(body, page, pages, doc_url_prefix())
        res.n_figures = figs.n
        title, desc = fm.get('title') or page.title, fm.get('description') or page.description
        page.title, page.description = title, desc
        if not res.ok:
            body = (f'<div class="build-error"><strong>This notebook failed while the site was built.</strong>'
                    f'{_pre(res.error, "error")}</div>') + body
        (out/page.out).parent.mkdir(parents=True, exist_ok=True)
        _part(out, page).parent.mkdir(parents=True, exist_ok=True)
        _part(out, page).write_text(json.dumps({'title': title, 'description': desc, 'body': body}))
    except Exception:
        res.ok, res.error = False, (res.error + '\n' if res.error else '') + traceback.format_exc()
    res.seconds = time.monotonic() - t0
    return res

def _part(out: Path, page: Page) -> Path:
    "Where a worker leaves a rendered page body (and its title) for the main process, which adds the navigation."
    return out/'.parts'/(page.out + '.json')

# --- search -------------------------------------------------------------------------------------------------------

# The search box of every page reads one index, written as a script (`window.LENSBOOK_SEARCH = {...}`) and not as JSON
# to fetch: a <script src> loads from file:// as well as over http, so the site searches when opened from disk too.
SEARCH_INDEX, SEARCH_JS_FILE, SEARCH_VAR = 'search-index.js', 'search.js', 'LENSBOOK_SEARCH'
EXCERPT = 200  # characters of text kept per page intro, section and API entry (what a result shows and body search reads)
_HEADING = re.compile(r'<h([1-6])\b[^>]*?\sid="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_BLOCK = re.compile(r'</?(?:p|div|h[1-6]|li|ul|ol|dl|dt|dd|tr|td|th|table|thead|tbody|br|hr|pre|blockquote|details|summary)\b[^>]*>', re.I)
_CELL = re.compile(r'(?=<div class="cell (?:markdown|code)[ "])')

def html_text(fragment: str) -> str:
    "The text a reader sees in an HTML fragment: ¶ anchors, scripts and tags gone, entities decoded, spaces collapsed."
    f = re.sub(r'<a class="anchor".*?</a>', '', fragment, flags=re.S)
    f = re.sub(r'<(script|style)\b.*?</\1\s*>', ' ', f, flags=re.S | re.I)
    f = re.sub(r'<!--.*?-->', '', f, flags=re.S)
    f = re.sub(r'<[^>]+>', '', _BLOCK.sub(' ', f))
    return re.sub(r'\s+', ' ', html.unescape(f)).strip()

def clip(text: str, n: int = EXCERPT) -> str:
    "`text` cut to about `n` characters at a word boundary, with an ellipsis when cut."
    if len(text) <= n: return text
    cut = text[:n + 1].rsplit(' ', 1)[0] if ' ' in text[n // 2:n + 1] else text[:n]
    return cut.rstrip(' ,;:.-–(') + '…'

def page_search_entry(page: Page, body: str) -> dict:
    """What the search index holds for one page: title `t`, address `u` (from the site root), description `d`, section
    `s`, module `m`, intro text `x`, sections `h` ([anchor, heading, excerpt], the markdown headings) and API names `a`
    ([name, anchor, excerpt], the show_doc headings). Code, outputs and widgets are not indexed: only what the authors wrote."""
    intro, heads, api = [], [], []
    current = intro
    for cell in _CELL.split(body):
        if cell.startswith('<div class="cell code showdoc"'):
            found = list(_HEADING.finditer(cell))
            for k, m in enumerate(found):
                doc = cell[m.end():found[k + 1].start() if k + 1 < len(found) else len(cell)]
                doc = re.sub(r'<div class="highlight">.*?</pre>\s*</div>', ' ', doc, flags=re.S)  # the signature
                doc = re.sub(r'<table\b.*?</table>', ' ', doc, flags=re.S)                     # the parameters
                doc = re.sub(r'<p>\s*<a\b[^>]*>source</a>\s*</p>', ' ', doc)                   # the next one's link
                api.append([html_text(m.group(3)), m.group(2), clip(html_text(doc))])
        elif cell.startswith('<div class="cell markdown"'):
            cell = re.sub(r'<div class="highlight">.*?</pre>\s*</div>', ' ', cell, flags=re.S)  # code blocks in prose
            pos = 0
            for m in _HEADING.finditer(cell):
                current.append(cell[pos:m.start()])
                heads.append([m.group(2), html_text(m.group(3)), []])
                current, pos = heads[-1][2], m.end()
            current.append(cell[pos:])
    return {'t': page.title, 'u': page.out, 'd': page.description, 's': page.section, 'm': page.module,
            'x': clip(html_text(' '.join(intro))), 'h': [[i, t, clip(html_text(' '.join(x)))] for i, t, x in heads],
            'a': api}

def search_index(pages: list[Page], bodies: dict[str, str]) -> dict:
    "The index of every page that has a body (as the navigation, in its order)."
    return {'pages': [page_search_entry(p, bodies[p.out]) for p in pages if p.out in bodies]}

def index_script(index: dict) -> str:
    "The index as the script `search-index.js` (compact JSON; U+2028/2029 escaped, never raw in a script)."
    data = json.dumps(index, ensure_ascii=False, separators=(',', ':'))
    data = data.replace('\u2028', '\\u2028').replace('\u2029', '\\u2029')
    return f'window.{SEARCH_VAR}={data};\n'

def read_index(path: Path) -> dict:
    "The index in a site's `search-index.js` (for tests and tools)."
    text = path.read_text(encoding='utf-8')
    prefix = f'window.{SEARCH_VAR}='
    if not text.startswith(prefix): raise ValueError(f'{path} does not start with {prefix!r}')
    return json.loads(text[len(prefix):].rstrip().removesuffix(';'))

# The search box (plain JS, no framework, nothing fetched from elsewhere). The index is loaded on first use by a
# <script> element, so it works from file:// too. Everything from the index goes into the page as text (textContent),
# never as HTML: headings and excerpts can hold markup-like token text.
# Ranking: exact API name (or its last dotted part), API name prefix, a word of the name, page title words, heading
# words, part of a name, then body text (description, intro, section and docstring excerpts); shorter first within a rank.
SEARCH_JS = r"""(function () {
  'use strict';
  var wrap = document.querySelector('nav.site .search'), box = wrap && wrap.querySelector('input');
  if (!box) return;
  var root = wrap.getAttribute('data-root') || '', VAR = 'LENSBOOK_SEARCH', MAX = 20;
  var entries = null, shown = [], sel = -1, loading = false, total = 0;
  var panel = document.createElement('div');
  panel.className = 'search-results'; panel.id = 'search-results'; panel.setAttribute('role', 'listbox');
  panel.setAttribute('aria-label', 'Search results'); panel.hidden = true;
  document.body.appendChild(panel);
  box.setAttribute('aria-controls', panel.id);

  function build(data) {
    var out = [];
    (data.pages || []).forEach(function (p) {
      var add = function (kind, name, url, text) {
        out.push({kind: kind, name: name, lname: name.toLowerCase(), url: url, text: text || '',
                  ltext: (name + ' \u2009 ' + (text || '')).toLowerCase(), page: p.t, order: out.length});
      };
      add('page', p.t, p.u, [p.d, p.x].filter(Boolean).join(' \u2014 '));
      if (p.m) { add('module', 'lensbook.' + p.m, p.u, p.d); out[out.length - 1].key = p.m.toLowerCase(); }
      (p.a || []).forEach(function (a) { add('api', a[0], p.u + '#' + a[1], a[2]); });
      (p.h || []).forEach(function (h) { add('section', h[1], p.u + '#' + h[0], h[2]); });
    });
    return out;
  }
  function ensure() {
    if (entries) return true;
    if (window[VAR]) { entries = build(window[VAR]); return true; }
    if (!loading) {
      loading = true;
      var s = document.createElement('script');
      s.src = root + 'search-index.js';
      s.onload = function () { if (window[VAR]) { entries = build(window[VAR]); if (box.value.trim()) render(); } };
      s.onerror = function () { message('The search index (search-index.js) could not be loaded.'); };
      document.head.appendChild(s);
    }
    return false;
  }
  var WORD = /[0-9A-Za-z\u00C0-\uFFFF]/;
  function wordAt(s, t) {  // t occurs in s at the start of a word
    for (var i = s.indexOf(t); i >= 0; i = s.indexOf(t, i + 1)) if (i === 0 || !WORD.test(s[i - 1])) return true;
    return false;
  }
  function score(e, q, toks) {
    var n = e.key || e.lname, name = e.kind === 'api' || e.kind === 'module', qn = toks.join('_');
    var all = function (s, f) { return toks.every(function (t) { return f(s, t); }); };
    if (name) {
      if (e.lname === q) return 1000;  // a module by its full name (lensbook.x; matched as x below)
      var last = n.slice(n.lastIndexOf('.') + 1);
      if (n === q || n === qn) return 1000;
      if (e.kind === 'api' && (last === q || last === qn)) return 950;  // a method by its own name: df -> LensResult.df
      if (n.indexOf(q) === 0 || n.indexOf(qn) === 0) return 800;
      if (wordAt(n.replace(/_/g, ' '), q) || wordAt(n, qn)) return 700;
    }
    if (e.kind === 'page' && all(n, wordAt)) return n === q ? 660 : 600;
    if (e.kind === 'section' && all(n, wordAt)) return n === q ? 560 : 500;
    if (name && (n.indexOf(q) >= 0 || n.indexOf(qn) >= 0)) return 400;
    if (all(e.ltext, wordAt)) return 300;
    if (all(e.ltext, function (s, t) { return s.indexOf(t) >= 0; })) return 200;
    return 0;
  }
  function search(raw) {
    var q = raw.trim().toLowerCase().replace(/\s+/g, ' '), toks = q.split(' ');
    if (!q || !entries) return [];
    var hits = [];
    entries.forEach(function (e) { var s = score(e, q, toks); if (s) hits.push([s, e]); });
    hits.sort(function (a, b) { return b[0] - a[0] || a[1].name.length - b[1].name.length || a[1].order - b[1].order; });
    total = hits.length;
    return hits.slice(0, MAX).map(function (h) { return h[1]; });
  }
  function marked(el, text, toks) {  // text into el, with <mark> around each query word (as text nodes)
    var low = text.toLowerCase(), spans = [];
    toks.forEach(function (t) { if (!t) return; for (var i = low.indexOf(t); i >= 0; i = low.indexOf(t, i + t.length)) spans.push([i, i + t.length]); });
    spans.sort(function (a, b) { return a[0] - b[0]; });
    var at = 0;
    spans.forEach(function (s) {
      if (s[0] < at) { if (s[1] > at) s[0] = at; else return; }
      if (s[0] > at) el.appendChild(document.createTextNode(text.slice(at, s[0])));
      var m = document.createElement('mark'); m.textContent = text.slice(s[0], s[1]); el.appendChild(m); at = s[1];
    });
    if (at < text.length) el.appendChild(document.createTextNode(text.slice(at)));
  }
  function excerpt(text, toks, n) {  // about n characters of text, around the first query word found in it
    if (text.length <= n) return text;
    var low = text.toLowerCase(), i = -1;
    toks.some(function (t) { i = low.indexOf(t); return i >= 0; });
    var a = i < n * 0.6 ? 0 : text.lastIndexOf(' ', i - Math.round(n * 0.3)) + 1, b = Math.min(text.length, a + n);
    var s = text.slice(a, b);
    return (a > 0 ? '\u2026' : '') + (b < text.length ? s.replace(/\s+\S*$/, '') + '\u2026' : s);
  }
  function span(cls, text) { var s = document.createElement('span'); s.className = cls; s.textContent = text; return s; }
  var KIND = {api: 'API', module: 'module', page: 'page', section: 'section'};
  function message(text) {
    panel.textContent = ''; shown = []; sel = -1;
    panel.appendChild(span('sr-none', text)); open();
  }
  function render() {
    var q = box.value.trim().toLowerCase(), toks = q.split(/\s+/);
    panel.textContent = '';
    if (!q) { close(); return; }
    if (!ensure()) { message('Loading the index\u2026'); return; }
    shown = search(q); sel = shown.length ? 0 : -1;
    if (!shown.length) { message('No page or API name matches \u201c' + box.value.trim() + '\u201d.'); return; }
    shown.forEach(function (e, i) {
      var a = document.createElement('a');
      a.className = 'sr sr-' + e.kind; a.href = root + e.url; a.id = 'sr-' + i;
      a.setAttribute('role', 'option'); a.setAttribute('data-url', e.url);
      var head = document.createElement('span'); head.className = 'sr-head';
      head.appendChild(span('sr-kind', KIND[e.kind]));
      var name = span('sr-name', ''); marked(name, e.name, toks); head.appendChild(name);
      if (e.kind !== 'page') head.appendChild(span('sr-in', e.page));
      a.appendChild(head);
      if (e.text) { var t = span('sr-text', ''); marked(t, excerpt(e.text, toks, 150), toks); a.appendChild(t); }
      a.addEventListener('mousemove', function () { if (sel !== i) pick(i); });
      a.addEventListener('click', function () { close(); });
      panel.appendChild(a);
    });
    var foot = document.createElement('div'); foot.className = 'sr-foot';
    foot.appendChild(span('sr-count', total > shown.length ? shown.length + ' of ' + total + ' results' :
                                     total + (total === 1 ? ' result' : ' results')));
    var keys = document.createElement('span'); keys.className = 'sr-keys';
    [[['\u2191', '\u2193'], 'choose'], [['Enter'], 'open'], [['Esc'], 'close']].forEach(function (k) {
      var g = document.createElement('span');
      k[0].forEach(function (name) { var kb = document.createElement('kbd'); kb.textContent = name; g.appendChild(kb); });
      g.appendChild(document.createTextNode(' ' + k[1])); keys.appendChild(g);
    });
    foot.appendChild(keys); panel.appendChild(foot);
    pick(sel); open();
  }
  function pick(i) {
    sel = i;
    Array.prototype.forEach.call(panel.querySelectorAll('.sr'), function (a, j) { a.setAttribute('aria-selected', j === i ? 'true' : 'false'); });
    var cur = document.getElementById('sr-' + i);
    if (cur) { box.setAttribute('aria-activedescendant', cur.id); cur.scrollIntoView({block: 'nearest'}); }
    else box.removeAttribute('aria-activedescendant');
  }
  function place() {
    var r = box.getBoundingClientRect(), w = Math.min(window.innerWidth - 16, 36 * 16);
    panel.style.top = Math.round(r.bottom + 6) + 'px';
    panel.style.left = Math.round(Math.max(8, Math.min(r.left, window.innerWidth - w - 8))) + 'px';
    panel.style.width = w + 'px';
    panel.style.maxHeight = Math.max(160, window.innerHeight - r.bottom - 24) + 'px';
  }
  function open() { place(); panel.hidden = false; box.setAttribute('aria-expanded', 'true'); }
  function close() { panel.hidden = true; box.setAttribute('aria-expanded', 'false'); box.removeAttribute('aria-activedescendant'); }
  function go(e) {
    close();
    var here = location.pathname.split('/').pop(), there = e.url.split('#')[0].split('/').pop();
    location.href = root + e.url;
    if (here === there) box.blur();
  }
  function editable(el) {
    return el && (el.isContentEditable || /^(input|textarea|select)$/i.test(el.tagName));
  }
  box.addEventListener('input', render);
  box.addEventListener('focus', function () { ensure(); if (box.value.trim()) render(); });
  box.addEventListener('keydown', function (ev) {
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      if (panel.hidden) { render(); return; }
      if (!shown.length) return;
      pick(ev.key === 'ArrowDown' ? (sel + 1) % shown.length : (sel - 1 + shown.length) % shown.length);
    } else if (ev.key === 'Enter') {
      ev.preventDefault();
      if (panel.hidden) render(); else if (shown.length) go(shown[Math.max(0, sel)]);
    } else if (ev.key === 'Escape') {
      ev.preventDefault();
      if (!panel.hidden) close(); else { box.value = ''; box.blur(); }
    }
  });
  document.addEventListener('keydown', function (ev) {
    var k = (ev.key || '').toLowerCase();
    if ((k === '/' && !ev.ctrlKey && !ev.metaKey && !ev.altKey && !editable(ev.target)) ||
        (k === 'k' && (ev.ctrlKey || ev.metaKey) && !ev.altKey && !ev.shiftKey)) {
      ev.preventDefault(); box.focus(); box.select();
    }
  });
  document.addEventListener('mousedown', function (ev) {
    if (!panel.hidden && !panel.contains(ev.target) && ev.target !== box) close();
  });
  window.addEventListener('resize', function () { if (!panel.hidden) place(); });
  window.addEventListener('scroll', function () { if (!panel.hidden) place(); }, true);
})();
"""

def write_search(pages: list[Page], bodies: dict[str, str], out: Path) -> dict:
    "Write search-index.js and search.js into `out`; what the build log says of the index (counts and bytes)."
    index = search_index(pages, bodies)
    script = index_script(index)
    (out/SEARCH_INDEX).write_text(script, encoding='utf-8')
    (out/SEARCH_JS_FILE).write_text(SEARCH_JS, encoding='utf-8')
    return {'pages': len(index['pages']), 'names': sum(len(p['a']) for p in index['pages']),
            'sections': sum(len(p['h']) for p in index['pages']), 'bytes': len(script.encode())}

# --- the site -----------------------------------------------------------------------------------------------------

CSS = """
:root { --fg: #1f2328; --muted: #59636e; --line: #d8dee4; --bg-soft: #f6f8fa; --accent: #2f6fb3; --nav-w: 15.5rem; }
* { box-sizing: border-box; }
html { font-size: 16px; }
body { margin: 0; color: var(--fg); line-height: 1.55;
       background: linear-gradient(to right, var(--bg-soft) var(--nav-w), var(--line) var(--nav-w), #fff calc(var(--nav-w) + 1px));
       font-family: -apple-system, "Segoe UI", "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif; }
a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
code, pre, kbd { font-family: "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: .86rem; }
nav.site { position: fixed; top: 0; bottom: 0; left: 0; width: var(--nav-w); overflow-y: auto; padding: 1.4rem 1rem 2rem 1.3rem;
           background: var(--bg-soft); border-right: 1px solid var(--line); font-size: .92rem; }
nav.site .brand { display: block; font-size: 1.3rem; font-weight: 650; color: var(--fg); margin-bottom: 1.2rem; }
nav.site summary { font-size: .72rem; letter-spacing: .08em; text-transform: uppercase; color: var(--muted); margin: 1.2rem 0 .3rem;
                   font-weight: 600; cursor: pointer; }
nav.site li a { line-height: 1.35; }
nav.site ul { list-style: none; margin: 0; padding: 0; }
nav.site li a { display: block; padding: .18rem .5rem; margin-left: -.5rem; border-radius: 4px; color: var(--fg); }
nav.site li a:hover { background: #e9eef3; text-decoration: none; }
nav.site li a.current { background: #dde8f4; color: #174a80; font-weight: 600; }
main { margin-left: var(--nav-w); padding: 2rem 3rem 4rem; max-width: calc(var(--nav-w) + 62rem); }
header.page h1 { font-size: 2.1rem; margin: 0 0 .3rem; line-height: 1.2; }
header.page p.lead { font-size: 1.12rem; color: var(--muted); margin: 0 0 1.2rem; }
header.page { border-bottom: 1px solid var(--line); margin-bottom: 1.2rem; padding-bottom: .4rem; }
nav.toc { font-size: .88rem; margin: 0 0 1.5rem; color: var(--muted); }
nav.toc a { margin-right: 1rem; white-space: nowrap; }
h1, h2, h3, h4 { line-height: 1.25; margin: 1.6rem 0 .6rem; }
h2 { font-size: 1.5rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
h3 { font-size: 1.2rem; } h4 { font-size: 1.05rem; }
a.anchor { visibility: hidden; margin-left: .35rem; color: var(--muted); font-weight: 400; font-size: .8em; }
h1:hover a.anchor, h2:hover a.anchor, h3:hover a.anchor, h4:hover a.anchor { visibility: visible; text-decoration: none; }
.cell { margin: 0 0 1rem; }
.cell.markdown p code, .cell.markdown li code, .output.asis p code, td code { background: var(--bg-soft); padding: .08rem .28rem; border-radius: 3px; }
.input .highlight, .cell.markdown .highlight, .output .highlight { background: var(--bg-soft); border: 1px solid var(--line); border-radius: 6px; }
.highlight pre { margin: 0; padding: .7rem .9rem; overflow-x: auto; line-height: 1.45; }
.outputs { padding: .35rem 0 0 .9rem; border-left: 3px solid #e6ebf0; margin-top: .35rem; overflow-x: auto; }
pre.output { margin: .2rem 0; padding: .2rem 0; white-space: pre-wrap; word-break: break-word; }
pre.output.stderr { color: #8a4b00; }
pre.output.error { color: #a4161a; background: #fff5f5; padding: .5rem .7rem; border-radius: 4px; }
.output.figure img { max-width: 100%; height: auto; }
.output.html table, .cell.markdown table { border-collapse: collapse; margin: .5rem 0; font-size: .88rem; }
.output.html th, .output.html td, .cell.markdown th, .cell.markdown td { border: 1px solid var(--line); padding: .25rem .6rem; text-align: right; }
.cell.markdown th, .cell.markdown td { text-align: left; }
.output.html thead th, .cell.markdown thead th { background: var(--bg-soft); }
.cell.showdoc .outputs { border-left: 0; padding-left: 0; }
.output.asis hr { border: 0; border-top: 1px solid var(--line); margin: 1.6rem 0 .6rem; }
.output.asis h3, .output.asis h4 { font-family: "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 1.08rem; margin-top: .3rem; }
.output.asis table { font-size: .88rem; border-collapse: collapse; margin: .5rem 0 1rem; }
.output.asis th, .output.asis td { border-bottom: 1px solid var(--line); padding: .25rem .7rem; text-align: left; }
details > summary { cursor: pointer; color: var(--muted); font-size: .88rem; margin-bottom: .3rem; }
p.widget-note { color: #7b8490; font-style: italic; font-size: .88rem; margin: .3rem 0; }
.build-error { border: 1px solid #e5a0a0; background: #fff5f5; padding: .8rem 1rem; border-radius: 6px; margin-bottom: 1.5rem; }
blockquote { margin: .8rem 0; padding: .1rem 1rem; border-left: 4px solid var(--line); color: var(--muted); }
img { max-width: 100%; }
footer { margin-top: 3rem; color: var(--muted); font-size: .82rem; border-top: 1px solid var(--line); padding-top: .8rem; }
nav.site .search { position: relative; margin: -.3rem 0 .3rem; }
nav.site .search input { width: 100%; font: inherit; font-size: .88rem; color: var(--fg); background: #fff; outline: none;
                         border: 1px solid var(--line); border-radius: 6px; padding: .3rem 1.9rem .3rem .6rem; }
nav.site .search input::placeholder { color: #8c959f; }
nav.site .search input:focus { border-color: var(--accent); box-shadow: 0 0 0 3px rgba(47, 111, 179, .16); }
nav.site .search kbd { position: absolute; right: .45rem; top: 50%; transform: translateY(-50%); pointer-events: none;
                       font-size: .7rem; line-height: 1.3; color: var(--muted); background: var(--bg-soft);
                       border: 1px solid var(--line); border-bottom-width: 2px; border-radius: 4px; padding: 0 .32rem; }
nav.site .search input:focus + kbd { display: none; }
.search-results { position: fixed; z-index: 20; overflow-y: auto; padding: .3rem; font-size: .9rem; background: #fff;
                  border: 1px solid var(--line); border-radius: 8px; box-shadow: 0 10px 28px rgba(31, 35, 40, .16); }
.search-results[hidden] { display: none; }
.search-results a.sr { display: block; padding: .42rem .6rem .45rem; border-radius: 6px; color: var(--fg); }
.search-results a.sr + a.sr { margin-top: 1px; }
.search-results a.sr:hover { text-decoration: none; }
.search-results a.sr[aria-selected=true] { background: #eef4fb; box-shadow: inset 3px 0 0 var(--accent); }
.sr-head { display: flex; align-items: baseline; gap: .5rem; min-width: 0; }
.sr-kind { flex: none; min-width: 3.9rem; text-align: center; font-size: .64rem; font-weight: 600; letter-spacing: .06em;
           text-transform: uppercase; color: var(--muted); background: var(--bg-soft); border: 1px solid var(--line);
           border-radius: 999px; padding: 0 .4rem; position: relative; top: -1px; }
.sr-api .sr-kind, .sr-module .sr-kind { color: #174a80; background: #dde8f4; border-color: #c5d8ee; }
.sr-name { font-weight: 600; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.sr-api .sr-name, .sr-module .sr-name { font-family: "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: .86rem; }
.sr-in { margin-left: auto; flex: none; max-width: 42%; color: var(--muted); font-size: .8rem; overflow: hidden;
           text-overflow: ellipsis; white-space: nowrap; }
.sr-text { display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; color: var(--muted);
           font-size: .82rem; line-height: 1.4; margin: .15rem 0 0 4.4rem; }
.search-results mark { background: #fff0a0; color: inherit; border-radius: 2px; padding: 0 1px; }
.sr-none { display: block; padding: .55rem .6rem; color: var(--muted); }
.sr-foot { display: flex; justify-content: space-between; gap: 1rem; margin: .3rem -.3rem -.3rem; padding: .35rem .9rem;
           border-top: 1px solid var(--line); background: var(--bg-soft); color: var(--muted); font-size: .74rem;
           border-radius: 0 0 8px 8px; position: sticky; bottom: -.3rem; }
.sr-keys { display: flex; gap: .9rem; }
.sr-keys kbd { font-size: .68rem; line-height: 1.3; background: #fff; border: 1px solid var(--line); border-bottom-width: 2px;
               border-radius: 4px; padding: 0 .3rem; margin-right: .15rem; }
:target { scroll-margin-top: 1rem; }
h2:target, h3:target, h4:target { background: linear-gradient(to right, #fff6c8, rgba(255, 246, 200, 0) 70%); border-radius: 4px; }
@media (max-width: 820px) { nav.site { position: static; width: auto; border-right: 0; } main { margin-left: 0; padding: 1rem; } }
"""

def site_css() -> str:
    from pygments.formatters import HtmlFormatter
    return CSS + HtmlFormatter(style='friendly').get_style_defs('.highlight') + '\n.highlight { background: var(--bg-soft); }\n'

SEARCH_BOX = ('<div class="search" role="search" data-root="{root}"><input type="text" id="search" placeholder="Search"'
              ' aria-label="Search pages and API names" title="Search pages and API names (/ or Ctrl-K)" autocomplete="off"'
              ' spellcheck="false" role="combobox" aria-autocomplete="list" aria-expanded="false"><kbd>/</kbd></div>')

def nav_html(page: Page, pages: list[Page]) -> str:
    parts = [f'<a class="brand" href="{relpath("index.html", page.out)}">{SITE_TITLE}</a>',
             SEARCH_BOX.format(root='../' * page.out.count('/'))]
    for section in SECTIONS:
        ps = [p for p in pages if p.section == section]
        if not ps: continue
        items = ''.join(f'<li><a href="{relpath(p.out, page.out)}"{" class=current" if p is page else ""}>'
                        f'{html.escape("Overview" if p.title == SITE_TITLE else p.title)}</a></li>' for p in ps)
        # Reference is long: folded on tutorial pages (pure HTML, a click opens it), so the tutorials stay in view
        fold = section == 'Reference' and page.section == 'Tutorials'
        parts.append(f'<details{"" if fold else " open"}><summary>{section}</summary><ul>{items}</ul></details>')
    return '<nav class="site">' + ''.join(parts) + '</nav>'

def toc_html(body: str) -> str:
    heads = re.findall(r'<h2[^>]*id="([^"]+)"[^>]*>(.*?)<a class="anchor"', body, flags=re.S)
    if len(heads) < 2: return ''
    return '<nav class="toc">On this page: ' + ''.join(
        f'<a href="#{i}">{re.sub(r"<[^>]+>", "", t).strip()}</a>' for i, t in heads) + '</nav>'

def write_page(page: Page, pages: list[Page], body: str, out: Path):
    up = '../' * page.out.count('/')
    css = f'{up}site.css'
    extra = f'<link rel="stylesheet" href="{up}styles.css">' if (out/'styles.css').exists() else ''
    desc = f'<p class="lead">{html.escape(page.description)}</p>' if page.description else ''
    doc = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(page.title)} – {SITE_TITLE}</title><meta name="description" content="{html.escape(page.description, quote=True)}">
<link rel="icon" href="data:,"><link rel="stylesheet" href="{css}">{extra}</head>
<body>{nav_html(page, pages)}
<main><header class="page"><h1>{html.escape(page.title)}</h1>{desc}</header>
{toc_html(body)}{body}
<footer>Built from <code>nbs/{html.escape(page.src.as_posix())}</code> by <code>tools/docs.py</code>; the notebook is the source.</footer>
</main><script src="{up}{SEARCH_JS_FILE}" defer></script></body></html>
"""
    (out/page.out).write_text(doc)

def copy_assets(nbs: Path, out: Path):
    "Images and stylesheets next to the notebooks (referenced from markdown) go to the same place in the site."
    for f in nbs.rglob('*'):
        rel = f.relative_to(nbs)
        if f.is_file() and f.suffix.lower() in ASSET_EXTS and not _skipped(rel):
            (out/rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(f, out/rel)

# --- shared artefacts -----------------------------------------------------------------------------------------------

# Cached artefacts several pages share, fitted once at the start of a build by processes of their own, beside the page
# workers: a page that needs one would otherwise fit it itself while the pages that need it too wait on the cache's
# file lock (the tour waited 17 minutes that way). Pages that call one of them are queued last, so by the time they
# run the artefact is on disk. A fit that fails here is only a warning: the page then fits it itself, and fails there.
SHARED = {  # pattern in a notebook's source -> the code that makes the artefact (in a fresh interpreter; the pages'
            # own calls, default settings: the cache key is the settings)
    r'\btuned_lens\(': "import lensbook as lb; lb.tuned_lens(lb.load('smollm2'))",
    r'\bjacobian_lens\(': "import lensbook as lb; lb.jacobian_lens(lb.load('smollm2'))",
    r'\bcached_sae\(': ("import lensbook as lb; m = lb.load('smollm2'); "   # the settings of nbs/29_sae_training's demo
                        "lb.cached_sae(m, 'resid_post.15', d_sae=4608, k=32, epochs=5, batch_size=1024, lr=1e-3); "
                        "lb.cached_transcoder(m, 15, d_sae=4608, l1=0.2, epochs=4, batch_size=1024, lr=1e-3)"),
}

def _needs(page: Page, nbs: Path) -> set[str]:
    "The SHARED patterns that the code cells of `page`'s notebook call."
    try: cells = json.loads((nbs/page.src).read_text()).get('cells', [])
    except (OSError, ValueError): return set()
    src = '\n'.join(_join(c.get('source')) for c in cells if c.get('cell_type') == 'code')
    return {pat for pat in SHARED if re.search(pat, src)}

def start_shared(todo: list[Page], nbs: Path) -> tuple[list[Page], list]:
    "Start fitting the shared artefacts `todo` needs (one process each); return `todo` with the pages that need them last, and the processes."
    import subprocess, tempfile
    needs = {p.src: _needs(p, nbs) for p in todo}
    wanted = set().union(*needs.values()) if needs else set()
    procs = []
    for pat in SHARED:
        if pat not in wanted: continue
        log = tempfile.TemporaryFile('w+')   # a file, not a pipe: progress bars would fill a pipe nobody reads yet
        procs.append(dict(pattern=pat, t0=time.monotonic(), log=log, proc=subprocess.Popen(
            [sys.executable, '-c', SHARED[pat]], cwd=nbs, env={**os.environ, **KERNEL_ENV}, stdout=subprocess.DEVNULL, stderr=log, text=True)))
    return sorted(todo, key=lambda p: bool(needs[p.src])), procs  # stable: the navigation order within each group

def poll_shared(procs: list, wait: bool = False) -> None:
    "Report each shared fit that has ended (all of them, waiting, when `wait`): how long it took, or why it failed."
    for job in procs:
        if job.get('done') or (job['proc'].poll() is None and not wait): continue
        job['proc'].wait(); job['done'] = True
        name = re.sub(r'\\b|\\\(', '', job['pattern'])
        secs = time.monotonic() - job['t0']
        if job['proc'].returncode:
            job['log'].seek(0); err = clean_stderr(job['log'].read())
            print(f'  warning: the shared {name} fit failed after {secs:.0f} s (the pages that need it fit it themselves):\n'
                  f'{textwrap.indent(err[-2000:], "    ")}', flush=True)
        else: print(f'  ready  {secs:6.1f} s  shared {name} (fitted beside the pages)', flush=True)
        job['log'].close()

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--only', nargs='+', metavar='NAME', help='build only these notebooks (e.g. 32_layers tutorials/01_x)')
    ap.add_argument('--no-exec', action='store_true', help='render without executing the notebooks')
    ap.add_argument('--assemble', action='store_true',
                    help='process no notebook: write the pages again from the last build (navigation, links, styles)')
    ap.add_argument('--workers', type=int, default=2, help='notebooks executed at once (default 2)')
    # 20 minutes: the tour and 13_lens.tuned train the tuned lens on a fresh machine (the first one to get the
    # lock trains it, ~5 minutes on 2 shared cores, and the other waits), besides their own cells
    ap.add_argument('--timeout', type=float, default=1200, help='seconds per notebook (default 1200)')
    ap.add_argument('--out', type=Path, default=OUT, help='site folder (default _docs/)')
    ap.add_argument('--nbs', type=Path, default=NBS, help='notebook folder (default nbs/)')
    args = ap.parse_args(argv)
    for k, v in KERNEL_ENV.items(): os.environ.setdefault(k, v)
    nbs, out = args.nbs.resolve(), args.out.resolve()
    pages = find_pages(nbs)
    todo = [] if args.assemble else select(pages, args.only) if args.only else pages
    if not (args.only or args.assemble) and out.exists(): shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    copy_assets(nbs, out)
    (out/'site.css').write_text(site_css())
    (out/'.nojekyll').touch()
    print(f'building {len(todo)} of {len(pages)} pages into {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}'
          f' ({"no execution" if args.no_exec else f"{args.workers} at a time, {args.timeout:.0f} s each at most"})', flush=True)
    t0, results = time.monotonic(), []
    todo, shared = start_shared(todo, nbs) if not args.no_exec else (todo, [])
    ctx = mp.get_context('spawn')  # a clean process per worker: no inherited zmq or torch state
    with cf.ProcessPoolExecutor(max_workers=max(1, args.workers), mp_context=ctx) as ex:
        futs = {ex.submit(build_page, p, pages, not args.no_exec, args.timeout, out, nbs): p for p in todo}
        for f in cf.as_completed(futs):
            try: r = f.result()
            except Exception as e: r = Result(futs[f], ok=False, error=f'worker crashed: {e!r}')
            for p in pages:  # the worker's page has the final title from nbdev's frontmatter
                if p.src == r.page.src: p.title, p.description = r.page.title, r.page.description
            results.append(r)
            status = 'ok  ' if r.ok else 'FAIL'
            figs = f', {r.n_figures} figure{"s" * (r.n_figures != 1)}' if r.n_figures else ''
            print(f'  {status} {r.seconds:6.1f} s  {r.page.out:<28} nbs/{r.page.src.as_posix()}{figs}', flush=True)
            for line in r.log: print(f'       warning: nbs/{r.page.src.as_posix()}: {line}', flush=True)
            poll_shared(shared)
    poll_shared(shared, wait=True)
    # every page that has a body (this build's or an earlier one's) is written again, so the navigation stays whole
    built = 0
    for p in pages:
        part = _part(out, p)
        if part.exists():
            d = json.loads(part.read_text())
            p.title, p.description = d['title'] or p.title, d['description']
    bodies = {p.out: json.loads(_part(out, p).read_text())['body'] for p in pages if _part(out, p).exists()}
    bodies, dropped = fix_anchors(bodies)
    for p in pages:
        if p.out in bodies: write_page(p, pages, bodies[p.out], out); built += 1
    idx = write_search(pages, bodies, out)  # like the navigation: every page that has a body, this build's or not
    print(f'search index: {idx["pages"]} pages, {idx["names"]} API names, {idx["sections"]} sections, '
          f'{idx["bytes"] / 1024:.1f} KiB ({SEARCH_INDEX})')
    if dropped: print(f'{dropped} links to names without a heading of their own (e.g. private helpers) now point at their page')
    failed = [r for r in results if not r.ok]
    # The build record: per page, when it was built from which notebook, executed or not, with how many figures.
    # A partial build (--only) updates the entries of its pages; the browser test reads it to know what is stale.
    record = out/'.build.json'
    rec = json.loads(record.read_text()) if (args.only or args.assemble) and record.exists() else {}
    entries = rec.get('pages', {})
    entries.update({r.page.out: {'src': r.page.src.as_posix(), 'section': r.page.section, 'title': r.page.title,
                                 'figures': r.n_figures, 'seconds': round(r.seconds, 1), 'ok': r.ok, 'executed': r.executed,
                                 'built': r.started} for r in results})
    entries = {k: v for k, v in entries.items() if k in {p.out for p in pages}}
    record.write_text(json.dumps({'pages': entries}, indent=1))
    print(f'{len(results) - len(failed)} of {len(results)} notebooks built in {time.monotonic() - t0:.1f} s; '
          f'{built} pages in {out}' + (f'; {len(failed)} FAILED:' if failed else ''))
    for r in failed: print(f'\n--- nbs/{r.page.src.as_posix()} failed:\n{textwrap.indent(r.error.strip(), "  ")}')
    return 1 if failed else 0

if __name__ == '__main__':
    sys.exit(main())
