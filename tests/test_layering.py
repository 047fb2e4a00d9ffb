"""Layering of the widgets: a view draws a result and calls analyses; it never touches the hook engine itself."""
import ast, pathlib
ROOT = pathlib.Path(__file__).parents[1]
ENGINE = {'lensbook.trace'}                    # the hook engine
ENGINE_NAMES = {'hooks', 'run', 'replace', 'add', 'transform', 'all_hooks', 'run_batches'}   # what it exports to run a model

def _imports(py: pathlib.Path):
    "(module, name) for every import in `py`, relative imports resolved against lensbook/widgets/."
    pkg = ['lensbook', 'widgets']
    for node in ast.walk(ast.parse(py.read_text())):
        if isinstance(node, ast.Import):
            for a in node.names: yield a.name, None
        elif isinstance(node, ast.ImportFrom):
            mod = '.'.join(pkg[:len(pkg) - node.level + 1] + ([node.module] if node.module else [])) if node.level else node.module
            for a in node.names: yield mod, a.name

def test_widgets_never_import_the_engine():
    "No module under lensbook/widgets/ imports lensbook.trace, nor hooks/run/replace from anywhere."
    files = sorted((ROOT/'lensbook'/'widgets').glob('*.py'))
    assert len(files) >= 7, files
    bad = []
    for py in files:
        for mod, name in _imports(py):
            full = f'{mod}.{name}' if name else mod
            if any(full == e or full.startswith(e + '.') or mod == e for e in ENGINE) or name in ENGINE_NAMES:
                bad.append(f'{py.relative_to(ROOT)}: imports {full}')
    assert not bad, '\n'.join(bad)

def test_the_check_sees_relative_imports():
    "The parser resolves `from ..trace import run` to lensbook.trace (so the test above cannot pass vacuously)."
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        f = pathlib.Path(d)/'x.py'
        f.write_text('from ..trace import run\nfrom .base import View\nimport lensbook.trace\n')
        assert list(_imports(f)) == [('lensbook.trace', 'run'), ('lensbook.widgets.base', 'View'), ('lensbook.trace', None)]
