"""Engine semantics that cut across families: read-after-edit, stopping, encoder sites, generation."""
import torch
from lensbook.models import tiny, tokenize
from lensbook.trace import run, hooks, replace, add, transform, all_hooks

def test_read_sees_the_edit_at_the_same_site():
    m = tiny('gpt2')
    tr = run(m, 'abc', read=['resid_post.0', 'q.1', 'k.1'], edit=[replace('resid_post.0', 1.), replace('q.1', 2., unit=0)])
    assert torch.all(tr['resid_post.0'] == 1.)
    assert torch.all(tr['q.1'][:, :, 0] == 2.) and not torch.all(tr['q.1'][:, :, 1] == 2.)
    clean = run(m, 'abc', read='k.1')['k.1']
    torch.testing.assert_close(tr['k.1'], run(m, 'abc', read='k.1', edit=replace('resid_post.0', 1.))['k.1'])
    assert not torch.allclose(tr['k.1'], clean)  # the fused-projection edit of q leaves k as the stream makes it

def test_final_without_final_norm_sees_resid_post_edit():
    m = tiny('bert')  # no final norm: 'final' is the last block's output
    tr = run(m, 'abc', read=['final'], edit=add('resid_post.1', 5.))
    torch.testing.assert_close(tr['final'], run(m, 'abc', read='resid_post.1')['resid_post.1'] + 5.)

def test_stop_on_encoder_sites_and_on_embed():
    m = tiny('bart')
    tr = run(m, 'abc', read=['enc.resid_post.0', 'enc.embed'], stop=True)
    assert tr.output is None and tr['enc.resid_post.0'].shape == (1, 3, 64)
    tr = run(m, 'abc', read=['enc.final', 'resid_post.0'], stop=True)  # decoder site: the encoder runs fully
    assert tr.output is None and tr['resid_post.0'].shape == (1, 1, 64)
    assert run(tiny('llama'), 'abc', read='embed', stop=True).output is None
    assert all_hooks(m.model) == 0

def test_stop_does_not_change_reads():
    m = tiny('qwen2')
    full = run(m, 'hello', read=['resid_post.0', 'pattern.0'])
    part = run(m, 'hello', read=['resid_post.0', 'pattern.0'], stop=True)
    assert torch.equal(full['resid_post.0'], part['resid_post.0']) and torch.equal(full['pattern.0'], part['pattern.0'])

def test_position_edit_during_generation_hits_that_position_once():
    m = tiny('llama')
    ids = tokenize(m, 'Hi')['input_ids']
    with hooks(m, read='resid_post.0', edit=replace('resid_post.0', 7., pos=3)) as tr:
        m.model.generate(ids, max_new_tokens=4, do_sample=False)
    r = tr['resid_post.0'][0]  # [pos, d]: prompt (2) + 3 fed-back tokens
    assert r.shape[0] == 5 and torch.all(r[3] == 7.) and not torch.any(r[[0, 1, 2, 4]] == 7.)

def test_fused_qkv_views_cut_the_right_slices():
    "GPT-2 and GPT-NeoX fuse q/k/v differently: zeroing q (or k) makes attention uniform, zeroing v zeroes head_out."
    for fam in ('gpt2', 'gpt_neox', 'llama'):
        m = tiny(fam)
        n = 4
        uniform = torch.tril(torch.ones(n, n)) / torch.arange(1, n + 1)[:, None]
        for qk in ('q.0', 'k.0'):
            p = run(m, 'abcd', read='pattern.0', edit=replace(qk, 0.))['pattern.0']
            torch.testing.assert_close(p[0], uniform.expand_as(p[0]), atol=1e-6, rtol=0)
        z = run(m, 'abcd', read=['head_out.0', 'pattern.0'], edit=replace('v.0', 0.))
        torch.testing.assert_close(z['head_out.0'], torch.zeros_like(z['head_out.0']))
        assert not torch.allclose(z['pattern.0'][0], uniform.expand_as(z['pattern.0'][0]))

def test_edit_layers_are_normalised_and_expanded():
    m = tiny('llama')
    neg = run(m, 'abc', read='resid_post.1', edit=replace('resid_post.-1', 3.))
    assert torch.all(neg['resid_post.1'] == 3.)
    every = run(m, 'abc', read=['attn_out.0', 'attn_out.1'], edit=replace('attn_out', 0.))
    assert torch.all(every['attn_out.0'] == 0.) and torch.all(every['attn_out.1'] == 0.)
    assert torch.equal(every.logits, run(m, 'abc', edit=[replace('attn_out.0', 0.), replace('attn_out.1', 0.)]).logits)
