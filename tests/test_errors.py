"""Bad input gets a clear error naming the bad value and what is allowed, and leaves the model untouched."""
import pytest, torch
from torch import nn
from lensbook.models import tiny, load
from lensbook.arch import arch_of
from lensbook.trace import run, hooks, replace, add, transform, all_hooks, Edit

@pytest.fixture(scope='module')
def m(): return tiny('llama')

@pytest.mark.parametrize('kw, msg', [
    (dict(read='resid_pots.0'), "Unknown site 'resid_pots'. Did you mean 'resid_post'?"),
    (dict(read='attention.0'), 'Valid sites: embed, resid_pre'),
    (dict(read='resid_post.2'), 'layer 2 is out of range: there are 2'),
    (dict(read='resid_post.-3'), 'layer -3 is out of range'),
    (dict(read='logits.1'), "Site 'logits' is not per layer"),
    (dict(read='enc.resid_post.0'), "('enc.' is for encoder-decoder models)"),
    (dict(edit=replace('head_out.0', 0., unit=4)), 'head 4 is out of range: there are 4'),
    (dict(edit=replace('k.0', 0., unit=2)), 'head 2 is out of range: there are 2'),  # 2 key/value heads
    (dict(edit=replace('neurons.1', 0., unit=[0, 500])), 'neuron 500 is out of range: there are 128'),
    (dict(edit=replace('resid_post.0', 0., rows=3)), 'row 3 is out of range: there are 1'),
    (dict(edit=replace('resid_post.0', torch.zeros(3, 64))), 'wrong shape: the picked part has shape [1, 4, 64]'),
    (dict(edit=add('q.0', torch.zeros(5))), 'wrong shape'),
    (dict(edit=replace('resid_post.0', 0., pos=9)), 'position 9 is out of range for resid_post.0: the input has 4 tokens'),
    (dict(edit=transform('mlp_out.0', lambda x: x[..., :3])), 'must return a tensor of shape [1, 4, 64]'),
])
def test_bad_reads_and_edits(m, kw, msg):
    before = run(m, 'abcd').logits
    with pytest.raises((ValueError, IndexError, KeyError)) as e: run(m, 'abcd', **kw)
    assert msg in str(e.value)
    assert all_hooks(m.model) == 0 and torch.equal(run(m, 'abcd').logits, before)

@pytest.mark.parametrize('prompts, exc, msg', [
    ('', ValueError, 'Prompt 0 is empty'), ('   ', ValueError, 'Prompt 0 is empty'),
    ([], ValueError, 'No prompts given'), (None, TypeError, 'A prompt is a string or a list of strings'),
    (['ok', 7], TypeError, 'Prompt 1 is a int, not a string'), (torch.zeros(1, 0, dtype=torch.long), ValueError, 'Empty input'),
])
def test_bad_prompts(m, prompts, exc, msg):
    with pytest.raises(exc, match=None) as e: run(m, prompts, read='resid_post.0')
    assert msg in str(e.value)

def test_positions_need_equal_lengths(m):
    with pytest.raises(ValueError, match=r'different token lengths \[2, 5\]'):
        run(m, ['ab', 'abcde'], edit=replace('resid_post.0', 0., pos=1))
    run(m, ['ab', 'abcde'], edit=replace('resid_post.0', 0.))  # all positions: fine

def test_bad_edit_specs():
    with pytest.raises(ValueError, match="A 'mask' edit acts on a 'pattern' site"): Edit('resid_post.0', 'mask', lambda q, k: None)
    with pytest.raises(ValueError, match="picks heads, neurons or vocabulary entries; site 'resid_post' has none"):
        replace('resid_post.0', 0., unit=1)
    with pytest.raises(TypeError, match='needs a function'): transform('resid_post.0', 3)

def test_resid_mid_on_parallel_block():
    with pytest.raises(ValueError, match='run in parallel'): run(tiny('phi'), 'ab', read='resid_mid.0')

def test_logits_on_headless_model(minilm):
    with pytest.raises(ValueError, match="has no unembedding, so it has no 'logits' site"): run(minilm, 'hi', read='logits')

