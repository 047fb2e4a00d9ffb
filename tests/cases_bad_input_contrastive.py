"""Bad input for contrastive decoding (nbs/39_contrastive): contrastive, the amateurs, ContrastiveProcessor, Contrastive.

`CASES = [(case_id, call(m), exception type, message substring)]` for tests/test_bad_input.py; `m` is the fixture tiny
Llama (2 layers; its buckets are 'low' = [resid_pre.0], 'high' = [resid_pre.1]; its tokenizer has one added token, so a
fresh `lb.tiny('llama')` has another vocabulary).
"""
import torch
import lensbook as lb
from lensbook.core import SiteError

nan, inf = float('nan'), float('inf')
H = [lb.replace('head_out.0', 0., unit=[1])]

CASES = [
    # the amateur
    ('contrastive-amateur-int', lambda m: lb.contrastive_decode(m, 'hi', 3), TypeError, 'amateur is an Amateur (layer_amateur'),
    ('contrastive-amateur-none', lambda m: lb.contrastive_decode(m, 'hi', None), TypeError, 'got NoneType: None'),
    ('contrastive-amateur-empty-list', lambda m: lb.contrastive_decode(m, 'hi', []), TypeError, 'got list: []'),
    ('contrastive-layer-last', lambda m: lb.contrastive_decode(m, 'hi', ['resid_post.1']), ValueError, 'cannot be the last layer (resid_post.1'),
    ('contrastive-layer-out-of-range', lambda m: lb.contrastive_decode(m, 'hi', 'resid_pre.7'), IndexError, 'layer 7 is out of range'),
    ('contrastive-bucket-typo', lambda m: lb.contrastive_decode(m, 'hi', 'hgih'), SiteError, "(did you mean 'high'?)"),
    ('contrastive-layer-wrong-kind', lambda m: lb.contrastive_decode(m, 'hi', lb.layer_amateur('mlp_out.0')), SiteError, "got 'mlp_out.0'"),
    ('contrastive-layer-ints', lambda m: lb.contrastive_decode(m, 'hi', lb.layer_amateur([0, 1])), TypeError, "not numbers: got [0, 1]"),
    ('contrastive-divergence-typo', lambda m: lb.layer_amateur('high', divergence='js'), ValueError, "divergence must be one of 'transformers', 'jsd'; got 'js'"),
    ('contrastive-lens-str', lambda m: lb.contrastive_decode(m, 'hi', lb.layer_amateur('high', lens='tuned')), TypeError, 'lens is a lens object'),
    ('contrastive-edits-not-edits', lambda m: lb.edit_amateur(['head_out.0']), TypeError, "edits are lb.Edit objects (lb.replace, lb.add, lb.transform, lb.knockout), got str: 'head_out.0'"),
    ('contrastive-edits-nothing', lambda m: lb.edit_amateur(), ValueError, 'needs edits= or skip='),
    ('contrastive-edit-bad-layer', lambda m: lb.contrastive_decode(m, 'hi', [lb.replace('head_out.9', 0.)]), IndexError, 'layer 9 is out of range'),
    ('contrastive-edit-bad-head', lambda m: lb.contrastive_decode(m, 'hi', [lb.replace('head_out.0', 0., unit=[9])]), IndexError, 'head 9'),
    ('contrastive-skip-str', lambda m: lb.edit_amateur(skip='1'), TypeError, "skip is a list of block indices, got '1'"),
    ('contrastive-skip-float', lambda m: lb.edit_amateur(skip=[1.0]), TypeError, 'skip layer must be an int, got 1.0'),
    ('contrastive-skip-out-of-range', lambda m: lb.contrastive_decode(m, 'hi', lb.edit_amateur(skip=[5])), IndexError, 'skip layer 5 is out of range'),
    ('contrastive-skip-all', lambda m: lb.contrastive_decode(m, 'hi', lb.edit_amateur(skip=[0, 1])), ValueError, 'skips all 2 layers'),
    ('contrastive-prompt-no-placeholder', lambda m: lb.prompt_amateur('Answer wrongly.'), ValueError, "holds '{prompt}'"),
    ('contrastive-prompt-int', lambda m: lb.prompt_amateur(3), TypeError, 'got int'),
    ('contrastive-prompt-list-length', lambda m: lb.contrastive_decode(m, ['a', 'b'], lb.prompt_amateur(['x'])), ValueError, 'has 1 prompts for 2 prompts'),
    ('contrastive-prompt-ids', lambda m: lb.contrastive_decode(m, torch.tensor([[5, 6]]), lb.prompt_amateur('x {prompt}')), TypeError, 'give the prompts as strings'),
    ('contrastive-model-not-model', lambda m: lb.model_amateur(m.model), TypeError, 'model_amateur takes a Model'),
    ('contrastive-model-other-vocab', lambda m: lb.contrastive_decode(m, 'hi', lb.tiny('llama')), ValueError, 'has another tokenizer than'),
    # numbers
    ('contrastive-tokens-zero', lambda m: lb.contrastive_decode(m, 'hi', H, 0), ValueError, 'max_new_tokens must be an int >= 1, got 0'),
    ('contrastive-tokens-float', lambda m: lb.contrastive_decode(m, 'hi', H, 2.5), TypeError, 'max_new_tokens must be an int, got 2.5'),
    ('contrastive-alpha-zero', lambda m: lb.contrastive_decode(m, 'hi', H, alpha=0), ValueError, 'alpha must be in (0, 1], got 0.0'),
    ('contrastive-alpha-above-one', lambda m: lb.contrastive_decode(m, 'hi', H, alpha=1.5), ValueError, 'alpha must be in (0, 1], got 1.5'),
    ('contrastive-beta-negative', lambda m: lb.contrastive_decode(m, 'hi', H, beta=-1), ValueError, 'beta must be in [0, inf], got -1.0'),
    ('contrastive-beta-nan', lambda m: lb.contrastive_decode(m, 'hi', H, beta=nan), ValueError, 'beta must be a finite number, got nan'),
    ('contrastive-beta-str', lambda m: lb.contrastive_decode(m, 'hi', H, beta='1'), TypeError, 'beta must be a real number'),
    ('contrastive-gate-typo', lambda m: lb.contrastive_decode(m, 'hi', H, gate='entropi'), ValueError, "gate must be one of 'entropy', 'jsd'; got 'entropi' (did you mean 'entropy'?)"),
    ('contrastive-gate-bool', lambda m: lb.contrastive_decode(m, 'hi', H, gate=True), ValueError, 'gate must be one of'),
    ('contrastive-threshold-negative', lambda m: lb.contrastive_decode(m, 'hi', H, gate='jsd', threshold=-0.1), ValueError, 'threshold must be in [0, inf], got -0.1'),
    ('contrastive-threshold-inf', lambda m: lb.contrastive_decode(m, 'hi', H, gate='jsd', threshold=inf), ValueError, 'threshold must be a finite number, got inf'),
    ('contrastive-do-sample-str', lambda m: lb.contrastive_decode(m, 'hi', H, do_sample='yes'), TypeError, "do_sample is True or False, got 'yes'"),
    ('contrastive-temperature-zero', lambda m: lb.contrastive_decode(m, 'hi', H, do_sample=True, temperature=0), ValueError, 'temperature must be in (0, inf], got 0.0'),
    ('contrastive-top-p-zero', lambda m: lb.contrastive_decode(m, 'hi', H, do_sample=True, top_p=0), ValueError, 'top_p must be in (0, 1], got 0.0'),
    ('contrastive-top-p-above-one', lambda m: lb.contrastive_decode(m, 'hi', H, do_sample=True, top_p=1.2), ValueError, 'top_p must be in (0, 1], got 1.2'),
    ('contrastive-seed-float', lambda m: lb.contrastive_decode(m, 'hi', H, do_sample=True, seed=1.5), TypeError, 'seed must be an int, got 1.5'),
    ('contrastive-penalty-zero', lambda m: lb.contrastive_decode(m, 'hi', H, repetition_penalty=0), ValueError, 'repetition_penalty must be in (0, inf], got 0.0'),
    ('contrastive-batch-size-zero', lambda m: lb.contrastive_decode(m, 'hi', H, batch_size=0), ValueError, 'batch_size must be an int >= 1, got 0'),
    # prompts
    ('contrastive-empty-prompt', lambda m: lb.contrastive_decode(m, '', H), ValueError, 'Prompt 0 is empty'),
    ('contrastive-ids-outside-vocab', lambda m: lb.contrastive_decode(m, torch.tensor([[1, 99999]]), H), ValueError, 'Token id 99999 of prompt 0 is outside the vocabulary'),
    ('contrastive-ids-float', lambda m: lb.contrastive_decode(m, torch.tensor([[1., 2.]]), H), TypeError, 'integer tensor [pos] or [batch, pos], got torch.float32'),
    ('contrastive-ids-empty-row', lambda m: lb.contrastive_decode(m, [[1, 2], []], H), ValueError, 'Prompt 1 has no tokens'),
    # the processor and the result
    ('contrastive-processor-layer', lambda m: lb.ContrastiveProcessor(m, 'high'), ValueError, 'use lb.contrastive_decode(m, prompts, layer_amateur'),
    ('contrastive-processor-prompt-without-prompts', lambda m: lb.ContrastiveProcessor(m, lb.prompt_amateur('x {prompt}')), ValueError, 'needs prompts='),
    ('contrastive-processor-alpha', lambda m: lb.ContrastiveProcessor(m, H, alpha=2), ValueError, 'alpha must be in (0, 1], got 2.0'),
    ('contrastive-payload-prompt', lambda m: lb.contrastive_decode(m, 'hi', H, 2).payload(prompt=3), IndexError, 'prompt 3 is out of range: there are 1'),
    ('contrastive-generation-index', lambda m: lb.contrastive_decode(m, 'hi', H, 2).generation(-2), IndexError, 'prompt -2 is out of range'),
]
CASES += [
    ('contrastive-pos-edit-unequal-prompts', lambda m: lb.contrastive_decode(m, ['a b c', 'a'], [lb.add('resid_post.0', 1., pos=[-1])]),
     ValueError, 'Prompts have different token lengths [1, 5]; amateur edits that address positions'),
]
