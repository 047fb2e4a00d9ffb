"""Factories of the lens area's results (nbs/10-18) for the shared protocol test (tests/test_results.py).

Each make(m) gets the fixture model (a tiny Llama whose tokenizer has the markup as one token) and returns
(result, loader); none of these results is an artefact (the tuned lens is saved, but it is a lens, not a Result).
"""
MARKUP = '<img src=x onerror=alert(1)>'
PROMPT = f'hello {MARKUP} world'

def _lens(m):
    import lensbook as lb
    return lb.logit_lens(m, [PROMPT, 'hi'], sites=['resid_post', 'mlp_out.0'], targets=[MARKUP, 'a']), None

def _comparison(m):
    import lensbook as lb
    texts = [f'{PROMPT} the quick brown fox. ' * 3]
    return lb.compare_lenses(m, {'logit': lb.LogitLens(m), 'tuned': lb.TunedLens(m)}, texts, seq_len=16), None

def _tokens(m):
    import lensbook as lb
    return lb.ov_tokens(m, 'head_out.1', 0, [MARKUP, 'a'], k=3), None

def _generation(m):
    import lensbook as lb
    return lb.dola(m, PROMPT, ['embed', 'resid_pre.1'], max_new_tokens=5, stop_at_eos=False), None

def _early_exit(m):
    import lensbook as lb
    return lb.early_exit(m, [PROMPT, 'hi there']), None

def _speculation(m):
    import lensbook as lb
    return lb.self_speculative(m, PROMPT, 'resid_post.0', draft=2, max_new_tokens=6), None

def _heads(m):
    import lensbook as lb
    return lb.head_detectors(m, n=6, batch_size=2), None

def _verbalization(m):
    import lensbook as lb
    return lb.verbalize(m, PROMPT, target_prompt=f'{MARKUP} -> {MARKUP}; ?', control=MARKUP, max_new_tokens=3), None

FACTORIES = {'Verbalization': _verbalization, 'HeadScores': _heads, 'LensResult': _lens, 'LensComparison': _comparison, 'TokenTable': _tokens, 'Generation': _generation,
             'EarlyExit': _early_exit, 'Speculation': _speculation}

def _contrastive(m):
    import lensbook as lb
    return lb.contrastive_decode(m, [PROMPT, 'Hi'], lb.edit_amateur(lb.replace('head_out.1', 0., unit=[0, 1])), max_new_tokens=4, stop_at_eos=False), None

FACTORIES['Contrastive'] = _contrastive

def _skip_search(m):
    import lensbook as lb
    return lb.search_skip(m, PROMPT, budget_s=5.0, max_new_tokens=6, draft=2, max_trials=3), None

FACTORIES['SkipSearch'] = _skip_search
