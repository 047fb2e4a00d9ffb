"""Harness for the browser tests (marker `browser`): a throwaway JupyterLab server driven by Playwright on Debian's Chromium.

A test module imports the fixtures it uses (`from browser_lab import lab, browser, page, console_errors, dialogs`).
Each module gets a fresh server, because kernels outlive browser sessions on one server and would carry state from
test to test; each test gets a fresh browser context and page, and its kernels are shut down afterwards.
Playwright is imported only inside the fixtures, so this module imports without it.
"""
import contextlib, json, os, pathlib, re, secrets, signal, socket, subprocess, sys, time, urllib.request
import pytest

ROOT = pathlib.Path(__file__).parents[1]
ARTIFACTS = ROOT/'tests'/'artifacts'
CHROMIUM = '/usr/bin/chromium'
# Debian's Chromium, never `playwright install` (its CDN is out of reach here). No sandbox: tests may run as root in
# a container. The rest keeps the browser from reaching out to Google services.
CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                 '--disable-background-networking', '--disable-component-update', '--disable-sync']
TIMEOUT = 60  # seconds for anything that waits on the kernel: two cores shared with other work can be slow
IDLE = re.compile(r'\| Idle')  # the status bar reads "Python 3 (ipykernel) | Idle" once the kernel is connected

def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def _pids_mentioning(text: str) -> list[int]:
    "PIDs of the processes whose command line contains `text` (kernels name their connection file, in our runtime dir)."
    pids = []
    for d in pathlib.Path('/proc').glob('[0-9]*'):
        try: cmd = (d/'cmdline').read_bytes()
        except OSError: continue
        if text.encode() in cmd and int(d.name) != os.getpid(): pids.append(int(d.name))
    return pids

class Lab:
    "A running JupyterLab server: where it listens, its token, its root folder, PID and log."
    def __init__(self, port: int, token: str, root: pathlib.Path, runtime: pathlib.Path, log: pathlib.Path,
                 proc: subprocess.Popen):
        self.port, self.token, self.root, self.runtime, self.log, self.proc = port, token, root, runtime, log, proc
        self.started_in = None  # seconds from launch until /api/status answered 200

    @property
    def pid(self) -> int: return self.proc.pid

    def url(self, path: str = '') -> str:
        "The address of `path` on this server, with the token."
        return f'http://127.0.0.1:{self.port}/{path.lstrip("/")}{"&" if "?" in path else "?"}token={self.token}'

    def api(self, path: str, method: str = 'GET'):
        "Call the server's REST API; the decoded JSON answer, or None when there is no body."
        req = urllib.request.Request(self.url(path), method=method)
        with urllib.request.urlopen(req, timeout=30) as r:
            body = r.read()
        return json.loads(body) if body else None

    def kernel_pids(self) -> list[int]: return _pids_mentioning(str(self.runtime))

    def shutdown_kernels(self):
        "Shut down every kernel of this server (each DELETE returns once its kernel has exited)."
        for k in self.api('api/kernels'): self.api(f'api/kernels/{k["id"]}', 'DELETE')

    def log_tail(self, n: int = 4000) -> str:
        return self.log.read_text(errors='replace')[-n:] if self.log.exists() else ''

    def stop(self):
        "Stop the server by its PID: SIGTERM (it shuts its kernels down), then SIGKILL; then kill any kernel left over."
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try: self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill(); self.proc.wait(10)
        # Kernels run in sessions of their own (jupyter_client starts them so), so a dead server can leave them behind.
        for pid in self.kernel_pids():
            with contextlib.suppress(ProcessLookupError): os.kill(pid, signal.SIGKILL)
        deadline = time.time() + 10
        while self.kernel_pids() and time.time() < deadline: time.sleep(0.1)
        assert not self.kernel_pids(), f'kernels left behind: {self.kernel_pids()}'

