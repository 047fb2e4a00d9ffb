"""Bad input to the probing and intervention analyses (nbs/20-25, 30-34): data sets and labels, probe settings, geometry
and spectra settings, ablation and steering values, layer surgery, patching metrics and positions, comparisons."""
import pathlib, tempfile
import torch
import lensbook as lb
from lensbook.results import save_artefact

D = pathlib.Path(tempfile.mkdtemp(prefix='lb-bad-analyses-'))
MARKUP = '<img src=x onerror=alert(1)>'
TEXTS = [f'{MARKUP} the cat sat', 'a dog ran far', 'birds fly south', 'one two three', 'four five six', 'seven eight nine']
NAN, INF = float('nan'), float('inf')
CLEAN, CORRUPT = 'ab cd', 'ab ce'                 # one token length on the fixture's byte-level tokenizer
f = lambda logits: logits[:, 3] - logits[:, 4]   # a good metric

def _store(m, **kw): return lb.collect(m, [(t, i % 2) for i, t in enumerate(TEXTS * 2)], 'resid_post', progress=False, **kw)
def _X(): return torch.randn(2, 40, 8, generator=torch.Generator().manual_seed(0))
Y = [0, 1] * 20
def _v(m): return lb.steering_vector(m, ['good'], ['bad'], 'resid_post.0')
def _sweep(m, **kw):
    args = dict(positive=['good'], negative=['bad'], prompt='hello', metric=f, sites='resid_pre.0') | kw
    return lb.steer_sweep(m, **args)

def _nan_steering_file():
    p = D/'nan.steer'
    save_artefact(p, {'vector': torch.full((64,), NAN)}, dict(site='resid_post.0'), 'steering')
    return p

