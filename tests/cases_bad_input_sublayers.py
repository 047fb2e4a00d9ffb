"""Bad input to sublayer surgery (nbs/37_sublayers): dropped layers, unsupported families, the search's options."""
import lensbook as lb
from lensbook.sublayers import drop_sublayers, sublayer_redundancy, drop_search, forward_speed

TEXT = ['hello there my friend, how are you today?', 'the quick brown fox jumps over the lazy dog again']

def _enter(cm):
    with cm: pass

def _inside(m):
    with drop_sublayers(m, attn=[0]): raise RuntimeError('an error inside the context')

CASES = [
    ('attn-layer-range', lambda m: _enter(drop_sublayers(m, attn=[2])), IndexError, 'attn layer 2 is out of range: there are 2'),
    ('mlp-layer-neg-range', lambda m: _enter(drop_sublayers(m, mlp=-3)), IndexError, 'mlp layer -3 is out of range'),
    ('attn-layer-float', lambda m: _enter(drop_sublayers(m, attn=1.5)), TypeError, 'attn layer must be an int or a list of ints, got 1.5'),
    ('attn-layer-str', lambda m: _enter(drop_sublayers(m, attn='0')), TypeError, "attn layer must be an int or a list of ints, got '0'"),
    ('mlp-layer-bool', lambda m: _enter(drop_sublayers(m, mlp=[True])), TypeError, 'mlp layer index must be an int, got True'),
    ('attn-layer-none', lambda m: _enter(drop_sublayers(m, attn=None)), TypeError, 'attn layer must be an int or a list of ints, got None'),
    ('error-inside', _inside, RuntimeError, 'an error inside the context'),
    ('family-opt', lambda m: _enter(drop_sublayers(lb.tiny('opt'), mlp=[0])), NotImplementedError, "opt's MLP is not one module"),
    ('family-phi', lambda m: _enter(drop_sublayers(lb.tiny('phi'), attn=[0])), NotImplementedError, 'attention and MLP run in parallel'),
    ('family-neox-parallel', lambda m: sublayer_redundancy(lb.tiny('gpt_neox'), TEXT), NotImplementedError, 'on gpt_neox attention and MLP run in parallel'),
    ('family-bert', lambda m: drop_search(lb.tiny('bert'), texts=TEXT), NotImplementedError, "bert's MLP is not one module"),
    ('redundancy-seq-len', lambda m: sublayer_redundancy(m, TEXT, seq_len=1), ValueError, 'seq_len must be an int >= 2, got 1'),
    ('redundancy-batch', lambda m: sublayer_redundancy(m, TEXT, seq_len=8, batch_size=0), ValueError, 'batch_size must be an int >= 1, got 0'),
    ('redundancy-no-text', lambda m: sublayer_redundancy(m, []), ValueError, 'No text'),
    ('redundancy-ranking-kind', lambda m: sublayer_redundancy(m, TEXT, seq_len=8).ranking('ffn'), ValueError, "sublayer must be one of 'attn', 'mlp'; got 'ffn'"),
    ('search-k-range', lambda m: drop_search(m, ks=[0, 3], texts=TEXT, seq_len=8), ValueError, 'k must be between 0 and 2 (the attn sublayers there are), got 3'),
    ('search-k-joint-range', lambda m: drop_search(m, ks=[5], sublayers='joint', texts=TEXT, seq_len=8), ValueError, 'k must be between 0 and 4 (the joint sublayers there are), got 5'),
    ('search-k-negative', lambda m: drop_search(m, ks=[-1], texts=TEXT, seq_len=8), ValueError, 'k must be an int >= 0, got -1'),
    ('search-k-float', lambda m: drop_search(m, ks=[1.5], texts=TEXT, seq_len=8), TypeError, 'k must be an int, got 1.5'),
    ('search-ks-empty', lambda m: drop_search(m, ks=[], texts=TEXT, seq_len=8), ValueError, 'ks is empty'),
    ('search-kind', lambda m: drop_search(m, sublayers=['attn', 'ffn'], texts=TEXT, seq_len=8), ValueError, "sublayers must be one of 'attn', 'mlp', 'joint'; got 'ffn'"),
    ('search-by', lambda m: drop_search(m, by='angle', texts=TEXT, seq_len=8), ValueError, "by must be one of 'cosine', 'loss'; got 'angle'"),
    ('search-pool', lambda m: drop_search(m, by='loss', pool=0, texts=TEXT, seq_len=8), ValueError, 'pool must be an int >= 1, got 0'),
    ('search-reps', lambda m: drop_search(m, ks=[0], reps=0, texts=TEXT, seq_len=8), ValueError, 'reps must be an int >= 1, got 0'),
    ('search-speed-tokens', lambda m: drop_search(m, ks=[0], speed_tokens=0, texts=TEXT, seq_len=8), ValueError, 'speed_tokens must be an int >= 1, got 0'),
    ('search-max-tokens', lambda m: drop_search(m, ks=[0], texts=TEXT, seq_len=8, max_tokens=1.5), TypeError, 'max_tokens must be an int, got 1.5'),
    ('speed-reps', lambda m: forward_speed(m, m.tokenizer('hi', return_tensors='pt')['input_ids'], reps=0), ValueError, 'reps must be an int >= 1, got 0'),
]
