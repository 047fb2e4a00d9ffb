"""A model split across devices with `accelerate`'s device_map gives what the unsplit model gives: SmolLM2 with most of
its blocks offloaded to disk (`max_memory` forces them off the CPU), checked against the whole model on one device for
reads, edits, attention edits, the logit lens, patching, collection and `generate` with steering. accelerate's own
hooks stay in place and are never counted as lensbook's."""
import pytest, torch
import lensbook as lb
from lensbook.trace import all_hooks

P = 'The capital of France is'

@pytest.fixture(scope='module')
def split(tmp_path_factory):
    m = lb.load('smollm2', device_map='auto', max_memory={'cpu': '250MB'}, offload_folder=str(tmp_path_factory.mktemp('offload')))
    return m

def _accelerate_hooks(model) -> int: return sum(hasattr(mod, '_hf_hook') for mod in model.modules())

def test_the_split_is_real(split):
    where = set(split.model.hf_device_map.values())
    assert 'disk' in where and 'cpu' in where, split.model.hf_device_map
    assert _accelerate_hooks(split.model) > 0 and all_hooks(split.model) == 0

def test_same_fingerprint(split, smollm2):
    "Artefacts made on the whole model (lenses, stores, probes) are recognised on the split one: offloaded weights are read from disk."
    from lensbook.models import fingerprint
    assert any(p.device.type == 'meta' for p in split.model.parameters())
    assert fingerprint(split) == fingerprint(smollm2)

def test_reads_and_edits_equal(split, smollm2):
    sites = ['resid_post.3', 'resid_post.20', 'pattern.25', 'neurons.28', 'rot_q.10', 'logits']
    a, b = lb.run(smollm2, P, read=sites), lb.run(split, P, read=sites)
    for s in sites: torch.testing.assert_close(b[s], a[s], rtol=0, atol=1e-6)
    for e in [lb.replace('head_out.22', 0., unit=[1, 2]), lb.add('resid_post.12', torch.ones(576), pos=-1),
              lb.knockout('pattern', keys=[1]), lb.interpolate('pattern.5', 'uniform', alpha=0.5)]:
        torch.testing.assert_close(lb.run(split, P, edit=e).logits, lb.run(smollm2, P, edit=e).logits, rtol=0, atol=1e-5)
    n = _accelerate_hooks(split.model)
    assert all_hooks(split.model) == 0 and _accelerate_hooks(split.model) == n   # theirs kept, ours gone

def test_lens_and_patching_equal(split, smollm2):
    a, b = lb.logit_lens(smollm2, P, targets=' Paris'), lb.logit_lens(split, P, targets=' Paris')
    assert torch.equal(a.top_ids, b.top_ids)
    torch.testing.assert_close(b.target_lp, a.target_lp, rtol=0, atol=1e-5)
    clean, corrupt = 'The Eiffel Tower is in the city of', 'The Colosseum is in the city of'
    if len(smollm2.tokenizer(clean)['input_ids']) != len(smollm2.tokenizer(corrupt)['input_ids']): corrupt = 'The Colosseum stands in the city of'
    metric = lb.logit_diff(smollm2, ' Paris', ' Rome')
    pa = lb.patch(smollm2, clean, corrupt, metric, sites='resid_pre', pos=[-1])
    pb = lb.patch(split, clean, corrupt, lb.logit_diff(split, ' Paris', ' Rome'), sites='resid_pre', pos=[-1])
    torch.testing.assert_close(pb.values, pa.values, rtol=0, atol=1e-4)

def test_collection_and_generate_equal(split, smollm2):
    texts = ['The cat sat on the mat.', 'Paris is in France', 'One, two, three']
    a = lb.collect(smollm2, texts, sites=['resid_post.5', 'resid_post.27'], reduce='mean', progress=False)
    b = lb.collect(split, texts, sites=['resid_post.5', 'resid_post.27'], reduce='mean', progress=False)
    for s in ['resid_post.5', 'resid_post.27']: torch.testing.assert_close(b[s], a[s], rtol=0, atol=1e-5)
    steer = 4 * lb.run(smollm2, 'Paris, France', read='resid_post.12')['resid_post.12'][0, -1]
    outs = []
    for m in (smollm2, split):
        with lb.hooks(m, edit=lb.add('resid_post.12', steer)):
            outs.append(m.model.generate(**lb.tokenize(m, 'I think that'), max_new_tokens=8, do_sample=False))
    assert torch.equal(outs[0], outs[1])
    assert all_hooks(split.model) == 0 and all_hooks(smollm2.model) == 0
