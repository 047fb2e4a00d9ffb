"""Bad input to self-speculative decoding and the skip-set search (lensbook.speculative), on the tiny Llama (2 layers)."""
import torch
import lensbook as lb

CASES = [
    # the draft: block indices, an exit site or a search result
    ('skip-out-of-range', lambda m: lb.self_speculative(m, 'hi', [2]), IndexError, 'skip 2 is out of range: there are 2 (skip 0..1'),
    ('skip-negative-out-of-range', lambda m: lb.self_speculative(m, 'hi', [-3]), IndexError, 'skip -3 is out of range'),
    ('skip-float', lambda m: lb.self_speculative(m, 'hi', 1.0), TypeError, "skip is a list of block indices, an exit site 'resid_post.k' or a SkipSearch, got 1.0"),
    ('skip-float-in-list', lambda m: lb.self_speculative(m, 'hi', [0, 1.5]), TypeError, 'skip index must be an int, got 1.5'),
    ('skip-none', lambda m: lb.self_speculative(m, 'hi', None), TypeError, 'skip is a list of block indices'),
    ('skip-bool', lambda m: lb.self_speculative(m, 'hi', True), TypeError, 'got True'),
    ('skip-dict', lambda m: lb.self_speculative(m, 'hi', {'skip': [1]}), TypeError, "got {'skip': [1]}"),
    ('skip-site-typo', lambda m: lb.self_speculative(m, 'hi', 'resid_psot.0'), ValueError, "Unknown site 'resid_psot'. Did you mean 'resid_post'?"),
    ('skip-site-kind', lambda m: lb.self_speculative(m, 'hi', 'mlp_out.0'), ValueError, 'resid_post'),
    ('skip-site-every-layer', lambda m: lb.self_speculative(m, 'hi', 'resid_post'), ValueError, "write 'resid_post.L'"),
    ('skip-site-last-layer', lambda m: lb.self_speculative(m, 'hi', 'resid_post.1'), ValueError, 'an exit site is resid_post.0..resid_post.0 (resid_post.1 is the full model)'),
    ('skip-site-out-of-range', lambda m: lb.self_speculative(m, 'hi', 'resid_post.7'), IndexError, 'layer 7 is out of range'),
    # draft lengths and flags
    ('draft-zero', lambda m: lb.self_speculative(m, 'hi', [1], draft=0), ValueError, 'draft must be an int >= 1, got 0'),
    ('draft-str', lambda m: lb.self_speculative(m, 'hi', [1], draft='4'), TypeError, "draft must be an int, got '4'"),
    ('max-draft-below-draft', lambda m: lb.self_speculative(m, 'hi', [1], draft=4, max_draft=2), ValueError, 'max_draft must be >= draft (4), got 2'),
    ('max-draft-zero', lambda m: lb.self_speculative(m, 'hi', [1], max_draft=0), ValueError, 'max_draft must be an int >= 1, got 0'),
    ('adaptive-str', lambda m: lb.self_speculative(m, 'hi', [1], adaptive='yes'), TypeError, "adaptive must be True or False, got 'yes'"),
    ('tokens-float', lambda m: lb.self_speculative(m, 'hi', [1], max_new_tokens=2.0), TypeError, 'max_new_tokens must be an int, got 2.0'),
    # lenses
    ('lens-not-a-lens', lambda m: lb.self_speculative(m, 'hi', 'resid_post.0', lens='logit'), TypeError, 'lens is a lens object'),
    ('lens-on-skip-set', lambda m: lb.self_speculative(m, 'hi', [0], lens=lb.LogitLens(m)), ValueError, 'A lens decodes an early exit'),
    ('lens-on-no-skip', lambda m: lb.self_speculative(m, 'hi', [], lens=lb.LogitLens(m)), ValueError, 'got the skip set []'),
    # prompts
    ('prompt-empty', lambda m: lb.self_speculative(m, '', [1]), ValueError, 'Prompt 0 is empty'),
    ('prompt-two', lambda m: lb.self_speculative(m, ['a', 'b'], [1]), ValueError, 'one prompt at a time, got 2'),
    ('prompt-ids-out-of-vocab', lambda m: lb.self_speculative(m, torch.tensor([[1, 99999]]), [1]), ValueError, 'Token id 99999 is outside the vocabulary'),
    ('prompt-encoder-decoder', lambda m: lb.self_speculative(lb.tiny('bart'), 'hi', [0]), NotImplementedError, 'decoder-only'),
    # the search
    ('search-budget-zero', lambda m: lb.search_skip(m, 'hi there', budget_s=0), ValueError, 'budget_s must be in (0, inf], got 0.0'),
    ('search-budget-nan', lambda m: lb.search_skip(m, 'hi there', budget_s=float('nan')), ValueError, 'budget_s must be a finite number, got nan'),
    ('search-budget-str', lambda m: lb.search_skip(m, 'hi there', budget_s='10'), TypeError, "budget_s must be a real number, got '10'"),
    ('search-objective', lambda m: lb.search_skip(m, 'hi there', objective='speed'), ValueError, "objective must be one of 'modelled', 'measured'; got 'speed'"),
    ('search-width-zero', lambda m: lb.search_skip(m, 'hi there', width=0), ValueError, 'width must be an int >= 1, got 0'),
    ('search-tokens-one', lambda m: lb.search_skip(m, 'hi there', max_new_tokens=1), ValueError, 'max_new_tokens must be an int >= 2, got 1'),
    ('search-max-trials-zero', lambda m: lb.search_skip(m, 'hi there', max_trials=0), ValueError, 'max_trials must be an int >= 1, got 0'),
    ('search-seed-float', lambda m: lb.search_skip(m, 'hi there', seed=1.5), TypeError, 'seed must be an int, got 1.5'),
    ('search-text-empty', lambda m: lb.search_skip(m, '', budget_s=5), ValueError, 'Prompt 0 is empty'),
    ('search-text-two', lambda m: lb.search_skip(m, ['a b', 'c d'], budget_s=5), ValueError, 'one prompt at a time'),
]
