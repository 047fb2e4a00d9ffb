"""Bad input in the lens area: logit lens targets, positions, top-k, memory budgets and lens objects; the result's
accessors; weights in vocabulary space; tuned-lens translators and files; token blocks; attention views; and
architecture maps that no longer fit their model."""
import pickle, tempfile, pathlib
from contextlib import contextmanager
import torch
from torch import nn
import lensbook as lb
from lensbook.arch import ENTRIES, Point, arch_of
from lensbook.results import save_artefact

D = pathlib.Path(tempfile.mkdtemp(prefix='lb-bad-input-lens-'))
P = 'The cat sat'

def _lens(m, **kw): return lb.logit_lens(m, P, **kw)
def _result(m, **kw): return lb.logit_lens(m, [P, 'hi'], **kw)
def _attention(m): return lb.attention(m, P, sites='pattern.1')

def _lens_file(m, name, data=None, tensors=None, tag='tuned_lens'):
    "A tuned-lens file for `m`: raw bytes `data`, or `tensors` saved as an artefact tagged `tag`."
    p = D/name
    if data is not None: p.write_bytes(data)
    else: save_artefact(p, tensors, {}, tag, m)
    return p

def _truncated(m):
    p = lb.TunedLens(m).save(D/'whole.safetensors')
    return _lens_file(m, 'truncated.safetensors', p.read_bytes()[:300])

def _nan(*shape, at=None):
    "Zeros of `shape` with one NaN (at `at`, default the first element)."
    t = torch.zeros(*shape); t[at or (0,) * len(shape)] = float('nan'); return t

def _eye_nan():
    J = torch.eye(64).repeat(2, 1, 1); J[0, 1, 2] = float('nan'); return J

def _jfit(m):
    return lb.fit_jacobian_lens(m, [P * 20], seq_len=8, skip=1, progress=False)

def _jlens_other_checkpoint(m):
    p = D/'fit.safetensors'
    if p.exists(): p.unlink()
    lb.fit_jacobian_lens(m, [P * 20], seq_len=8, skip=1, path=p, progress=False)
    return lb.fit_jacobian_lens(m, [P * 20], seq_len=9, skip=1, path=p, progress=False)

def _jref(m, name, J, **extra):
    "A file in the reference implementation's format (a torch.save dict of plain tensors)."
    p = D/name
    torch.save(({'J': J, 'n_prompts': 3, 'd_model': 64, 'source_layers': sorted(J)} if J is not None else {}) | extra, p)
    return p

class _Payload:
    "Any object but plain tensors and containers: torch.load(weights_only=True) refuses to build it."
    def __reduce__(self): return (print, ('a lens file ran code',))

def _jcode():
    p = D/'code.pt'; torch.save({'J': _Payload()}, p); return p

@contextmanager
def _moved(edit):
    "The Llama entry changed by `edit` (as a transformers release that moved a module would), for one call."
    old = ENTRIES['llama']
    ENTRIES['llama'] = lambda cfg: edit(old(cfg))
    try: yield
    finally: ENTRIES['llama'] = old

def _refused(edit):
    def call(m):
        with _moved(edit): arch_of(m.model)
    return call

def _doubled_block(m):
    "The last block's forward changed so that its output is no longer the sum of its parts."
    blk = m.arch.blocks[-1]
    orig = blk.forward
    def doubled(*a, **kw):
        o = orig(*a, **kw)
        return (o[0] * 2,) + tuple(o[1:]) if isinstance(o, tuple) else o * 2
    blk.forward = doubled
    try: arch_of(m.model)
    finally: del blk.forward