CASES = [
    # collecting a data set (nbs/21_collect)
    ('collect-reduce-unknown', lambda m: lb.collect(m, TEXTS, reduce='avg', progress=False), ValueError,
     "reduce must be one of 'last', 'mean', 'all', 'span'; got 'avg'"),
    ('collect-batch-size-zero', lambda m: lb.collect(m, TEXTS, batch_size=0, progress=False), ValueError, 'batch_size must be an int >= 1, got 0'),
    ('collect-batch-size-float', lambda m: lb.collect(m, TEXTS, batch_size=1.5, progress=False), TypeError, 'batch_size must be an int, got 1.5'),
    ('collect-dtype', lambda m: lb.collect(m, TEXTS, dtype='float64', progress=False), ValueError,
     "dtype must be one of 'float32', 'float16', 'bfloat16'; got 'float64'"),
    ('collect-empty', lambda m: lb.collect(m, [], progress=False), ValueError, 'data has no texts (an empty data set)'),
    ('collect-labels-length', lambda m: lb.collect(m, TEXTS, labels=[0, 1], progress=False), ValueError,
     'labels has 2 entries but data has 6 texts'),
    # probes (nbs/22_probe)
    ('probe-one-class', lambda m: lb.probe(_store(m), y=[0] * 12), ValueError, 'All 12 labels are 0: a classifier needs at least two classes'),
    ('probe-labels-length', lambda m: lb.probe(_store(m), y=[0, 1]), ValueError, 'y has 2 labels but the activations have 12 rows'),
    ('probe-task', lambda m: lb.probe(_X(), Y, task='svm'), ValueError, "task must be one of 'logistic', 'ridge'; got 'svm'"),
    ('probe-C-nan', lambda m: lb.probe(_X(), Y, C=NAN), ValueError, 'C must be a finite number, got nan'),
    ('probe-C-negative', lambda m: lb.probe(_X(), Y, C=-1), ValueError, 'C must be in (0, inf], got -1.0'),
    ('probe-ridge-alpha-inf', lambda m: lb.probe(_X(), [float(i) for i in range(40)], task='ridge', alpha=INF), ValueError,
     'alpha must be a finite number, got inf'),
    ('probe-folds-one', lambda m: lb.probe(_X(), Y, folds=1), ValueError, 'folds must be an int >= 2, got 1'),
    ('probe-folds-float', lambda m: lb.probe(_X(), Y, folds=2.5), TypeError, 'folds must be an int, got 2.5'),
    ('probe-test-fraction', lambda m: lb.probe(_X(), Y, test=1.5), ValueError, 'test is a fraction between 0 and 1, got 1.5'),
    ('probe-seed-float', lambda m: lb.probe(_X(), Y, seed=0.5), TypeError, 'seed must be an int, got 0.5'),
    ('probe-nan-activations', lambda m: lb.probe(torch.full((1, 40, 8), NAN), Y), ValueError,
     'The activations hold NaN or infinite values (layer index 0, row 0)'),
    ('fit-probe-nan', lambda m: lb.fit_probe(torch.full((40, 8), NAN), torch.tensor(Y)), ValueError, 'X has 320 NaN or inf value(s) of 320'),
    ('probe-direction-float', lambda m: lb.probe(_X(), Y).direction(1.5), TypeError, 'layer must be an int, got 1.5'),
    ('sparse-probe-k-zero', lambda m: lb.sparse_probe(_X(), Y, ks=(0,)), ValueError, 'Each k is an integer in 1..8, got [0]'),
    ('sparse-probe-k-float', lambda m: lb.sparse_probe(_X(), Y, ks=(1.5,)), TypeError, 'ks must be an int, got 1.5'),
    ('sparse-probe-method', lambda m: lb.sparse_probe(_X(), Y, methods=('magic',)), ValueError,
     "method must be one of 'mean_diff', 'f_stat'; got 'magic'"),
    ('probeset-unknown', lambda m: lb.probeset('numbers'), ValueError, "got 'numbers' (did you mean 'number'?)"),
    ('probeset-seed-float', lambda m: lb.probeset('number', seed=1.5), TypeError, 'seed must be an int, got 1.5'),
    # geometry, activity, spectra (nbs/23-25)
    ('geometry-seq-len-float', lambda m: lb.layer_geometry(m, TEXTS, seq_len=8.5), TypeError, 'seq_len must be an int, got 8.5'),
    ('geometry-max-tokens-float', lambda m: lb.layer_geometry(m, TEXTS, max_tokens=1.5), TypeError, 'max_tokens must be an int, got 1.5'),
    ('geometry-drop-massive-nan', lambda m: lb.layer_geometry(m, TEXTS, drop_massive=NAN), ValueError,
     'drop_massive must be a finite number, got nan'),
    ('geometry-alpha-inf', lambda m: lb.layer_geometry(m, TEXTS, alpha=INF), ValueError, 'alpha must be a finite number, got inf'),
    ('cka-m2-not-a-model', lambda m: lb.layer_cka(m, TEXTS, m2='gpt2'), TypeError, "m2 is a second Model (lensbook.load or tiny) or None, got 'gpt2'"),
    ('cka-rows-differ', lambda m: lb.cka(torch.randn(5, 3), torch.randn(6, 3)), ValueError, 'got 5 and 6 rows'),
    ('twonn-discard-nan', lambda m: lb.twonn(torch.randn(20, 3), discard=NAN), ValueError, 'discard must be a finite number, got nan'),
    ('activity-max-tokens-zero', lambda m: lb.token_activity(m, 'hello there', max_tokens=0), ValueError, 'max_tokens must be an int >= 1, got 0'),
    ('activity-layer-float', lambda m: lb.token_activity(m, 'hello there').payload(layer=1.5), TypeError, 'layer index must be an int, got 1.5'),
    ('spectra-blocks-float', lambda m: lb.weight_spectra(m, blocks=1.5), TypeError, 'block must be an int or a list of ints, got 1.5'),
    ('spectra-blocks-range', lambda m: lb.weight_spectra(m, blocks=[0, 5]), IndexError, 'block 5 is out of range: there are 2'),
    ('spectra-xmin-nan', lambda m: lb.weight_spectra(m, xmin=NAN), ValueError, 'xmin must be a finite number, got nan'),
    ('spectra-names-int', lambda m: lb.weight_spectra(m, names=3), TypeError, 'names is a string or a list of strings'),
    # ablation (nbs/30_intervene)
    ('ablation-how', lambda m: lb.ablation(m, 'mlp_out', how='median', ref=['a']), ValueError,
     "how must be one of 'zero', 'mean', 'resample'; got 'median'"),
    ('ablation-unit-string', lambda m: lb.ablation(m, 'head_out.0', unit='12'), TypeError, "unit must be an int or a list of ints, got '12'"),
    ('ablation-unit-float', lambda m: lb.ablation(m, 'neurons.0', how='mean', ref=['ab'], unit=1.5), TypeError,
     'unit must be an int or a list of ints, got 1.5'),
    ('ablation-unit-range', lambda m: lb.ablation(m, 'head_out.0', unit=[7]), IndexError, 'head 7 is out of range: there are 4'),
    ('ablation-unit-no-units', lambda m: lb.ablation(m, 'mlp_out.0', unit=1), ValueError, "site 'mlp_out.0' has none"),
    ('ablation-pos-string', lambda m: lb.ablation(m, 'mlp_out.0', pos='12'), TypeError, "pos must be an int or a list of ints, got '12'"),
    ('ablation-seed-float', lambda m: lb.ablation(m, 'mlp_out.0', how='resample', ref=['ab'], seed=0.5), TypeError, 'seed must be an int, got 0.5'),
    ('ablation-mean-no-ref', lambda m: lb.ablation(m, 'mlp_out.0', how='mean'), ValueError, 'mean ablation needs a non-empty reference set'),
    # steering
    ('steering-vector-nan', lambda m: lb.Steering(torch.full((64,), NAN), 'resid_post.0'), ValueError,
     'steering vector has 64 NaN or inf value(s) of 64'),
    ('steering-vector-inf', lambda m: lb.Steering.from_direction([1., INF] + [0.] * 62, 'resid_post.0'), ValueError,
     'steering vector has 1 NaN or inf value(s) of 64'),
    ('steering-vector-complex', lambda m: lb.Steering.from_direction(torch.ones(64, dtype=torch.complex64), 'resid_post.0'), TypeError,
     'steering vector must be real, got a complex array (torch.complex64)'),
    ('steering-scale-nan', lambda m: _v(m).edit(NAN), ValueError, 'scale must be a finite number, got nan'),
    ('steering-scale-complex', lambda m: _v(m).edit(2j), TypeError, 'scale must be a real number, got 2j'),
    ('steering-scale-string', lambda m: _v(m).edit('2'), TypeError, "scale must be a real number, got '2'"),
    ('steering-pos-float', lambda m: _v(m).edit(1., pos=0.5), TypeError, 'position must be an int or a list of ints, got 0.5'),
    ('steering-file-nan', lambda m: lb.load_steering(_nan_steering_file(), m), ValueError,
     f"{D/'nan.steer'}: tensor 'vector' has 64 NaN or inf value(s)"),
    ('steer-sweep-scale-nan', lambda m: _sweep(m, scales=[1, NAN]), ValueError, 'scale must be a finite number, got nan'),
    ('steer-sweep-scales-string', lambda m: _sweep(m, scales='12'), TypeError, "scales is a non-empty list of numbers, got '12'"),
    ('steer-sweep-metric-scalar', lambda m: _sweep(m, metric=lambda l: l[0, 3]), ValueError, 'shape [] on the unsteered run'),
    # layer surgery (nbs/31_layers): block indices, never rounded or iterated
    ('skip-float', lambda m: lb.skip(m, 1.5), TypeError, 'layer must be an int or a list of ints, got 1.5'),
    ('skip-string', lambda m: lb.skip(m, '12'), TypeError, "layer must be an int or a list of ints, got '12'"),
    ('skip-list-float', lambda m: lb.skip(m, [0.5]), TypeError, 'layer index must be an int, got 0.5'),
    ('skip-bool', lambda m: lb.skip(m, True), TypeError, 'layer index must be an int, got True'),
    ('skip-range', lambda m: lb.skip(m, [0, 5]), IndexError, 'layer 5 is out of range: there are 2'),
    ('swap-float', lambda m: lb.swap(m, 0, 1.5), TypeError, 'layer index must be an int, got 1.5'),
    ('repeat-times-float', lambda m: lb.repeat(m, 0, 1.5), TypeError, 'times must be an int, got 1.5'),
    ('parallel-stop-float', lambda m: lb.parallel(m, 0, 1.5), TypeError, 'stop must be an int, got 1.5'),
    ('order-group-float', lambda m: lb.order(m, [(0, 1.5)]).__enter__(), TypeError, 'layer index must be an int, got 1.5'),
    ('redundancy-n-float', lambda m: lb.redundancy(m, TEXTS, n=1.5, seq_len=8), TypeError, 'n must be an int, got 1.5'),
    ('lm-loss-seq-len-float', lambda m: lb.lm_loss(m, TEXTS, seq_len=8.5), TypeError, 'seq_len must be an int, got 8.5'),
    # patching (nbs/32_patching)
    ('patch-pos-string', lambda m: lb.patch(m, CLEAN, CORRUPT, f, pos='12'), TypeError,
     "pos is 'all', None (every position at once), an int or a list of ints; got '12'"),
    ('patch-pos-float', lambda m: lb.patch(m, CLEAN, CORRUPT, f, pos=[0.5]), TypeError, 'position index must be an int, got 0.5'),
    ('patch-pos-range', lambda m: lb.patch(m, CLEAN, CORRUPT, f, pos=[9]), IndexError, 'position 9 is out of range: there are 5'),
    ('patch-metric-0d', lambda m: lb.patch(m, CLEAN, CORRUPT, lambda l: l[0, 3]), ValueError,
     'the metric returned a torch.float32 tensor of shape [] on the clean and corrupt runs'),
    ('patch-metric-float', lambda m: lb.patch(m, CLEAN, CORRUPT, lambda l: 1.0), TypeError,
     'the metric returned 1.0 (float) on the clean and corrupt runs; it must return a tensor [rows]'),
    ('patch-metric-shape', lambda m: lb.patch(m, CLEAN, CORRUPT, lambda l: l), ValueError, 'it must return a real tensor of shape [2]'),
    ('patch-metric-one-row', lambda m: lb.patch(m, CLEAN, CORRUPT, lambda l: l[:1, 3]), ValueError, 'tensor of shape [1] on the clean and corrupt runs'),
    ('patch-metric-nan', lambda m: lb.patch(m, CLEAN, CORRUPT, lambda l: l[:, 3] * NAN), ValueError,
     'the metric returned [nan, nan] on the clean and corrupt runs; every value must be finite'),
    ('patch-metric-string', lambda m: lb.patch(m, CLEAN, CORRUPT, 'logit_diff'), TypeError, "or 'kl', got 'logit_diff'"),
    ('patch-batch-size-zero', lambda m: lb.patch(m, CLEAN, CORRUPT, f, batch_size=0), ValueError, 'batch_size must be an int >= 1, got 0'),
    ('patch-mem-nan', lambda m: lb.patch(m, CLEAN, CORRUPT, f, mem_mb=NAN), ValueError, 'mem_mb must be a finite number, got nan'),
    ('attribution-metric-float', lambda m: lb.attribution_patch(m, CLEAN, CORRUPT, lambda l: 1.0), TypeError, 'returned 1.0 (float) on the clean run'),
    ('causal-trace-samples-float', lambda m: lb.causal_trace(m, 'the cat sat', 'cat', 'a', samples=1.5), TypeError, 'samples must be an int, got 1.5'),
    ('causal-trace-noise-nan', lambda m: lb.causal_trace(m, 'the cat sat', 'cat', 'a', noise=NAN), ValueError, 'noise must be a finite number, got nan'),
    # comparing a run with edits (nbs/33_compare)
    ('compare-edit-string', lambda m: lb.compare(m, 'hello', edit='resid_post.0'), TypeError, "got str 'resid_post.0'"),
    ('compare-edit-number', lambda m: lb.compare(m, 'hello', edit={'x': 3}), TypeError, 'got int 3'),
    ('compare-skip-float', lambda m: lb.compare(m, 'hello', skip=[0.5]), TypeError, 'layer index must be an int, got 0.5'),
    ('compare-skip-range', lambda m: lb.compare(m, 'hello', skip=[7]), IndexError, 'layer 7 is out of range: there are 2'),
    ('compare-max-new-tokens-float', lambda m: lb.compare(m, 'hello', max_new_tokens=1.5), TypeError, 'max_new_tokens must be an int, got 1.5'),
    ('compare-k-zero', lambda m: lb.compare(m, 'hello', k=0), ValueError, 'k must be an int >= 1, got 0'),
    ('patch-outcome-pos-float', lambda m: lb.patch_outcome(m, CLEAN, CORRUPT, 'resid_pre.1', 1.5), TypeError, 'position index must be an int, got 1.5'),
    ('patch-outcome-lengths', lambda m: lb.patch_outcome(m, CLEAN, 'ab cd ef', 'resid_pre.1', 1), ValueError, 'different token lengths (5 and 8)'),
    ('patch-outcome-metric-float', lambda m: lb.patch_outcome(m, CLEAN, CORRUPT, 'resid_pre.1', 1, metric=lambda l: 1.0), TypeError,
     'returned 1.0 (float) on the patched run'),
    # gradient attribution and faithfulness (nbs/35_gradients)
    ('grad-method', lambda m: lb.gradient_attribution(m, 'hi there', 'a', method='saliency'), ValueError, "method must be one of 'grad_x_act', 'ig'; got 'saliency'"),
    ('grad-pattern', lambda m: lb.gradient_attribution(m, 'hi there', 'a', sites='pattern'), ValueError, 'Cannot attribute to pattern.0'),
    ('grad-logits', lambda m: lb.gradient_attribution(m, 'hi there', 'a', sites='logits'), ValueError, 'Cannot attribute to logits'),
    ('grad-no-head', lambda m: lb.gradient_attribution(lb.load('minilm'), 'hi', 'a'), ValueError, 'has no unembedding'),
    ('grad-baseline-two-tokens', lambda m: lb.gradient_attribution(m, 'hi there', 'a', method='ig', baseline='ab'), ValueError, "is 2 tokens"),
    ('grad-baseline-bad-id', lambda m: lb.gradient_attribution(m, 'hi there', 'a', method='ig', baseline=10**6), IndexError, 'outside the vocabulary'),
    ('grad-targets-count', lambda m: lb.gradient_attribution(m, ['hi', 'ho'], ['a', 'b', 'c']), ValueError, 'targets must be one token for every prompt or one per prompt (2), got 3'),
    ('grad-minus-count', lambda m: lb.gradient_attribution(m, ['hi', 'ho'], 'a', minus=['a', 'b', 'c']), ValueError, 'minus must be one token for every prompt or one per prompt (2), got 3'),
    ('grad-pos-list', lambda m: lb.gradient_attribution(m, 'hi there', 'a', pos=[0]), TypeError, 'pos is one position (an int) per prompt here'),
    ('grad-pos-range', lambda m: lb.gradient_attribution(m, 'hi', 'a', pos=9), IndexError, 'position 9 is out of range'),
    ('grad-steps-zero', lambda m: lb.gradient_attribution(m, 'hi', 'a', method='ig', steps=0), ValueError, 'steps must be an int >= 1, got 0'),
    ('grad-keep-first', lambda m: lb.gradient_attribution(m, 'hi', 'a', method='ig', keep_first=1), TypeError, 'keep_first is True or False, got 1'),
    ('grad-plot-row', lambda m: lb.gradient_attribution(m, 'hi', 'a').plot(row=3), IndexError, 'row 3 is out of range: 1 prompts'),
    ('faith-not-attribution', lambda m: lb.faithfulness(m, None), TypeError, 'faithfulness reads an Attribution'),
    ('faith-fraction', lambda m: lb.faithfulness(m, lb.gradient_attribution(m, 'hi there', 'a'), fractions=(2,)), ValueError, 'fractions must be in (0, 1], got [2]'),
    ('faith-fraction-nan', lambda m: lb.faithfulness(m, lb.gradient_attribution(m, 'hi there', 'a'), fractions=(float('nan'),)), ValueError, 'fraction has 1 NaN'),
    ('faith-site', lambda m: lb.faithfulness(m, lb.gradient_attribution(m, 'hi there', 'a'), site='mlp_out.1'), ValueError, "Site 'mlp_out.1' was not attributed"),
    # direct logit attribution (nbs/34_attribution)
    ('dla-no-targets', lambda m: lb.logit_attribution(m, 'hi', []), ValueError, 'targets is empty'),
    ('dla-minus-two', lambda m: lb.logit_attribution(m, 'hi', 'a', minus=['a', 'b']), ValueError, 'minus is one token, got 2'),
    ('dla-pos-range', lambda m: lb.logit_attribution(m, 'hi', 'a', pos=9), IndexError, 'position 9 is out of range'),
    ('dla-pos-float', lambda m: lb.logit_attribution(m, 'hi', 'a', pos=0.5), TypeError, 'pos must be an int or a list of ints, got 0.5'),
    ('dla-heads-int', lambda m: lb.logit_attribution(m, 'hi', 'a', heads=1), TypeError, 'heads is True (one part per head) or False'),
    ('dla-target-id', lambda m: lb.logit_attribution(m, 'hi', 10**6), IndexError, 'outside the vocabulary'),
    ('dla-payload-target', lambda m: lb.logit_attribution(m, 'hi', 'a').payload(target=2), IndexError, 'target 2 is out of range'),
    ('dla-encoder-decoder', lambda m: lb.logit_attribution(lb.tiny('bart'), 'hi', 'a'), ValueError, 'decoder-only, pre-norm'),
    # what a unit responds to (nbs/26_examples)
    ('examples-layer', lambda m: lb.top_examples(m, ['hi there'], 'neurons.7', unit=0, progress=False), IndexError, 'layer 7 is out of range'),
    ('examples-unit', lambda m: lb.top_examples(m, ['hi there'], 'neurons.1', unit=128, progress=False), IndexError, 'neuron 128 is out of range: there are 128'),
    ('examples-no-unit', lambda m: lb.top_examples(m, ['hi there'], 'neurons.1', progress=False), ValueError, 'needs unit='),
    ('examples-zero-direction', lambda m: lb.top_examples(m, ['hi there'], 'resid_post.1', direction=torch.zeros(64), progress=False), ValueError, 'zero vector'),
    ('examples-empty', lambda m: lb.top_examples(m, [], 'neurons.1', unit=0, progress=False), ValueError, 'texts is empty'),
    ('examples-k', lambda m: lb.top_examples(m, ['hi there'], 'neurons.1', unit=0, k=0, progress=False), ValueError, 'k must be an int >= 1, got 0'),
    ('selectivity-unlabelled', lambda m: lb.selectivity(m, ['a b', 'c d'], 'neurons.1', progress=False), ValueError, 'needs labelled data'),
    ('clamp-nan', lambda m: lb.clamp(m, 'neurons.1', 0, float('nan')), ValueError, 'finite'),
    ('clamp-unit', lambda m: lb.clamp(m, 'neurons.1', 128, 1.), IndexError, 'neuron 128 is out of range'),
]
