"""Integrated gradients and gradient × activation against the live Captum, when the optional `peers` extra is
installed (`pip install -e .[peers]`); without it the recorded reference in tests/data/captum09.json (checked in
nbs/35_gradients.ipynb) stands in. Random prompts on a tiny Llama and a tiny GPT-2."""
import pytest, torch
import lensbook as lb

captum = pytest.importorskip('captum.attr')

@pytest.mark.parametrize('family', ['llama', 'gpt2'])
def test_ig_matches_captum(family):
    m = lb.tiny(family)
    ids = torch.randint(3, 250, (1, 9), generator=torch.Generator().manual_seed(1))
    tid = 7
    layer = m.model.get_input_embeddings()
    f = lambda x: m.model(input_ids=x).logits[:, -1, tid]
    want, delta = captum.LayerIntegratedGradients(f, layer).attribute(ids, baselines=torch.full_like(ids, 5), n_steps=24,
                                                                       method='gausslegendre', return_convergence_delta=True)
    got = lb.gradient_attribution(m, ids, tid, method='ig', steps=24, baseline=5)
    torch.testing.assert_close(got.scores['embed'][0], want[0].sum(-1).float(), rtol=1e-4, atol=1e-5)
    assert abs(got.completeness['embed'][0].item() - abs(float(delta))) < 1e-4