def test_unsupported_models():
    from transformers import AutoConfig, AutoModelForCausalLM
    with pytest.raises(NotImplementedError, match='not a transformers PreTrainedModel'): arch_of(nn.Linear(3, 3))
    cfg = AutoConfig.for_model('mamba', hidden_size=32, num_hidden_layers=2, vocab_size=64, state_size=4)
    with pytest.raises(NotImplementedError) as e: arch_of(AutoModelForCausalLM.from_config(cfg))
    s = str(e.value)
    assert "Unsupported model MambaForCausalLM (model_type 'mamba')" in s and 'missing: attention module' in s
    assert "'blocks': 'layers'" in s  # says what it did find

def test_bad_load_arguments():
    with pytest.raises(TypeError, match='load\\(\\) takes a model name'): load(3.5)
    with pytest.raises(OSError, match="Could not load 'no/such-model-here'"): load('no/such-model-here')
    with pytest.raises(ValueError, match="did you mean 'gpt2'"): load('tiny-gpt3')

def test_exception_inside_with_leaves_no_trace(m):
    before = run(m, 'abcd').logits
    state = (m.model.training, [p.requires_grad for p in m.model.parameters()], m.model.config._attn_implementation)
    w = {k: v.clone() for k, v in m.model.state_dict().items()}
    with pytest.raises(RuntimeError, match='user error'):
        with hooks(m, read=['pattern.0', 'resid_post'], edit=add('resid_post.0', 1.)):
            m.model(torch.tensor([[1, 2, 3]]))
            raise RuntimeError('user error')
    assert all_hooks(m.model) == 0
    assert (m.model.training, [p.requires_grad for p in m.model.parameters()], m.model.config._attn_implementation) == state
    assert all(torch.equal(w[k], v) for k, v in m.model.state_dict().items())
    assert torch.equal(run(m, 'abcd').logits, before)

# --- the one API surface: every analysis checks its `sites` at its boundary and says what to write ---------------
import lensbook as _lb

def _tiny():
    return _lb.tiny('llama')

@pytest.mark.parametrize('call, msg', [
    (lambda m: _lb.logit_lens(m, 'ab', sites='pattern.0'), "logit_lens takes sites of kind"),
    (lambda m: _lb.logit_lens(m, 'ab', sites='resid_post.7'), 'layer 7 is out of range'),
    (lambda m: _lb.ablation(m, 'mlp_out', how='bogus'), "'bogus'"),
    (lambda m: _lb.ablation(m, 'mlp_out', how='mean'), 'reference'),
    (lambda m: _lb.steering_vector(m, ['a'], ['b'], 'resid_post'), "write 'resid_post.L'"),
    (lambda m: _lb.patch(m, 'ab', 'cd', 'kl', sites=['attn_out.0', 'mlp_out.0']), 'one site kind'),
    (lambda m: _lb.patch(m, 'ab', 'abc', 'kl', sites='attn_out'), 'different token lengths'),
    (lambda m: _lb.collect(m, ['ab'], 'resid_post', reduce='bogus', progress=False), "'bogus'"),
    (lambda m: _lb.neuron_tokens(m, 'neurons'), "write 'neurons.L'"),
    (lambda m: _lb.attention(m, 'ab', sites='resid_post'), 'pattern'),
])
def test_analyses_refuse_bad_sites_and_modes(call, msg):
    m = _tiny()
    with pytest.raises((ValueError, IndexError, TypeError, KeyError)) as e: call(m)
    assert msg in str(e.value), str(e.value)
    assert _lb.all_hooks(m.model) == 0

def test_retired_argument_names_say_the_new_one():
    m = _tiny()
    with pytest.raises(TypeError) as e: _lb.logit_lens(m, 'ab', layers=[0])
    assert 'sites' in str(e.value)

def test_an_artefact_of_another_kind_is_refused(tmp_path):
    m = _tiny()
    v = _lb.steering_vector(m, ['good'], ['bad'], 'resid_post.0')
    v.save(tmp_path/'v.steer')
    with pytest.raises(ValueError, match="holds 'lensbook.steering/1', not a probe"): _lb.load_probe(tmp_path/'v.steer', m)
    other = _lb.tiny('llama', seed=1)
    with pytest.raises(ValueError, match='another model'): _lb.load_steering(tmp_path/'v.steer', other)
    assert _lb.load_steering(tmp_path/'v.steer', m).df.equals(v.df)
