"""Factories of the results behind the views (attention maps, token activity, outcomes) for the shared protocol test
in tests/test_results.py: make(m) -> (result, loader); none of them is an artefact, so every loader is None."""
MARKUP = '<img src=x onerror=alert(1)>'
PROMPT = f'The tower {MARKUP} is in the city of'

def _attention(m):
    import lensbook as lb
    return lb.attention(m, PROMPT), None

def _activity(m):
    import lensbook as lb
    return lb.token_activity(m, PROMPT), None

def _outcome(m):
    import lensbook as lb
    return lb.compare(m, PROMPT, edit={'zero-ablate mlp_out.0': lb.ablation(m, 'mlp_out.0')}, max_new_tokens=3), None

def _mass(m):
    import lensbook as lb
    return lb.attention_mass(m, [PROMPT, 'A short tower, plain one.'], spans={'tower': 'tower'}), None

def _flow(m):
    import lensbook as lb
    return lb.attention_flow(m, PROMPT), None

FACTORIES = {'AttentionResult': _attention, 'AttentionMass': _mass, 'AttentionFlow': _flow, 'TokenActivity': _activity, 'Outcome': _outcome}

def _features(m):
    import pathlib, lensbook as lb
    sae = lb.load_sae(pathlib.Path(__file__).parent/'data'/'saelens_6.54.12'/'standard', m)   # resid_post.1 of the tiny Llama
    return lb.feature_activity(m, sae, PROMPT, k=5), None

FACTORIES['FeatureActivity'] = _features
