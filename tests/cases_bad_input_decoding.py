"""Bad input for the layer decoders (nbs/14_decoding): dola, contrast_decode, greedy.

`CASES = [(case_id, call(m), exception type, message substring)]` for tests/test_bad_input.py; `m` is the fixture tiny
Llama (2 layers, untied embeddings: its buckets are 'low' = [resid_pre.0], 'high' = [resid_pre.1]).
"""
import torch
import lensbook as lb
from lensbook.core import SiteError

nan, inf = float('nan'), float('inf')

CASES = [
    # candidates
    ('dola-unknown-bucket', lambda m: lb.dola(m, 'hi', 'middle'), SiteError, "'middle'"),
    ('dola-bucket-typo', lambda m: lb.dola(m, 'hi', 'hgih'), SiteError, "got 'hgih' (did you mean 'high'?)"),
    ('dola-last-layer', lambda m: lb.dola(m, 'hi', ['resid_post.1']), ValueError, 'cannot be the last layer (resid_post.1'),
    ('dola-every-resid-post', lambda m: lb.dola(m, 'hi', 'resid_post'), ValueError, 'cannot be the last layer (resid_post.1'),
    ('dola-layer-out-of-range', lambda m: lb.dola(m, 'hi', 'resid_pre.7'), IndexError, 'layer 7 is out of range'),
    ('dola-int-candidates', lambda m: lb.dola(m, 'hi', [0, 1]), TypeError, "got [0, 1]. transformers' dola_layers=[i]"),
    ('dola-one-int', lambda m: lb.dola(m, 'hi', 1), TypeError, 'not numbers: got 1'),
    ('dola-range-candidates', lambda m: lb.dola(m, 'hi', range(2)), TypeError, 'got range(0, 2)'),
    ('dola-wrong-kind', lambda m: lb.dola(m, 'hi', 'mlp_out.0'), SiteError, "got 'mlp_out.0'"),
    ('dola-no-candidates', lambda m: lb.dola(m, 'hi', []), SiteError, 'needs at least one site'),
    ('dola-empty-tied-bucket', lambda m: lb.dola(lb.tiny('gpt2', n_layer=3), 'hi', 'low'), ValueError, "'low' bucket is empty on this 3-layer"),
    # numbers
    ('dola-alpha-zero', lambda m: lb.dola(m, 'hi', alpha=0), ValueError, 'alpha must be in (0, 1], got 0.0'),
    ('dola-alpha-above-one', lambda m: lb.dola(m, 'hi', alpha=1.5), ValueError, 'alpha must be in (0, 1], got 1.5'),
    ('dola-alpha-negative', lambda m: lb.dola(m, 'hi', alpha=-0.1), ValueError, 'got -0.1'),
    ('dola-alpha-nan', lambda m: lb.dola(m, 'hi', alpha=nan), ValueError, 'alpha must be a finite number, got nan'),
    ('dola-alpha-str', lambda m: lb.dola(m, 'hi', alpha='0.1'), TypeError, "alpha must be a real number, got"),
    ('dola-penalty-zero', lambda m: lb.dola(m, 'hi', repetition_penalty=0), ValueError, 'repetition_penalty must be in (0, inf], got 0.0'),
    ('dola-penalty-negative', lambda m: lb.dola(m, 'hi', repetition_penalty=-1.2), ValueError, 'got -1.2'),
    ('dola-penalty-nan', lambda m: lb.dola(m, 'hi', repetition_penalty=nan), ValueError, 'repetition_penalty must be a finite number, got nan'),
    ('dola-penalty-inf', lambda m: lb.dola(m, 'hi', repetition_penalty=inf), ValueError, 'got inf'),
    ('greedy-penalty-zero', lambda m: lb.greedy(m, 'hi', repetition_penalty=0.0), ValueError, 'repetition_penalty must be in (0, inf], got 0.0'),
    ('greedy-penalty-nan', lambda m: lb.greedy(m, 'hi', repetition_penalty=nan), ValueError, 'got nan'),
    ('greedy-penalty-bool', lambda m: lb.greedy(m, 'hi', repetition_penalty=True), TypeError, 'repetition_penalty must be a real number, got'),
    ('contrast-penalty-negative', lambda m: lb.contrast_decode(m, 'hi', 'resid_pre.0', repetition_penalty=-1), ValueError, 'got -1.0'),
    ('greedy-tokens-float', lambda m: lb.greedy(m, 'hi', 1.5), TypeError, 'max_new_tokens must be an int, got'),
    ('greedy-tokens-negative', lambda m: lb.greedy(m, 'hi', -1), ValueError, 'max_new_tokens must be an int >= 1, got -1'),
    ('greedy-tokens-zero', lambda m: lb.greedy(m, 'hi', 0), ValueError, 'max_new_tokens must be an int >= 1, got 0'),
    ('greedy-tokens-str', lambda m: lb.greedy(m, 'hi', '8'), TypeError, "max_new_tokens must be an int, got"),
    ('dola-tokens-float', lambda m: lb.dola(m, 'hi', max_new_tokens=1.5), TypeError, 'max_new_tokens must be an int, got'),
    ('contrast-tokens-negative', lambda m: lb.contrast_decode(m, 'hi', 'resid_pre.0', -1), ValueError, 'got -1'),
    ('contrast-alpha-above-one', lambda m: lb.contrast_decode(m, 'hi', 'resid_pre.0', alpha=2), ValueError, 'alpha must be in (0, 1], got 2.0'),
    # options
    ('dola-divergence-typo', lambda m: lb.dola(m, 'hi', divergence='js'), ValueError, "divergence must be one of 'transformers', 'jsd'; got 'js'"),
    ('dola-lens-str', lambda m: lb.dola(m, 'hi', lens='tuned'), TypeError, "lens is a lens object (LogitLens(m), a TunedLens) or None for the raw head, got str: 'tuned'"),
    # the amateur of contrast_decode
    ('contrast-amateur-layerless', lambda m: lb.contrast_decode(m, 'hi', 'resid_post'), SiteError, "not 'resid_post'"),
    ('contrast-amateur-last-layer', lambda m: lb.contrast_decode(m, 'hi', 'resid_post.1'), ValueError, 'cannot be the last layer (resid_post.1'),
    ('contrast-amateur-int', lambda m: lb.contrast_decode(m, 'hi', 3), TypeError, 'got int: 3'),
    ('contrast-amateur-wrong-kind', lambda m: lb.contrast_decode(m, 'hi', 'attn_out.0'), SiteError, "got 'attn_out.0'"),
    ('contrast-amateur-two', lambda m: lb.contrast_decode(m, 'hi', ['resid_pre.0', 'resid_pre.1']), SiteError, 'takes one site, got 2'),
    # prompts
    ('dola-empty-prompt', lambda m: lb.dola(m, ''), ValueError, 'Prompt 0 is empty'),
    ('greedy-blank-prompt', lambda m: lb.greedy(m, '   '), ValueError, 'Prompt 0 is empty'),
    ('greedy-two-prompts', lambda m: lb.greedy(m, ['a', 'b']), ValueError, 'one prompt at a time, got 2'),
    ('greedy-ids-outside-vocab', lambda m: lb.greedy(m, torch.tensor([[1, 99999]])), ValueError, 'Token id 99999 is outside the vocabulary'),
    ('greedy-ids-negative', lambda m: lb.greedy(m, torch.tensor([-1, 3])), ValueError, 'Token id -1 is outside the vocabulary'),
    ('greedy-ids-float', lambda m: lb.greedy(m, torch.tensor([[1., 2.]])), TypeError, 'got torch.float32'),
    ('greedy-ids-empty', lambda m: lb.greedy(m, torch.zeros(1, 0, dtype=torch.long)), ValueError, 'The prompt has no tokens'),
    ('dola-ids-3d', lambda m: lb.dola(m, torch.ones(1, 1, 3, dtype=torch.long)), TypeError, 'of shape [1, 1, 3]'),
    ('greedy-encoder-decoder', lambda m: lb.greedy(lb.tiny('bart'), 'hi'), NotImplementedError, 'decoder-only'),
    ('spec-draft-zero', lambda m: lb.self_speculative(m, 'hi', 'resid_post.0', draft=0), ValueError, 'draft must be an int >= 1, got 0'),
    ('spec-draft-float', lambda m: lb.self_speculative(m, 'hi', 'resid_post.0', draft=2.5), TypeError, 'draft must be an int, got 2.5'),
    ('spec-tokens-negative', lambda m: lb.self_speculative(m, 'hi', 'resid_post.0', max_new_tokens=-1), ValueError, 'max_new_tokens must be an int >= 0, got -1'),
]
