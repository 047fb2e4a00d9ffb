"""Protocol-test factories for the interventions area (nbs/30_intervene, 31_layers, 32_patching, 34_attribution): see tests/test_results.py."""
import torch
MARKUP = '<img src=x onerror=alert(1)>'
TEXT = [f'{MARKUP} hello there my friend, how are you today? {MARKUP}', f'the quick brown fox {MARKUP} jumps over the lazy dog again']

def _pair(m):
    "Clean and corrupt token ids of one length, the markup token among them."
    from lensbook.models import tokenize
    c = tokenize(m, f'{MARKUP} hello world')['input_ids']
    x = c.clone(); x[0, -1] = (int(x[0, -1]) + 1) % len(m.tokenizer)
    return c, x

def patch_result(m):
    import lensbook as lb
    c, x = _pair(m)
    return lb.patch(m, c, x, lb.logit_diff(m, 'a', 'b'), 'resid_pre'), None

def steering(m):
    import lensbook as lb
    v = lb.steering_vector(m, [f'{MARKUP} good day', 'nice'], ['bad day', f'mean {MARKUP}'], 'resid_post.0')
    return v, lambda path: lb.load_steering(path, m)

def steer_sweep(m):
    import lensbook as lb
    f = lambda logits: logits[:, 3] - logits[:, 4]
    return lb.steer_sweep(m, [f'{MARKUP} good day', 'nice'], ['bad day', 'mean'], f'{MARKUP} hello', f, 'resid_pre', [-2, 0, 2]), None

def redundancy(m):
    import lensbook as lb
    return lb.redundancy(m, TEXT, seq_len=8, max_tokens=32), None

def layer_loss(m):
    import lensbook as lb
    return lb.sweep_skip(m, TEXT, seq_len=8, max_tokens=32), None

def logit_attribution(m):
    import lensbook as lb
    return lb.logit_attribution(m, [f'{MARKUP} hello world', 'the fox'], [MARKUP, 'a'], minus='b', pos=[0, -1]), None

def gradient_attribution(m):
    import lensbook as lb
    return lb.gradient_attribution(m, [f'{MARKUP} hello world', 'the fox'], [MARKUP, 'a'], sites=['embed', 'head_out.0', 'neurons.1'], method='ig', steps=4), None

def faithfulness(m):
    import lensbook as lb
    a = lb.gradient_attribution(m, [f'{MARKUP} hello world', 'the fox jumps'], MARKUP)
    return lb.faithfulness(m, a, n_random=1), None

FACTORIES = {'Attribution': gradient_attribution, 'Faithfulness': faithfulness, 'LogitAttribution': logit_attribution, 'PatchResult': patch_result, 'Steering': steering, 'SteerSweep': steer_sweep, 'Redundancy': redundancy,
             'LayerLoss': layer_loss}

def sublayer_redundancy(m):
    import lensbook as lb
    return lb.sublayer_redundancy(m, TEXT, seq_len=8, max_tokens=32), None

def sublayer_drop(m):
    import lensbook as lb
    return lb.drop_search(m, ks=[0, 1, 2], texts=TEXT, seq_len=8, max_tokens=32, reps=1, speed_tokens=8), None

FACTORIES.update(SublayerRedundancy=sublayer_redundancy, SublayerDrop=sublayer_drop)
