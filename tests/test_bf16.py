"""Half precision on CPU: SmolLM2 loaded in bfloat16 runs every family of analysis and agrees with float32 to
bfloat16's precision (the lens computes log-probabilities in float32 after the head; stores are float32)."""
import pytest, torch
import lensbook as lb
from lensbook.trace import all_hooks

P = 'The Eiffel Tower is in the city of'

@pytest.fixture(scope='module')
def half():
    return lb.load('smollm2', dtype=torch.bfloat16)

def test_forward_and_lens(half, smollm2):
    assert half.dtype == torch.bfloat16
    a, b = lb.run(smollm2, P).logits[0, -1].softmax(-1), lb.run(half, P).logits[0, -1].float().softmax(-1)
    assert (a - b).abs().max() < 0.02
    la, lh = lb.logit_lens(smollm2, P, targets=' Paris'), lb.logit_lens(half, P, targets=' Paris')
    assert lh.target_lp.dtype == torch.float32 and torch.isfinite(lh.target_lp).all()
    assert la.top_ids[-1, 0, -1, 0] == lh.top_ids[-1, 0, -1, 0]                 # ' Paris' at the last layer in both
    assert (la.target_lp[-5:] - lh.target_lp[-5:]).abs().max() < 0.3         # bfloat16 logits: ~0.2 nats of rounding

def test_attribution_and_patching(half, smollm2):
    d = lb.logit_attribution(half, P, ' Paris', minus=' Rome')
    parts = d.payload()
    assert abs(parts['total'] - lb.logit_attribution(smollm2, P, ' Paris', minus=' Rome').payload()['total']) < 0.1
    pa = lb.patch(smollm2, P, 'The Colosseum is in the city of', lb.logit_diff(smollm2, ' Paris', ' Rome'), sites='resid_pre', pos=[-1])
    ph = lb.patch(half, P, 'The Colosseum is in the city of', lb.logit_diff(half, ' Paris', ' Rome'), sites='resid_pre', pos=[-1])
    assert (pa.values - ph.values.float()).abs().max() < 0.3
    g = lb.gradient_attribution(half, P, ' Paris')
    assert torch.isfinite(g.scores['embed']).all() and all(p.grad is None for p in half.model.parameters())

def test_collection_edits_and_units(half, smollm2):
    texts = ['The cat sat on the mat.', 'Paris is in France']
    st = lb.collect(half, texts, sites='resid_post.5', reduce='mean', progress=False)
    ref = lb.collect(smollm2, texts, sites='resid_post.5', reduce='mean', progress=False)
    assert st['resid_post.5'].dtype == torch.float32
    assert torch.nn.functional.cosine_similarity(st['resid_post.5'], ref['resid_post.5']).min() > 0.99
    ko = lb.run(half, P, edit=lb.knockout('pattern', keys=[1])).logits
    assert torch.isfinite(ko).all()
    am = lb.attention_mass(half, [P])
    assert (am.mass.sum(-1) - 1).abs().max() < 1e-2
    assert lb.head_detectors(half, n=20, batch_size=2).top()[0][:2] == lb.head_detectors(smollm2, n=20, batch_size=2).top()[0][:2]
    te = lb.top_examples(half, texts, 'neurons.20', unit=3, progress=False)
    assert te.top and torch.isfinite(torch.tensor(te.top[0]['value']))
    steer = lb.steering_vector(half, ['I love it'], ['I hate it'], 'resid_post.10')
    with lb.hooks(half, edit=lb.add('resid_post.10', 4 * steer.vector)):
        out = half.model.generate(**lb.tokenize(half, 'I think that'), max_new_tokens=4, do_sample=False)
    assert out.shape[1] > 4 and all_hooks(half.model) == 0
