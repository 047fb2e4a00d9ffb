"""The public surface holds together: one façade that cannot drift, one vocabulary of argument names, notebooks in
dependency order (a module imports only from notebooks numbered before its own)."""
import ast, importlib, inspect, pathlib, re, subprocess, sys
ROOT = pathlib.Path(__file__).parents[1]
SURGERY = {'order', 'skip', 'swap', 'repeat', 'parallel'}   # block surgery: its `layers` are block indices (core.ARGS)

def test_facade_is_generated_and_complete():
    "lensbook/__init__.py is what tools/facade.py writes from every module's __all__, and no two modules clash."
    r = subprocess.run([sys.executable, str(ROOT/'tools'/'facade.py'), '--check'], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr

def test_every_export_is_public_or_private_on_purpose():
    import lensbook
    sys.path.insert(0, str(ROOT/'tools'))
    import facade
    for mod, names in facade.exports().items():
        m = importlib.import_module(f'lensbook.{mod}')
        private = facade.PRIVATE.get(mod, set())
        for n in m.__all__:
            assert n in private or lensbook._WHERE.get(n) == mod, f'lensbook.{mod}.{n} is not reachable as lensbook.{n}'

def _callables():
    import lensbook
    for name in lensbook.__all__:
        obj = getattr(lensbook, name)
        if inspect.isfunction(obj): yield name, obj
        elif inspect.isclass(obj) and obj.__module__.startswith('lensbook'):
            for k, f in vars(obj).items():
                if k.startswith('_') and k != '__init__': continue
                f = getattr(f, '__func__', f)
                if inspect.isfunction(f) and not (k == '__init__' and hasattr(obj, '__dataclass_fields__')):
                    yield f'{name}.{k}', f

def test_one_vocabulary_of_argument_names():
    "No public function or method takes a retired argument name (lensbook.core.RENAMED)."
    from lensbook.core import RENAMED
    bad = []
    for name, f in _callables():
        for p in inspect.signature(f).parameters:
            if p in RENAMED and not (p == 'layers' and name in SURGERY):
                bad.append(f'{name}({p}=...): use {RENAMED[p]}')
    assert not bad, 'retired argument names:\n' + '\n'.join(bad)

def _notebook_of(py: pathlib.Path) -> str | None:
    m = re.search(r'File to edit: (\S+?\.ipynb)', py.read_text())
    return pathlib.Path(m.group(1)).name if m else None

def test_modules_import_only_earlier_notebooks():
    "Dependency order: every lensbook import in a module (at the top or inside a function) points to an earlier notebook."
    pkg = ROOT/'lensbook'
    order = {}
    for py in pkg.rglob('*.py'):
        nb = _notebook_of(py)
        if nb: order['.'.join(py.relative_to(pkg).with_suffix('').parts)] = nb
    bad = []
    for mod, nb in order.items():
        py = pkg/pathlib.Path(*mod.split('.')).with_suffix('.py')
        for node in ast.walk(ast.parse(py.read_text())):
            if not isinstance(node, ast.ImportFrom) or not node.module: continue
            if node.level:
                base = mod.split('.')[:len(mod.split('.')) - node.level]
                target = '.'.join(base + node.module.split('.'))
            elif node.module.startswith('lensbook.'): target = node.module[len('lensbook.'):]
            else: continue
            if target in order and order[target] >= nb:
                bad.append(f'{mod} ({nb}) imports {target} ({order[target]})')
    assert not bad, 'imports that point forward or sideways in the notebook order:\n' + '\n'.join(bad)

def _plain(f) -> str:
    "`f`'s signature without annotations, as the API page writes it."
    ps = []
    for p in inspect.signature(f).parameters.values():
        s = ('**' if p.kind == p.VAR_KEYWORD else '*' if p.kind == p.VAR_POSITIONAL else '') + p.name
        if p.default is not p.empty: s += f'={p.default!r}'
        ps.append(s)
    return f'({", ".join(ps)})'

def test_api_page_matches_the_code():
    "nbs/91_api.ipynb: every 'after' signature in its table is the live one, and every analysis there is `lb.NAME`."
    import json, lensbook
    cells = json.loads((ROOT/'nbs'/'91_api.ipynb').read_text())['cells']
    rows = [l for c in cells if c['cell_type'] == 'markdown' for l in ''.join(c['source']).splitlines()
            if l.startswith('| ') and not l.startswith('| analysis')]
    assert len(rows) > 40, 'the API table is missing'
    checked = 0
    for row in rows:
        name, _, after, _ = [x.strip() for x in row.strip('|').split('|')]
        if after == '(removed)': continue
        sig = after.strip('`')
        assert sig.startswith(name + '('), row
        assert sig[len(name):] == _plain(getattr(lensbook, name)), f'{name}: the API page says {sig}'
        checked += 1
    assert checked > 40
