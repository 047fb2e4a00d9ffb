"""Write lensbook/__init__.py, the lazy public façade, from the `__all__` of every module (read with `ast`, nothing imported).

    python tools/facade.py           # rewrite lensbook/__init__.py
    python tools/facade.py --check   # exit 1 if it is out of date (tests/test_packaging.py runs this)

Every name a module exports is reachable as `lensbook.NAME`, except the ones listed in PRIVATE below (each with
the reason). Two modules exporting the same public name is an error: one of them must be renamed.
"""
import ast, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PKG = ROOT/'lensbook'
SKIP = {'__init__', '__main__', '_modidx', 'cli'}     # not analysis modules: the façade itself, the command line
PRIVATE = {  # module -> names it exports for other modules of lensbook, not for users (why)
    'widgets.base': {'MODEL_LOCK', 'js_module', 'Runner'},   # the plumbing every view shares
    # the building blocks of a result's static HTML, for whoever writes a Result: `from lensbook.results import ...`
    'results': {'BLANK', 'CSS', 'colour', 'ink', 'scale', 'at', 'esc', 'frame', 'colourbar', 'grid_html',
                'tokens_html', 'bars_html', 'lines_html', 'jsonable'},
}

def exports() -> dict:
    "module (dotted, relative to lensbook) -> its public names, in the order of its __all__."
    out = {}
    for f in sorted(PKG.rglob('*.py')):
        mod = '.'.join(f.relative_to(PKG).with_suffix('').parts)
        if mod in SKIP or mod.endswith('__init__'): continue
        names = []
        for node in ast.parse(f.read_text()).body:
            if isinstance(node, ast.Assign) and any(getattr(t, 'id', None) == '__all__' for t in node.targets):
                names = list(ast.literal_eval(node.value))
        names = [n for n in names if n not in PRIVATE.get(mod, set())]
        if names: out[mod] = names
    return out

def clashes(api:dict) -> list[str]:
    "Names exported by two modules (each must be renamed: `lensbook.NAME` can mean one thing only)."
    seen, out = {}, []
    for mod, names in api.items():
        for n in names:
            if n in seen: out.append(f'{n!r} is exported by both lensbook.{seen[n]} and lensbook.{mod}: rename one of them')
            seen.setdefault(n, mod)
    return out

def render(api:dict) -> str:
    first = {}
    for mod, names in api.items():
        for n in names: first.setdefault(n, mod)
    api = {mod: [n for n in names if first[n] == mod] for mod, names in api.items()}
    version = next((l for l in (PKG/'__init__.py').read_text().splitlines() if l.startswith('__version__')), '__version__ = "0.1.0"')
    body = ',\n'.join(f'    {mod!r}: {names!r}' for mod, names in api.items())
    imports = '\n'.join(f'    from .{mod} import {", ".join(names)}' for mod, names in api.items())
    return f'''{version}
# The public API, written by tools/facade.py from each module's __all__ (do not edit by hand; run it after
# nbdev_export). `import lensbook` stays light: a name's module is imported when the name is first used.
from typing import TYPE_CHECKING
_API = {{
{body},
}}
_WHERE = {{name: mod for mod, names in _API.items() for name in names}}
__all__ = list(_WHERE)

if TYPE_CHECKING:  # what static tools and IDE completion see
{imports}

def __getattr__(name):
    if name in _WHERE:
        import importlib
        return getattr(importlib.import_module(f'{{__name__}}.{{_WHERE[name]}}'), name)
    raise AttributeError(f"module 'lensbook' has no attribute {{name!r}}")

def __dir__(): return sorted(list(globals()) + __all__)
'''

if __name__ == '__main__':
    api = exports()
    problems = clashes(api)
    for p in problems: print(p, file=sys.stderr)
    text = render(api)
    if '--check' in sys.argv:
        if (PKG/'__init__.py').read_text() != text:
            sys.exit('lensbook/__init__.py is out of date: run `python tools/facade.py`')
        if problems: sys.exit(1)
    else: (PKG/'__init__.py').write_text(text)