@contextlib.contextmanager
def lab_server(tmp: pathlib.Path, timeout: float = TIMEOUT):
    "Start `jupyter lab` from this interpreter's environment on 127.0.0.1 with isolated folders under `tmp`; stop it on exit."
    tmp = pathlib.Path(tmp)
    dirs = {k: tmp/k for k in ('root', 'config', 'runtime', 'data', 'settings', 'workspaces', 'ipython')}
    for d in dirs.values(): d.mkdir(parents=True, exist_ok=True)
    # A fresh settings folder would otherwise greet every test with the "official Jupyter news?" toast
    # (--LabApp.news_url=None does not suppress it).
    notify = dirs['settings']/'@jupyterlab'/'apputils-extension'/'notification.jupyterlab-settings'
    notify.parent.mkdir(parents=True, exist_ok=True)
    notify.write_text(json.dumps({'fetchNews': 'false', 'checkForUpdates': False}))
    port, token = free_port(), secrets.token_hex(16)
    # LENSBOOK_CACHE (converted models) comes through with os.environ when the test environment sets it.
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(dirs['config']), JUPYTER_RUNTIME_DIR=str(dirs['runtime']),
               JUPYTER_DATA_DIR=str(dirs['data']), JUPYTERLAB_SETTINGS_DIR=str(dirs['settings']),
               JUPYTERLAB_WORKSPACES_DIR=str(dirs['workspaces']), IPYTHONDIR=str(dirs['ipython']),
               OMP_NUM_THREADS='1', MKL_NUM_THREADS='1', HF_HUB_OFFLINE='1', TRANSFORMERS_OFFLINE='1')
    for k in ('MAKEFLAGS', 'MFLAGS', 'JUPYTER_TOKEN', 'JUPYTER_PATH'): env.pop(k, None)
    # window.jupyterapp lets the tests call Lab commands (as JupyterLab's own Galata tests do) rather than chase menus.
    cmd = [sys.executable, '-m', 'jupyterlab', '--no-browser', '--allow-root', '--ip=127.0.0.1', f'--port={port}',
           '--ServerApp.port_retries=0', f'--IdentityProvider.token={token}', f'--ServerApp.root_dir={dirs["root"]}',
           '--LabApp.expose_app_in_browser=True']
    log = tmp/'lab.log'
    t0 = time.time()
    with open(log, 'w') as f:
        proc = subprocess.Popen(cmd, cwd=dirs['root'], env=env, stdout=f, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    lab = Lab(port, token, dirs['root'], dirs['runtime'], log, proc)
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f'jupyter lab exited with {proc.returncode} before answering:\n{lab.log_tail()}')
            try:
                if lab.api('api/status') is not None: break
            except OSError: pass
            if time.time() - t0 > timeout:
                raise TimeoutError(f'jupyter lab did not answer /api/status within {timeout} s:\n{lab.log_tail()}')
            time.sleep(0.2)
        lab.started_in = time.time() - t0
        yield lab
    finally:
        lab.stop()

def write_notebook(lab: Lab, name: str, cells: list[str]) -> pathlib.Path:
    "Write code `cells` as notebook `name` into the server's root, with the python3 kernel (no kernel-picker dialog)."
    import nbformat
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata.kernelspec = {'name': 'python3', 'display_name': 'Python 3 (ipykernel)', 'language': 'python'}
    path = lab.root/name
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path

# --- fixtures ---------------------------------------------------------------------------------------------------

@pytest.fixture(scope='module')
def browser():
    "Debian's Chromium under Playwright; skips (with the fix) when either is missing."
    if not os.path.exists(CHROMIUM):
        pytest.skip(f'{CHROMIUM} is missing: `make browser-deps` installs it (apt-get install chromium)')
    sync_api = pytest.importorskip('playwright.sync_api', reason='playwright is missing: pip install -c constraints.txt playwright')
    sync_api.expect.set_options(timeout=TIMEOUT * 1000)
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()

@pytest.fixture(scope='module')
def lab(browser, tmp_path_factory):
    "A fresh JupyterLab server per test module (asks for `browser` first, so a missing browser skips before a start)."
    with lab_server(tmp_path_factory.mktemp('lab')) as server:
        yield server

@pytest.fixture
def console_errors() -> list[str]:
    "Console errors and uncaught page errors of every page of the test's browser context; assert it stays empty."
    return []

@pytest.fixture
def dialogs() -> list[str]:
    "JavaScript dialogs (alert, confirm, prompt) any page opened; each is dismissed."
    return []

@pytest.fixture
def page(browser, lab, console_errors, dialogs):
    "A new page in a fresh browser context, watched for console errors and dialogs; the test's kernels end with it."
    ctx = browser.new_context(viewport={'width': 1280, 'height': 800})
    watched = set()
    def on_dialog(d):
        dialogs.append(f'{d.type}: {d.message}'); d.dismiss()
    def watch(pg):
        if id(pg) in watched: return
        watched.add(id(pg))
        pg.on('console', lambda m: m.type == 'error' and console_errors.append(f'console: {m.text} ({m.location.get("url")})'))
        pg.on('pageerror', lambda e: console_errors.append(f'pageerror: {e}'))
        pg.on('dialog', on_dialog)
    ctx.on('page', watch)
    pg = ctx.new_page()
    watch(pg)
    pg.set_default_timeout(TIMEOUT * 1000)
    try: yield pg
    finally:
        ctx.close()
        lab.shutdown_kernels()

# --- helpers ----------------------------------------------------------------------------------------------------

# True when the visible notebook's kernel is idle and none of its cells waits to run ("[*]" prompt). The prompt turns
# to "[*]" as soon as a run is requested, which covers the moment before the kernel reports busy.
_IDLE_JS = """() => {
  const bar = document.querySelector('#jp-main-statusbar');
  const nb = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  if (!bar || !nb || !/\\| Idle/.test(bar.textContent)) return false;
  return ![...nb.querySelectorAll('.jp-InputPrompt')].some(p => p.textContent.includes('*'));
}"""

