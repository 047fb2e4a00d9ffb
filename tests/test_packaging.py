"""Packaging and layering: a light import, one hook engine, no architecture names outside the map."""
import pathlib, re, subprocess, sys
ROOT = pathlib.Path(__file__).parents[1]

def test_import_is_light():
    code = "import sys, lensbook; print('torch' in sys.modules, 'transformers' in sys.modules, lensbook.__version__)"
    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, check=True).stdout.split()
    assert out[:2] == ['False', 'False'], out

def test_lazy_api_names_resolve():
    """Every public name resolves to what its module defines, also after every submodule is imported (no name is
    shadowed by a submodule of the same name, which Python would set on the package at first import)."""
    import importlib, types, lensbook
    for mod in set(lensbook._WHERE.values()): importlib.import_module(f'lensbook.{mod}')
    for name, mod in lensbook._WHERE.items():
        got = getattr(lensbook, name)
        assert not isinstance(got, types.ModuleType) and got is getattr(importlib.import_module(f'lensbook.{mod}'), name), name

def test_setup_has_no_pkg_resources():
    assert not re.search(r'^\s*(import|from) pkg_resources', (ROOT/'setup.py').read_text(), re.M)

def test_hooks_registered_only_in_the_engine():
    "One hook engine: only lensbook/trace.py registers hooks (arch.validate reads with its own, removed in finally)."
    for f in (ROOT/'lensbook').rglob('*.py'):
        n = len(re.findall(r'register_forward(_pre)?_hook', f.read_text()))
        if f.name not in ('trace.py', 'arch.py'): assert n == 0, f

def test_architecture_names_only_in_the_map():
    pat = re.compile(r'transformer\.h\b|model\.layers|\.self_attn\b|gpt_neox\.|encoder\.layer\b')
    for f in (ROOT/'lensbook').rglob('*.py'):
        if f.name in ('arch.py', '_modidx.py'): continue
        assert not pat.search(f.read_text()), f

def test_single_quarto_config():
    link = ROOT/'nbs'/'_quarto.yml'
    assert link.is_symlink() and link.resolve() == (ROOT/'_quarto.yml').resolve()

def test_ci_runs_the_readme_test_command():
    assert 'make test' in (ROOT/'.ci'/'run').read_text() and 'make test' in (ROOT/'README.md').read_text()
    assert 'pip install -q torch==2.13.0' in (ROOT/'Makefile').read_text()

def test_readme_example_runs(smollm2, monkeypatch, tmp_path):
    "The README's example is real code: run it (on the already loaded SmolLM2, in a scratch folder) and check what it claims."
    import lensbook
    monkeypatch.chdir(tmp_path)
    text = (ROOT/'README.md').read_text()
    code = text.split('```python\n', 1)[1].split('```', 1)[0]
    monkeypatch.setattr(lensbook, 'load', lambda name: smollm2, raising=False)
    ns = {'lensbook': lensbook}
    exec(code.replace('import lensbook as lb', 'lb = lensbook'), ns)
    assert [smollm2.tokenizer.decode(t) for t in ns['probs'].argmax(-1)][-1] == ' Paris'
    assert ns['out'].shape[1] > ns['tr'].inputs['input_ids'].shape[1]
    assert not torch_equal(ns['ablated'].logits, ns['tr'].logits)
    assert ns['r'].top(29)[0][0] == ' Paris' and len(ns['gen'].premature) == len(ns['gen'].tokens) > 0
    assert len(ns['mean_mlp']) == 30 and ns['p'].shape == (smollm2.arch.d_vocab,)
    assert ns['acts'].stack().shape == (30, 200, 576) and ns['rep'].df.acc.max() > 0.8
    assert (tmp_path/'probes'/'number.v1').is_file() and ns['back'].df.equals(ns['rep'].df)
    import matplotlib.pyplot as plt; plt.close('all')

def test_readme_widget_example_runs(smollm2, monkeypatch):
    "The README's widget example builds its three views (a fresh tuned lens stands in for the cached trained one)."
    import lensbook
    code = (ROOT/'README.md').read_text().split('```python\n')[2].split('```', 1)[0]
    assert 'LensView' in code, 'the second python block of the README is the widget example'
    monkeypatch.setattr(lensbook, 'load', lambda name: smollm2, raising=False)
    monkeypatch.setattr(lensbook, 'tuned_lens', lambda m: lensbook.TunedLens(m), raising=False)
    ns = {'lb': lensbook, 'm': smollm2}
    views = [eval(line.split('#')[0], ns) for line in code.strip().splitlines()]
    assert [type(v).__name__ for v in views] == ['LensView', 'AttentionView', 'InterventionPanel']
    assert views[0].result.top(29)[0][0] == ' Paris' and views[0].lenses == ['logit lens', 'tuned lens']
    assert len(views[1].tokens) == 5 and views[2].wait()
    assert 'Paris' in str(views[2].outcome.data) and views[2].outcome.error == ''

def torch_equal(a, b):
    import torch
    return a.shape == b.shape and torch.equal(a, b)

def test_command_line_entry_points():
    "`lensbook` (console script) and `python -m lensbook` both answer --help; a bad command exits non-zero."
    import shutil
    exe = shutil.which('lensbook', path=str(pathlib.Path(sys.executable).parent))
    assert exe, 'the lensbook console script is not installed (pip install -e .)'
    for cmd in ([exe, '--help'], [sys.executable, '-m', 'lensbook', '--help']):
        out = subprocess.run(cmd, capture_output=True, text=True)
        assert out.returncode == 0 and 'train-lens' in out.stdout, out
    assert subprocess.run([sys.executable, '-m', 'lensbook', 'nonsense'], capture_output=True).returncode != 0