CASES = [
    # logit_lens: targets
    ('target-float', lambda m: _lens(m, targets=1.5), TypeError, 'target id (or a one-token string) must be an int, got 1.5'),
    ('target-float-in-list', lambda m: _lens(m, targets=[5, 2.0]), TypeError, 'must be an int, got 2.0'),
    ('target-bool', lambda m: _lens(m, targets=True), TypeError, 'must be an int, got True'),
    ('target-out-of-vocab', lambda m: _lens(m, targets=999), IndexError, 'Target id 999 is outside the vocabulary: ids are 0..'),
    ('target-negative', lambda m: _lens(m, targets=-1), IndexError, 'Target id -1 is outside the vocabulary'),
    ('target-two-tokens', lambda m: _lens(m, targets='ab'), ValueError, "Target 'ab' is 2 tokens"),
    ('target-empty-string', lambda m: _lens(m, targets=''), ValueError, "Target '' is 0 tokens"),
    ('target-dict', lambda m: _lens(m, targets={'a': 1}), TypeError, "got a dict: {'a': 1}"),
    ('target-2d-ids', lambda m: _lens(m, targets=torch.tensor([[1, 2], [3, 4]])), TypeError, 'got an array of shape [2, 2]'),
    ('target-float-tensor', lambda m: _lens(m, targets=torch.tensor([1.5])), TypeError, 'must be an int, got tensor(1.5000)'),
    # logit_lens: positions, top-k, memory
    ('pos-string', lambda m: _lens(m, pos='12'), TypeError, "pos must be an int or a list of ints, got '12'"),
    ('pos-float', lambda m: _lens(m, pos=1.5), TypeError, 'pos must be an int or a list of ints, got 1.5'),
    ('pos-float-in-list', lambda m: _lens(m, pos=[0, 0.5]), TypeError, 'pos must be an int, got 0.5'),
    ('pos-out-of-range', lambda m: _lens(m, pos=50), IndexError, 'position 50 is out of range'),
    ('pos-empty', lambda m: _lens(m, pos=[]), ValueError, 'pos is empty'),
    ('k-zero', lambda m: _lens(m, k=0), ValueError, 'k must be an int >= 1, got 0'),
    ('k-float', lambda m: _lens(m, k=1.5), TypeError, 'k must be an int, got 1.5'),
    ('k-negative', lambda m: _lens(m, k=-1), ValueError, 'k must be an int >= 1, got -1'),
    ('k-string', lambda m: _lens(m, k='5'), TypeError, "k must be an int, got '5'"),
    ('k-over-vocab', lambda m: _lens(m, k=10**6), ValueError, 'k must be at most the vocabulary size'),
    ('mem-zero', lambda m: _lens(m, mem_mb=0), ValueError, 'mem_mb must be in (0, inf], got 0.0'),
    ('mem-negative', lambda m: _lens(m, mem_mb=-5), ValueError, 'mem_mb must be in (0, inf], got -5.0'),
    ('mem-nan', lambda m: _lens(m, mem_mb=float('nan')), ValueError, 'mem_mb must be a finite number, got nan'),
    ('mem-string', lambda m: _lens(m, mem_mb='256'), TypeError, "mem_mb must be a real number, got '256'"),
    ('keep-states-string', lambda m: _lens(m, keep_states='yes'), TypeError, "keep_states is True or False, got 'yes'"),
    # with_targets: only from kept states, with targets the lens could have followed
    ('retarget-no-states', lambda m: _lens(m).with_targets('a'), ValueError, 'kept no states: make it with logit_lens(..., keep_states=True)'),
    ('retarget-bad-id', lambda m: _lens(m, keep_states=True).with_targets(10**6), IndexError, 'Target id 1000000 is outside the vocabulary'),
    ('retarget-mem-zero', lambda m: _lens(m, keep_states=True).with_targets('a', mem_mb=0), ValueError, 'mem_mb must be in (0, inf], got 0.0'),
    # logit_lens: the lens and its sites
    ('lens-string', lambda m: _lens(m, lens='tuned'), TypeError, "lens must be a lens object with logits(h, layer), e.g. LogitLens(m) or a TunedLens; got 'tuned'"),
    ('lens-class', lambda m: _lens(m, lens=lb.LogitLens), TypeError, 'got the class LogitLens: make one with LogitLens(m)'),
    ('lens-other-model', lambda m: _lens(m, lens=lb.LogitLens(lb.tiny('llama', seed=1))), ValueError, 'was made for another model'),
    ('lens-tuned-on-mlp', lambda m: _lens(m, sites='mlp_out', lens=lb.TunedLens(m)), ValueError, 'This tuned lens was trained on resid_post, not mlp_out'),
    ('lens-site-kind', lambda m: _lens(m, sites='pattern'), ValueError, "logit_lens takes sites of kind resid_pre, resid_mid, resid_post, attn_out, mlp_out; got 'pattern.0'"),
    ('lens-norm-string', lambda m: lb.LogitLens(m, norm='no'), TypeError, "norm is True (apply the final norm) or False, got 'no'"),
    ('lens-not-a-model', lambda m: lb.LogitLens('smollm2'), TypeError, "got str: 'smollm2'"),
    # the result's accessors
    ('result-row-range', lambda m: _result(m).top(1, row=5), IndexError, 'row 5 is out of range: there are 2'),
    ('result-row-float', lambda m: _result(m).plot(row=1.5), TypeError, 'row index must be an int, got 1.5'),
    ('result-pos-string', lambda m: _result(m).top(1, pos='0'), TypeError, "position index must be an int, got '0'"),
    ('result-metric', lambda m: _result(m).metric('prob'), ValueError, "metric must be one of 'p', 'entropy', 'kl', 'target', 'logp', 'rank', 'agree'; got 'prob'"),
    ('result-target-label', lambda m: _result(m, targets='a').metric('target', target='b'), ValueError, "target must be one of 'a'; got 'b'"),
    ('result-target-index', lambda m: _result(m, targets='a').metric('logp', target=1.0), TypeError, 'target index must be an int, got 1.0'),
    ('result-no-targets', lambda m: _result(m).metric('rank'), ValueError, 'This result follows no targets: pass targets= to the lens'),
    ('result-site-not-read', lambda m: _result(m, sites='resid_post.0').top(1), ValueError, "Site 'resid_post.1' was not read; sites read: resid_post.0"),
    ('result-payload-positions', lambda m: _result(m).payload(max_positions=0), ValueError, 'max_positions must be an int >= 1, got 0'),
    # weights in vocabulary space
    ('neuron-unit-string', lambda m: lb.neuron_tokens(m, 'neurons.0', '12'), TypeError, "neuron must be an int or a list of ints, got '12'"),
    ('neuron-unit-float', lambda m: lb.neuron_tokens(m, 'neurons.0', 1.5), TypeError, 'neuron must be an int or a list of ints, got 1.5'),
    ('neuron-unit-range', lambda m: lb.neuron_tokens(m, 'neurons.0', 999), IndexError, 'neuron 999 is out of range: there are 128'),
    ('neuron-unit-empty', lambda m: lb.neuron_tokens(m, 'neurons.0', []), ValueError, 'unit is empty'),
    ('neuron-k-zero', lambda m: lb.neuron_tokens(m, 'neurons.0', 3, k=0), ValueError, 'k must be an int >= 1, got 0'),
    ('head-unit-float', lambda m: lb.head_ov(m, 'head_out.0', 1.0), TypeError, 'head index must be an int, got 1.0'),
    ('head-unit-string', lambda m: lb.head_tokens(m, 'head_out.0', '1'), TypeError, "head must be an int or a list of ints, got '1'"),
    ('head-dirs-zero', lambda m: lb.head_tokens(m, 'head_out.0', 0, dirs=0), ValueError, 'dirs must be an int >= 1, got 0'),
    ('ov-source-float', lambda m: lb.ov_tokens(m, 'head_out.1', 0, [1.5]), TypeError, 'must be an int, got 1.5'),
    ('ov-source-none', lambda m: lb.ov_tokens(m, 'head_out.1', 0, []), ValueError, 'ov_tokens needs at least one source token'),
    ('find-two-tokens', lambda m: lb.find_neurons(m, 'ab'), ValueError, "Target 'ab' is 2 tokens"),
    ('find-list', lambda m: lb.find_neurons(m, [5, 6]), ValueError, 'find_neurons looks for one token, got 2'),
    ('vocab-nan', lambda m: lb.vocab_scores(m, torch.full((1, 64), float('nan'))), ValueError, 'vectors has 64 NaN or inf value(s) of 64'),
    ('vocab-complex', lambda m: lb.vocab_scores(m, torch.zeros(1, 64, dtype=torch.complex64)), TypeError, 'vectors must be real, got a complex array (torch.complex64)'),
    ('vocab-batch-float', lambda m: lb.vocab_scores(m, torch.zeros(1, 64), batch_size=0.5), TypeError, 'batch_size must be an int, got 0.5'),
    # tuned lens: translators, training, files
    ('tuned-nan-A', lambda m: lb.TunedLens(m, _nan(2, 64, 64, at=(1, 2, 3))), ValueError, 'tuned lens translator A has 1 NaN or inf value(s)'),
    ('tuned-inf-b', lambda m: lb.TunedLens(m, b=torch.full((2, 64), float('inf'))), ValueError, 'tuned lens translator b has 128 NaN or inf value(s)'),
    ('tuned-complex', lambda m: lb.TunedLens(m, torch.zeros(2, 64, 64, dtype=torch.complex64)), TypeError, 'tuned lens translator A must be real, got a complex array'),
    ('tuned-shape', lambda m: lb.TunedLens(m, torch.zeros(3, 64, 64)), ValueError, 'Translator A of shape [3, 64, 64] does not fit'),
    ('tuned-set-nan', lambda m: setattr(lb.TunedLens(m), 'b', _nan(2, 64)), ValueError, 'tuned lens translator b has 1 NaN'),
    ('tuned-lr-nan', lambda m: lb.train_lens(m, [P * 20], lr=float('nan'), progress=False), ValueError, 'lr must be a finite number, got nan'),
    ('tuned-steps-negative', lambda m: lb.train_lens(m, [P * 20], steps=-1, progress=False), ValueError, 'steps must be an int >= 0, got -1'),
    ('tuned-seq-float', lambda m: lb.train_lens(m, [P * 20], seq_len=1.5, progress=False), TypeError, 'seq_len must be an int, got 1.5'),
    ('tuned-compare-not-dict', lambda m: lb.compare_lenses(m, lb.LogitLens(m), [P * 20]), TypeError, 'lenses must be a non-empty dict of name -> lens'),
    ('tuned-file-pickle', lambda m: lb.load_lens(_lens_file(m, 'pickled.safetensors', pickle.dumps({'A': torch.zeros(2)})), m), ValueError, 'pickled.safetensors is not a lensbook artefact'),
    ('tuned-file-truncated', lambda m: lb.load_lens(_truncated(m), m), ValueError, 'truncated.safetensors is not a lensbook artefact'),
    ('tuned-file-wrong-tag', lambda m: lb.load_lens(_lens_file(m, 'probe.safetensors', tensors={'w': torch.zeros(2)}, tag='probe'), m), ValueError, "probe.safetensors holds 'lensbook.probe/1', not a tuned_lens"),
    ('tuned-file-nan', lambda m: lb.load_lens(_lens_file(m, 'nan.safetensors', tensors={'A': _nan(2, 64, 64), 'b': torch.zeros(2, 64)}), m), ValueError, 'nan.safetensors: tensor'),
    ('tuned-file-shape', lambda m: lb.load_lens(_lens_file(m, 'small.safetensors', tensors={'A': torch.zeros(2, 3, 3), 'b': torch.zeros(2, 3)}), m), ValueError, 'small.safetensors: Translator A of shape [2, 3, 3] does not fit'),
    ('tuned-file-missing', lambda m: lb.load_lens(D/'nothing.safetensors', m), FileNotFoundError, 'No tuned_lens at'),
    # Jacobian lens: transports, fitting, checkpoints, merging and files (its own and the reference's)
    ('jlens-shape', lambda m: lb.JacobianLens(m, torch.eye(64).repeat(3, 1, 1)), ValueError, 'Transport J of shape [3, 64, 64] does not fit tiny-llama: expected [2, 64, 64]'),
    ('jlens-nan', lambda m: lb.JacobianLens(m, _eye_nan()), ValueError, 'Jacobian lens transport J has 1 NaN or inf value(s)'),
    ('jlens-last-not-identity', lambda m: lb.JacobianLens(m, torch.zeros(2, 64, 64)), ValueError, 'J[1] (the last layer) must be the identity'),
    ('jlens-fit-encoder', lambda m: lb.fit_jacobian_lens(lb.tiny('bert'), [P * 20], seq_len=8, progress=False), ValueError, 'is not a causal decoder'),
    ('jlens-fit-no-head', lambda m: lb.fit_jacobian_lens(lb.load('minilm'), [P * 20], progress=False), ValueError, 'has no unembedding'),
    ('jlens-fit-rows', lambda m: lb.fit_jacobian_lens(m, [P * 20], seq_len=8, skip=1, rows=65, progress=False), ValueError, 'rows=65 is more than d_model=64'),
    ('jlens-fit-rows-zero', lambda m: lb.fit_jacobian_lens(m, [P * 20], seq_len=8, skip=1, rows=0, progress=False), ValueError, 'rows must be an int >= 1, got 0'),
    ('jlens-fit-skip', lambda m: lb.fit_jacobian_lens(m, [P * 20], seq_len=8, skip=7, progress=False), ValueError, 'skip=7 leaves no position of a 8-token block: use skip <= seq_len - 2 = 6'),
    ('jlens-fit-shard', lambda m: lb.fit_jacobian_lens(m, [P * 20], seq_len=8, skip=1, shard=(2, 2), progress=False), ValueError, 'shard must be (index, count) with 0 <= index < count'),
    ('jlens-fit-shard-empty', lambda m: lb.fit_jacobian_lens(m, [P * 5], seq_len=8, skip=1, shard=(7, 8), progress=False), ValueError, 'Shard (7, 8) gets no block'),
    ('jlens-fit-float-blocks', lambda m: lb.fit_jacobian_lens(m, torch.randn(2, 8), progress=False), TypeError, 'Token blocks must be a [blocks, seq_len] tensor of ids, got torch.float32'),
    ('jlens-fit-no-text', lambda m: lb.fit_jacobian_lens(m, [], progress=False), ValueError, 'No text'),
    ('jlens-checkpoint-other-fit', lambda m: _jlens_other_checkpoint(m), ValueError, "is a checkpoint of another fit (it differs in ['seq_len'"),
    ('jlens-merge-empty', lambda m: lb.JacobianLens.merge([]), TypeError, 'merge takes a non-empty list of JacobianLens'),
    ('jlens-merge-unfitted', lambda m: lb.JacobianLens.merge([lb.JacobianLens(m)]), ValueError, 'Every lens needs the count it was fitted on'),
    ('jlens-merge-models', lambda m: lb.JacobianLens.merge([_jfit(m), _jfit(lb.tiny('llama', seed=1))]), ValueError, 'Lenses of different models cannot be merged'),
    ('jlens-file-missing', lambda m: lb.load_jacobian_lens(D/'nothing.pt', m), FileNotFoundError, 'No Jacobian lens at'),
    ('jlens-file-wrong-model', lambda m: lb.load_jacobian_lens(_jfit(lb.tiny('llama', seed=1)).save(D/'other.safetensors'), m), ValueError, 'was made from another model'),
    ('jlens-file-tuned', lambda m: lb.load_jacobian_lens(lb.TunedLens(m).save(D/'tuned.safetensors'), m), ValueError, "holds 'lensbook.tuned_lens/1', not a jacobian_lens"),
    ('jlens-file-nan', lambda m: lb.load_jacobian_lens(_jref(m, 'nan.pt', {0: _nan(64, 64)}), m), ValueError, 'Jacobian lens transport J has 1 NaN or inf value(s)'),
    ('jlens-file-width', lambda m: lb.load_jacobian_lens(_jref(m, 'wide.pt', {0: torch.eye(32)}, d_model=32), m), ValueError, 'was fitted for d_model=32, but tiny-llama has d_model=64'),
    ('jlens-file-layers', lambda m: lb.load_jacobian_lens(_jref(m, 'deep.pt', {0: torch.eye(64), 5: torch.eye(64)}), m), ValueError, 'needs 0..0 (the last, 1, is the identity): [5] are outside the model'),
    ('jlens-file-entry-shape', lambda m: lb.load_jacobian_lens(_jref(m, 'rect.pt', {0: torch.zeros(64, 3)}), m), ValueError, 'transports of shape [1, 64, 3] do not fit tiny-llama'),
    ('jlens-file-code', lambda m: lb.load_jacobian_lens(_jcode(), m), ValueError, 'no code is ever run from a lens file'),
    ('jlens-file-keys', lambda m: lb.load_jacobian_lens(_jref(m, 'probe.pt', None, w=torch.zeros(3)), m), ValueError, "holds no Jacobian lens: a reference file has the keys 'J'"),
    # Patchscope: the verbalizer lens and verbalize
    ('ps-other-model', lambda m: _lens(m, lens=lb.Patchscope(lb.tiny('llama', seed=1))), ValueError, 'This patchscope was made for another model'),
    ('ps-state-shape', lambda m: lb.Patchscope(m).logits(torch.zeros(3, 32), 0), ValueError, 'States of shape [3, 32] do not fit tiny-llama: the last axis must be d_model=64'),
    ('ps-state-nan', lambda m: lb.Patchscope(m).logits(_nan(2, 64), 0), ValueError, 'patchscope state has 1 NaN or inf value(s)'),
    ('ps-layer', lambda m: lb.Patchscope(m).logits(torch.zeros(2, 64), 5), IndexError, 'layer 5 is out of range'),
    ('ps-target-empty', lambda m: lb.Patchscope(m, '  '), ValueError, 'target_prompt must be a non-empty string'),
    ('ps-target-pos', lambda m: lb.Patchscope(m, 'ab', pos=10), IndexError, 'pos (in the target prompt) 10 is out of range'),
    ('ps-no-head', lambda m: lb.Patchscope(lb.load('minilm')), ValueError, 'has no unembedding'),
    ('ps-verbalize-site', lambda m: lb.verbalize(m, P, sites='attn_out'), ValueError, 'attn_out'),
    ('ps-verbalize-control', lambda m: lb.verbalize(m, P, control=''), ValueError, 'control must be an unrelated prompt'),
    ('ps-verbalize-pos', lambda m: lb.verbalize(m, P, pos=-40), IndexError, 'pos -40 is out of range'),
    # token blocks and the corpus
    ('text-non-string', lambda m: lb.token_blocks(m, ['ab', 3]), TypeError, 'texts[1] must be a string, got int: 3'),
    ('text-not-a-list', lambda m: lb.token_blocks(m, 42), TypeError, 'texts must be a string or a list of strings, got int: 42'),
    ('text-seq-zero', lambda m: lb.token_blocks(m, 'ab', seq_len=0), ValueError, 'seq_len must be an int >= 1, got 0'),
    ('text-split', lambda m: lb.corpus('valid'), ValueError, "split must be one of 'train', 'test', 'all'; got 'valid'"),
    # attention
    ('attn-max-tokens', lambda m: lb.attention(m, P, max_tokens=0), ValueError, 'max_tokens must be an int >= 1, got 0'),
    ('attn-mem-nan', lambda m: lb.attention(m, P, mem_mb=float('nan')), ValueError, 'mem_mb must be a finite number, got nan'),
    ('attn-plot-layer-string', lambda m: _attention(m).plot(layer='1'), TypeError, "layer must be an int, got '1'"),
    ('attn-plot-layer-unread', lambda m: _attention(m).plot(layer=0), ValueError, 'layer 0 was not read: layers read are [1]'),
    ('attn-plot-head-float', lambda m: _attention(m).plot(layer=1, head=1.5), TypeError, 'head index must be an int, got 1.5'),
    ('attn-payload-layer', lambda m: _attention(m).payload(layer=5), IndexError, 'layer index 5 is out of range: there are 1'),
    ('attn-payload-head', lambda m: _attention(m).payload(head='0'), TypeError, "head must be an int, got '0'"),
    ('attn-pool-block', lambda m: lb.pool_pattern(torch.ones(1, 4, 4) / 4, 0), ValueError, 'block size b must be an int >= 1, got 0'),
    # architecture maps that no longer fit
    ('arch-final-norm-moved', _refused(lambda e: dict(e, final_norm=None)), NotImplementedError, "lensbook's map of 'llama' does not fit LlamaForCausalLM: check 'lens'"),
    ('arch-final-norm-wrong', _refused(lambda e: dict(e, final_norm='layers.1.mlp')), NotImplementedError, "check 'lens' (the final norm and the unembedding of the last block's output give the model's logits) is off by"),
    ('arch-attn-out-wrong', _refused(lambda e: dict(e, sites=dict(e['sites'], attn_out=Point('self_attn.o_proj', 'in')))), NotImplementedError, "check 'additive' (the sublayer outputs add up to the stream) is off by"),
    ('arch-mlp-out-shape', _refused(lambda e: dict(e, sites=dict(e['sites'], mlp_out=Point('mlp.up_proj', 'out')))), NotImplementedError, "check 'additive' (the sublayer outputs add up to the stream) is off by inf at layer 0"),
    ('arch-blocks-moved', _refused(lambda e: dict(e, blocks='decoder_layers')), NotImplementedError, "no module 'decoder_layers' under LlamaModel"),
    ('arch-block-changed', _doubled_block, NotImplementedError, "check 'additive' (the sublayer outputs add up to the stream) is off by"),
    ('arch-not-transformers', lambda m: arch_of(nn.Linear(2, 2)), NotImplementedError, 'Linear is not a transformers PreTrainedModel'),
    # attention mass, rollout and flow (nbs/19_attention_aggregate)
    ('mass-span-missing', lambda m: lb.attention_mass(m, 'Hi there', spans={'x': 'zz'}), ValueError, "span 'x' ('zz') does not occur in prompt 0"),
    ('mass-span-clash', lambda m: lb.attention_mass(m, 'Hi there', spans={'first': 'Hi'}), ValueError, 'clash with the built-in classes'),
    ('mass-groups-type', lambda m: lb.attention_mass(m, 'Hi there', groups=[1]), TypeError, 'groups must be a dict'),
    ('mass-one-token', lambda m: lb.attention_mass(m, 'H'), ValueError, 'No queries'),
    ('flow-two-prompts', lambda m: lb.attention_flow(m, ['a', 'b']), TypeError, 'takes one prompt'),
    ('flow-pos', lambda m: lb.attention_flow(m, 'Hi', pos=9), IndexError, 'position 9 is out of range'),
    ('flow-residual', lambda m: lb.attention_flow(m, 'Hi', residual=1.5), ValueError, 'residual must be in [0.0, 1.0], got 1.5'),
    # head detectors (nbs/16_heads)
    ('heads-n-one', lambda m: lb.head_detectors(m, n=1), ValueError, 'n must be an int >= 2, got 1'),
    ('heads-n-long', lambda m: lb.head_detectors(m, n=10**4), ValueError, 'n must be at most'),
    ('heads-batch-zero', lambda m: lb.head_detectors(m, batch_size=0), ValueError, 'batch_size must be an int >= 1, got 0'),
    ('heads-seed-float', lambda m: lb.head_detectors(m, seed=0.5), TypeError, 'seed must be an int, got 0.5'),
    ('heads-top-kind', lambda m: lb.head_detectors(m, n=4, batch_size=1).top('copy'), ValueError, "detector must be one of"),
    # decode_direction (nbs/11_lens.weights)
    ('direction-shape', lambda m: lb.decode_direction(m, torch.ones(3)), ValueError, 'vectors must be [d_model=64] or [n, d_model], got [1, 3]'),
    ('direction-nan', lambda m: lb.decode_direction(m, torch.full((64,), float('nan'))), ValueError, 'vectors'),
    ('direction-lens', lambda m: lb.decode_direction(m, torch.ones(64), lens=3), TypeError, 'lens must be a lens object'),
    ('direction-names', lambda m: lb.decode_direction(m, torch.ones(2, 64), names=['a']), ValueError, 'names needs one label per direction (2), got 1'),
    ('direction-k', lambda m: lb.decode_direction(m, torch.ones(64), k=0), ValueError, 'k must be an int >= 1, got 0'),
]