def wait_idle(page, timeout: float = TIMEOUT):
    "Wait until the kernel is idle and no cell of the open notebook is queued or running."
    page.wait_for_function(_IDLE_JS, timeout=timeout * 1000)

def open_notebook(page, lab: Lab, name: str, timeout: float = TIMEOUT) -> float:
    "Open notebook `name` (relative to the lab root) and wait for its cells and an idle kernel; the seconds it took."
    t0 = time.time()
    # A workspace of its own: the default one would reopen (and start kernels for) notebooks of earlier tests.
    page.goto(lab.url(f'lab/workspaces/t{secrets.token_hex(4)}/tree/{name}'))
    page.locator('.jp-NotebookPanel .jp-Cell').first.wait_for(timeout=timeout * 1000)
    # Never run anything before this: a run requested before the kernel is connected is dropped silently.
    page.get_by_text(IDLE).first.wait_for(timeout=timeout * 1000)
    wait_idle(page, timeout)
    return time.time() - t0

def cells(page):
    "The cells of the open notebook, as one Playwright locator."
    return page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell')

def output_text(page, index: int) -> str:
    "The text of the outputs of cell `index` (negative counts from the end)."
    c = cells(page)
    cell = c.nth(index if index >= 0 else c.count() + index)
    return '\n'.join(cell.locator('.jp-OutputArea-output').all_inner_texts())

def run_all(page, timeout: float = TIMEOUT):
    """Run every cell with Lab's "Run All Cells" command and wait until all have run; fail with the outputs if one raised.
    The command (not the menu, not Shift+Enter per cell) needs no focus or menu timing, and its promise settles only
    once every cell has its reply, with false when a cell raised."""
    ok = page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    if ok is None: raise AssertionError('"Run All Cells" found no open notebook: call open_notebook first')
    wait_idle(page, timeout)
    if not ok:
        texts = '\n---\n'.join(output_text(page, i) for i in range(cells(page).count()))
        raise AssertionError(f'a cell raised while running all cells:\n{texts}')

def run_cell(page, index: int, timeout: float = TIMEOUT) -> str:
    "Click cell `index` and run it in place (Ctrl+Enter: Shift+Enter on the last cell would add a new one); its output text."
    wait_idle(page, timeout)
    c = cells(page)
    cell = c.nth(index if index >= 0 else c.count() + index)
    prompt = cell.locator('.jp-InputPrompt')
    before = prompt.inner_text()
    prompt.click()  # selects the cell in command mode, without entering its editor
    page.keyboard.press('Control+Enter')
    page.wait_for_function("([p, before]) => /\\[\\d+\\]/.test(p.textContent) && p.textContent !== before",
                           arg=[prompt.element_handle(), before], timeout=timeout * 1000)
    wait_idle(page, timeout)
    return '\n'.join(cell.locator('.jp-OutputArea-output').all_inner_texts())

_EVAL_JS = """async (expr) => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  const reply = await kernel.requestExecute({code: '', silent: true, store_history: false,
                                             user_expressions: {v: expr}}).done;
  const v = reply.content.user_expressions.v;
  return v.status === 'ok' ? {value: v.data['text/plain']} : {error: `${v.ename}: ${v.evalue}`};
}"""

def kernel_eval(page, expr: str) -> str:
    """The repr of `expr` evaluated by the open notebook's kernel, asked through the page's own kernel connection
    (a silent user expression: no cell, no execution count, no output)."""
    got = page.evaluate(_EVAL_JS, expr)
    if 'error' in got: raise AssertionError(f'kernel could not evaluate {expr!r}: {got["error"]}')
    return got['value']

def draws(view) -> int:
    "How many times the view has drawn itself (every lensbook view counts its draws on its root)."
    return int(view.get_attribute('data-draws') or 0)

def wait_draw(page, view, after: int, timeout: float = TIMEOUT):
    "Wait until `view` has drawn more than `after` times and is not busy."
    page.wait_for_function("([v, n]) => Number(v.dataset.draws) > n && v.dataset.busy !== '1'",
                           arg=[view.element_handle(), after], timeout=timeout * 1000)

def show_view(lab, page, name: str, setup: str, *cells):
    "Write notebook `name` of `setup` and `cells`, open it, run it all, and return the first lensbook view (visible)."
    from playwright.sync_api import expect
    write_notebook(lab, f'{name}.ipynb', [setup, *cells])
    open_notebook(page, lab, f'{name}.ipynb')
    run_all(page, timeout=3 * TIMEOUT)
    view = page.locator('.lb-view').first
    expect(view).to_be_visible()
    return view

def shot(page, name: str) -> pathlib.Path:
    "Save a screenshot of the page as tests/artifacts/NAME.png (look at it)."
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS/f'{name}.png'
    page.screenshot(path=str(path))
    return path
