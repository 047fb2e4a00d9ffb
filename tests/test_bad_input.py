"""The project's bad-input suite: every misuse gets the right exception, a message that names the bad value, and
leaves the model exactly as it was.

Cases live in `tests/cases_bad_input_*.py`, one file per area, each defining
`CASES = [(case_id, call, exception_type, message_substring), ...]` where `call(m)` misuses lensbook on the fixture
model `m` (a tiny Llama, 2 layers, 4 heads, d_model 64, d_mlp 128, whose tokenizer has one added markup token).
After each case the model must be pristine: no hook left, weights, grads and flags unchanged, the same attention
implementation, no lock held, and bit-identical logits on a fixed input.
"""
import importlib.util, pathlib, pytest, torch
import lensbook as lb
from lensbook.trace import all_hooks

MARKUP = '<img src=x onerror=alert(1)>'
HERE = pathlib.Path(__file__).parent

def _load_cases():
    cases = []
    for f in sorted(HERE.glob('cases_bad_input_*.py')):
        spec = importlib.util.spec_from_file_location(f.stem, f)
        mod = importlib.util.module_from_spec(spec); spec.loader.exec_module(mod)
        area = f.stem.removeprefix('cases_bad_input_')
        cases += [pytest.param(call, exc, msg, id=f'{area}:{cid}') for cid, call, exc, msg in mod.CASES]
    return cases

CASES = _load_cases()

@pytest.fixture(scope='module')
def m():
    m = lb.tiny('llama')
    m.tokenizer.add_tokens([MARKUP])
    m.model.resize_token_embeddings(len(m.tokenizer))
    return m

def _snapshot(m):
    mod = m.model
    return dict(weights={k: v.detach().clone() for k, v in mod.state_dict().items()},
                flags=(mod.training, getattr(mod.config, '_attn_implementation', None),
                       [(n, p.requires_grad, p.grad is None, p.dtype, str(p.device)) for n, p in mod.named_parameters()],
                       [type(x).__name__ for x in mod.modules()], 'forward' in mod.__dict__),
                logits=lb.run(m, 'The cat sat on the mat').logits.clone())

@pytest.fixture(scope='module')
def pristine(m): return _snapshot(m)

def _check_pristine(m, before):
    assert all_hooks(m.model) == 0, f'{all_hooks(m.model)} hook(s) left on the model'
    lock = getattr(m, 'lock', None)
    if lock is not None:
        assert lock.acquire(blocking=False), 'the model lock is still held'
        lock.release()
    now = _snapshot(m)
    assert now['flags'] == before['flags'], 'model flags, grads, dtypes or modules changed'
    changed = [k for k, v in before['weights'].items() if not torch.equal(v, now['weights'][k])]
    assert not changed, f'weights changed: {changed[:5]}'
    assert torch.equal(now['logits'], before['logits']), 'logits changed'

def test_enough_cases():
    assert len(CASES) >= 120, f'only {len(CASES)} bad-input cases'
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids)), 'duplicate case ids'

@pytest.mark.parametrize('call, exc, msg', CASES)
def test_bad_input(m, pristine, call, exc, msg):
    with pytest.raises(exc) as e: call(m)
    assert msg in str(e.value), f'message {str(e.value)!r} does not contain {msg!r}'
    _check_pristine(m, pristine)
