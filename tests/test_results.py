"""The result protocol (nbs/04_results.ipynb), checked on every Result subclass in the package.

Each area keeps the factories of its results in tests/factories_AREA.py: FACTORIES = {'ClassName': make}, where
make(m) returns (result, loader) for the fixture model `m` below and loader(path) re-loads a saved artefact
(None for results that are not artefacts). A Result subclass without a factory fails `test_every_result_has_a_factory`.
"""
import importlib, json, math, pkgutil, sys, pathlib
import pytest
sys.path.insert(0, str(pathlib.Path(__file__).parent))
MARKUP = '<img src=x onerror=alert(1)>'
AREAS = ('lens', 'probe', 'intervene', 'views')

def _factories() -> dict:
    out = {}
    for a in AREAS:
        try: mod = importlib.import_module(f'factories_{a}')
        except ModuleNotFoundError as e:
            if e.name != f'factories_{a}': raise
            continue
        clash = set(out) & set(mod.FACTORIES)
        assert not clash, f'factories for {clash} are defined twice'
        out.update(mod.FACTORIES)
    return out
FACTORIES = _factories()

def _result_classes() -> set:
    import lensbook
    from lensbook.results import Result
    for info in pkgutil.walk_packages(lensbook.__path__, 'lensbook.'):
        if not info.name.endswith(('__main__', 'cli')): importlib.import_module(info.name)
    seen, todo = set(), [Result]
    while todo:
        for c in todo.pop().__subclasses__():
            if c.__module__.startswith('lensbook.') and c not in seen: seen.add(c); todo.append(c)
    return {c for c in seen if not c.__name__.startswith('_')}   # private bases are not results of their own

@pytest.fixture(scope='module')
def m():
    "A tiny Llama whose tokenizer has the markup as one added token: token text that must be escaped everywhere."
    import lensbook as lb
    m = lb.tiny('llama')
    m.tokenizer.add_tokens([MARKUP])
    m.model.resize_token_embeddings(len(m.tokenizer))
    assert len(m.tokenizer(MARKUP, add_special_tokens=False)['input_ids']) == 1
    return m

def test_every_result_has_a_factory():
    names = {c.__name__ for c in _result_classes()}
    assert names, 'no Result subclass found'
    assert not names - set(FACTORIES), f'Result types without a protocol test factory: {sorted(names - set(FACTORIES))}'
    assert not set(FACTORIES) - names, f'factories for classes that are not Results: {sorted(set(FACTORIES) - names)}'

def _check_json(x, where='payload'):
    if isinstance(x, dict):
        for k, v in x.items():
            assert isinstance(k, str), f'{where}: key {k!r} is not a string'
            _check_json(v, f'{where}.{k}')
    elif isinstance(x, list):
        for i, v in enumerate(x): _check_json(v, f'{where}[{i}]')
    elif isinstance(x, float): assert math.isfinite(x), f'{where} is {x} (not JSON: use None)'
    else: assert x is None or isinstance(x, (str, int, bool, bytes)), f'{where} is a {type(x).__name__}'

def _no_bytes(x):
    if isinstance(x, dict): return {k: _no_bytes(v) for k, v in x.items()}
    if isinstance(x, list): return [_no_bytes(v) for v in x]
    return None if isinstance(x, bytes) else x

@pytest.mark.parametrize('name', sorted(FACTORIES))
def test_protocol(name, m, tmp_path):
    import matplotlib; matplotlib.use('Agg')
    import matplotlib.pyplot as plt, pandas as pd
    from lensbook.results import Result
    r, loader = FACTORIES[name](m)
    assert isinstance(r, Result) and type(r).__name__ == name
    df = r.df
    assert isinstance(df, pd.DataFrame) and len(df) > 0, f'{name}.df is not a non-empty DataFrame'
    ax = r.plot()
    assert isinstance(ax, matplotlib.axes.Axes), f'{name}.plot() returned {type(ax).__name__}, not an Axes'
    assert ax.lines or ax.images or ax.collections or ax.patches or ax.texts, f'{name}.plot() drew nothing'
    fig, given = plt.subplots()
    assert r.plot(ax=given) is given, f'{name}.plot(ax=...) does not draw on the Axes it is given'
    plt.close('all')
    p = r.payload()
    assert isinstance(p, dict) and p
    _check_json(p)
    json.dumps(_no_bytes(p))
    h = r._repr_html_()
    assert h == type(r).to_html(p), f'{name}._repr_html_ is not built from its payload'
    assert '<script' not in h.lower() and '<img' not in h, f'{name}: unescaped markup in the HTML'
    if loader is not None:
        path = tmp_path/f'{name}.v1'
        r.save(path)
        assert path.is_file() and [f.name for f in tmp_path.iterdir()] == [path.name], 'save must write exactly the path given'
        back = loader(path)
        assert type(back) is type(r)
        pd.testing.assert_frame_equal(back.df, r.df)
