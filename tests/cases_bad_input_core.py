"""Bad input at the ground floor: sites, prompts and token ids, model inputs, edits, loading, artefact files."""
import pickle, tempfile, pathlib
import torch
import lensbook as lb
from lensbook.trace import run, hooks, replace, add, transform, Edit
from lensbook.results import save_artefact, load_artefact
from lensbook.core import check_int, check_ints, check_number, check_choice, parse_site

D = pathlib.Path(tempfile.mkdtemp(prefix='lb-bad-input-'))
IDS = torch.tensor([[1, 2, 3]])

def _file(name, data: bytes):
    p = D/name; p.write_bytes(data); return p

def _artefact(name, meta='{}', t=None, fmt='lensbook.probe/1'):
    from safetensors.torch import save_file
    p = D/name
    save_file({'w': torch.zeros(2) if t is None else t}, p, metadata=dict(format=fmt, meta=meta)); return p

def _good(m):
    p = D/'good.safetensors'
    if not p.exists(): save_artefact(p, {'w': torch.ones(2)}, {'layer': 1}, 'probe', m)
    return p

CASES = [
    # sites
    ('site-typo', lambda m: run(m, 'hi', read='resid_pots.0'), ValueError, "Unknown site 'resid_pots'. Did you mean 'resid_post'?"),
    ('site-layer-range', lambda m: run(m, 'hi', read='resid_post.2'), IndexError, 'layer 2 is out of range: there are 2'),
    ('site-neg-layer', lambda m: run(m, 'hi', read='resid_post.-3'), IndexError, 'layer -3 is out of range'),
    ('site-float-layer', lambda m: run(m, 'hi', read='resid_post.1.5'), ValueError, "Cannot parse site 'resid_post.1.5'"),
    ('site-not-per-layer', lambda m: run(m, 'hi', read='logits.1'), ValueError, "Site 'logits' is not per layer"),
    ('site-enc-on-decoder', lambda m: run(m, 'hi', read='enc.resid_post.0'), ValueError, "'enc.'"),
    ('site-int', lambda m: run(m, 'hi', read=3), TypeError, 'A site is a string like "resid_post.3" (or a list of them), got int: 3'),
    ('site-tuple-float', lambda m: run(m, 'hi', read=('resid_post', 1.5)), ValueError, "Cannot parse site 'resid_post.1.5'"),
    ('site-tuple-3', lambda m: parse_site(('resid_post', 1, 2)), ValueError, "A site tuple is (kind, layer), got ('resid_post', 1, 2)"),
    ('site-none', lambda m: run(m, 'hi', read=[None]), TypeError, 'got NoneType: None'),
    ('site-empty', lambda m: run(m, 'hi', read='  '), ValueError, "Cannot parse site '  '"),
    ('site-mid-parallel', lambda m: run(lb.tiny('phi'), 'ab', read='resid_mid.0'), ValueError, 'run in parallel'),
    # prompts and token ids
    ('prompt-empty', lambda m: run(m, ''), ValueError, 'Prompt 0 is empty'),
    ('prompt-blank', lambda m: run(m, ['ok', '  ']), ValueError, 'Prompt 1 is empty'),
    ('prompt-none', lambda m: run(m, None), TypeError, 'A prompt is a string or a list of strings, got NoneType: None'),
    ('prompt-no-list', lambda m: run(m, []), ValueError, 'No prompts given'),
    ('prompt-int-item', lambda m: run(m, ['ok', 7]), TypeError, 'Prompt 1 is a int, not a string: 7'),
    ('prompt-bytes', lambda m: run(m, [b'hi']), TypeError, "Prompt 0 is a bytes, not a string: b'hi'"),
    ('prompt-surrogate', lambda m: run(m, 'bad \ud800 text'), ValueError, "Prompt 0 is not valid text: '\\ud800' at character 4"),
    ('prompt-int', lambda m: run(m, 42), TypeError, 'A prompt is a string or a list of strings, got int: 42'),
    ('ids-over-vocab', lambda m: run(m, torch.tensor([[1, 999]])), IndexError, 'Token id 999 is outside the vocabulary'),
    ('ids-negative', lambda m: run(m, torch.tensor([[-1, 2]])), IndexError, 'Token id -1 is outside the vocabulary'),
    ('ids-float', lambda m: run(m, torch.tensor([[1., 2.]])), TypeError, 'Token ids must be integers, got a torch.float32 tensor'),
    ('ids-bool', lambda m: run(m, torch.tensor([[True]])), TypeError, 'got a torch.bool tensor'),
    ('ids-3d', lambda m: run(m, IDS[None]), ValueError, 'Token ids are [batch, pos] (or [pos]), got shape [1, 1, 3]'),
    ('ids-empty', lambda m: run(m, torch.zeros(1, 0, dtype=torch.long)), ValueError, 'Empty input: no tokens to run'),
    ('ids-too-long', lambda m: run(m, torch.ones(1, 300, dtype=torch.long)), ValueError, 'The input has 300 tokens but'),
    ('dict-no-ids', lambda m: run(m, dict(attention_mask=IDS)), ValueError, "needs 'input_ids' (or 'inputs_embeds'), got keys ['attention_mask']"),
    ('dict-of-lists', lambda m: run(m, dict(input_ids=[[1, 2]])), TypeError, "Model input 'input_ids' must be a tensor, got list: [[1, 2]]"),
    ('dict-misspelt', lambda m: run(m, dict(input_ids=IDS, attention_maks=IDS)), TypeError, "takes no input 'attention_maks' (did you mean 'attention_mask'?)"),
    ('kwarg-misspelt', lambda m: run(m, IDS, attention_maks=IDS), TypeError, "takes no input 'attention_maks'"),
    ('kwarg-unknown', lambda m: run(m, IDS, temperature=0.5), TypeError, "takes no input 'temperature'"),
    ('pos-unequal-lengths', lambda m: run(m, ['ab', 'abcde'], edit=replace('resid_post.0', 0., pos=1)), ValueError, 'different token lengths [2, 5]'),
    # edits
    ('edit-unit-str', lambda m: replace('head_out.0', 0., unit='12'), TypeError, "unit must be an int or a list of ints, got '12'"),
    ('edit-unit-float', lambda m: replace('head_out.0', 0., unit=1.5), TypeError, 'unit must be an int or a list of ints, got 1.5'),
    ('edit-unit-float-list', lambda m: replace('neurons.0', 0., unit=[0, 2.5]), TypeError, 'unit must be an int, got 2.5'),
    ('edit-pos-str', lambda m: replace('resid_post.0', 0., pos='12'), TypeError, "position must be an int or a list of ints, got '12'"),
    ('edit-pos-float', lambda m: add('resid_post.0', 1., pos=[0.5]), TypeError, 'position must be an int, got 0.5'),
    ('edit-rows-float', lambda m: replace('resid_post.0', 0., rows=0.5), TypeError, 'row must be an int or a list of ints, got 0.5'),
    ('edit-rows-bool', lambda m: replace('resid_post.0', 0., rows=True), TypeError, 'row must be an int, got True'),
    ('edit-unit-range', lambda m: run(m, 'abcd', edit=replace('head_out.0', 0., unit=4)), IndexError, 'head 4 is out of range: there are 4'),
    ('edit-kv-head-range', lambda m: run(m, 'abcd', edit=replace('k.0', 0., unit=2)), IndexError, 'head 2 is out of range: there are 2'),
    ('edit-neuron-range', lambda m: run(m, 'abcd', edit=replace('neurons.1', 0., unit=[0, 500])), IndexError, 'neuron 500 is out of range: there are 128'),
    ('edit-row-range', lambda m: run(m, 'abcd', edit=replace('resid_post.0', 0., rows=3)), IndexError, 'row 3 is out of range: there are 1'),
    ('edit-pos-range', lambda m: run(m, 'abcd', edit=replace('resid_post.0', 0., pos=9)), IndexError, 'position 9 is out of range for resid_post.0: the input has'),
    ('edit-shape', lambda m: run(m, 'abcd', edit=replace('resid_post.0', torch.zeros(3, 64))), ValueError, 'the picked part has shape [1, '),
    ('edit-nan', lambda m: add('resid_post.0', torch.tensor([0., float('nan')])), ValueError, 'The value of the edit of resid_post.0 has 1 NaN or inf value(s) of 2'),
    ('edit-inf-number', lambda m: replace('mlp_out.1', float('inf')), ValueError, 'The value of the edit of mlp_out.1 must be a finite number, got inf'),
    ('edit-complex', lambda m: add('resid_post.0', torch.ones(64, dtype=torch.cfloat)), TypeError, 'The value of the edit of resid_post.0 must be real'),
    ('edit-complex-number', lambda m: add('resid_post.0', 2j), TypeError, 'must be real'),
    ('edit-str-value', lambda m: add('resid_post.0', 'big'), TypeError, "The value of an edit of resid_post.0 is a tensor or a number, got 'big'"),
    ('edit-mask-site', lambda m: Edit('resid_post.0', 'mask', lambda q, k: None), ValueError, "A 'mask' edit acts on a 'pattern' site"),
    ('edit-pattern-shape', lambda m: run(m, 'hi there', edit=replace('pattern.0', torch.ones(3, 3))), ValueError, 'Edit of pattern.0 has the wrong shape'),
    # attention edits (nbs/36_attention_edits): refused when made, or when they run, with the model restored
    ('knockout-site', lambda m: lb.knockout('head_out.0', keys=[1]), ValueError, "knockout edits attention patterns: give a 'pattern' site"),
    ('knockout-nothing', lambda m: lb.knockout('pattern.0'), ValueError, 'knockout needs keys=, queries= or edges='),
    ('knockout-both', lambda m: lb.knockout('pattern.0', keys=[1], edges=[(2, 1)]), ValueError, 'not both'),
    ('knockout-empty', lambda m: lb.knockout('pattern.0', keys=[]), ValueError, 'keys: give at least one position'),
    ('knockout-float', lambda m: lb.knockout('pattern.0', keys=[1.5]), TypeError, '1.5'),
    ('knockout-pairs', lambda m: lb.knockout('pattern.0', edges=[(1, 2, 3)]), ValueError, '(query, key) pairs'),
    ('knockout-all-keys', lambda m: run(m, 'hi there', edit=lb.knockout('pattern.1', keys=[0, 1], queries=[1])), ValueError, 'removes every key that query 1 attends to at pattern.1'),
    ('knockout-head', lambda m: run(m, 'hi there', edit=lb.knockout('pattern.0', keys=[0], unit=[7])), IndexError, 'head 7 is out of range'),
    ('interpolate-target', lambda m: lb.interpolate('pattern.0', 'diagonal'), ValueError, "target must be one of"),
    ('interpolate-alpha', lambda m: lb.interpolate('pattern.0', 'uniform', alpha=1.5), ValueError, 'alpha must be'),
    ('interpolate-tensor', lambda m: lb.interpolate('pattern.0', torch.tensor([[1, 0]])), ValueError, 'float tensor of probabilities'),
    ('interpolate-shape', lambda m: run(m, 'hi there', edit=lb.interpolate('pattern.0', torch.ones(5, 5) / 5)), ValueError, 'The target pattern has shape [5, 5], which does not broadcast'),
    ('edit-unit-on-stream', lambda m: replace('resid_post.0', 0., unit=1), ValueError, "site 'resid_post' has none"),
    ('edit-transform-not-fn', lambda m: transform('resid_post.0', 3), TypeError, 'transform() needs a function, got 3'),
    ('edit-transform-shape', lambda m: run(m, 'abcd', edit=transform('mlp_out.0', lambda x: x[..., :3])), ValueError, 'must return a tensor of shape [1, '),
    ('edit-transform-raises', lambda m: run(m, 'abcd', read='resid_post', edit=transform('mlp_out.0', lambda x: 1 / 0)), ZeroDivisionError, 'division by zero'),
    ('hooks-bad-site', lambda m: hooks(m, read='resid_post.9').__enter__(), IndexError, 'layer 9 is out of range'),
    # the checkers themselves, as every entry point uses them
    ('check-int-float', lambda m: check_int('layer', 1.0), TypeError, 'layer must be an int, got 1.0'),
    ('check-int-none', lambda m: check_int('k', None), TypeError, 'k must be an int, got None'),
    ('check-ints-nested', lambda m: check_ints('head', torch.zeros(2, 2, dtype=torch.long)), TypeError, 'got an array of shape [2, 2]'),
    ('check-number-bool', lambda m: check_number('alpha', True), TypeError, 'alpha must be a real number, got True'),
    ('check-number-tensor', lambda m: check_number('alpha', torch.ones(3)), TypeError, 'alpha must be a real number, got tensor('),
    ('check-choice-none', lambda m: check_choice('how', None, ('zero', 'mean')), ValueError, "how must be one of 'zero', 'mean'; got None"),
    # loading
    ('load-number', lambda m: lb.load(42), TypeError, 'load() takes a model name, a folder or an nn.Module, got int'),
    ('load-missing-folder', lambda m: lb.load('/nonexistent/folder'), OSError, "Could not load '/nonexistent/folder'"),
    ('load-tiny-family', lambda m: lb.tiny('llamma'), ValueError, "'llamma'"),
    ('load-option-on-tiny', lambda m: lb.load('tiny-llama', revision='main'), TypeError, "from_pretrained options ['revision'] cannot apply"),
    ('load-option-on-module', lambda m: lb.load(m.model, device_map='auto'), TypeError, "from_pretrained options ['device_map'] cannot apply"),
    ('model-not-module', lambda m: lb.Model('gpt2'), TypeError, 'Model expects a torch nn.Module, got str'),
    # artefact files
    ('file-missing', lambda m: load_artefact(D/'absent.safetensors', 'probe'), FileNotFoundError, f'No probe at {D}/absent.safetensors'),
    ('file-folder', lambda m: load_artefact(D, 'probe'), FileNotFoundError, '(it is a folder)'),
    ('file-pickle', lambda m: load_artefact(_file('pickled.safetensors', pickle.dumps({'w': [1.]})), 'probe'), ValueError, f'{D}/pickled.safetensors is not a lensbook artefact'),
    ('file-truncated', lambda m: load_artefact(_file('cut.safetensors', _good(m).read_bytes()[:-9]), 'probe'), ValueError, f'{D}/cut.safetensors is not a lensbook artefact'),
    ('file-empty', lambda m: load_artefact(_file('empty.safetensors', b''), 'probe'), ValueError, f'{D}/empty.safetensors is not a lensbook artefact'),
    ('file-text', lambda m: load_artefact(_file('notes.txt', b'hello'), 'probe'), ValueError, 'notes.txt is not a lensbook artefact'),
    ('file-wrong-tag', lambda m: load_artefact(_good(m), 'steering'), ValueError, "holds 'lensbook.probe/1', not a steering"),
    ('file-no-tag', lambda m: load_artefact(_artefact('untagged.safetensors', fmt=''), 'probe'), ValueError, 'untagged.safetensors holds'),
    ('file-bad-json', lambda m: load_artefact(_artefact('badjson.safetensors', '{oops'), 'probe'), ValueError, 'badjson.safetensors: its metadata is not valid JSON'),
    ('file-json-list', lambda m: load_artefact(_artefact('listmeta.safetensors', '[1, 2]'), 'probe'), ValueError, 'listmeta.safetensors: its metadata is a list, not a JSON object'),
    ('file-missing-key', lambda m: load_artefact(_artefact('nokey.safetensors'), 'probe', keys=('layer',)), ValueError, "nokey.safetensors: this probe artefact lacks metadata key 'layer'"),
    ('file-missing-tensor', lambda m: load_artefact(_good(m), 'probe', need=('bias',)), ValueError, "good.safetensors: this probe artefact lacks tensor 'bias'"),
    ('file-nan', lambda m: load_artefact(_artefact('nan.safetensors', t=torch.tensor([float('nan')])), 'probe'), ValueError, "nan.safetensors: tensor 'w' has 1 NaN or inf value(s)"),
    ('file-other-model', lambda m: load_artefact(_good(m), 'probe', lb.tiny('llama', seed=1)), ValueError, 'good.safetensors was made from another model'),
    ('save-to-folder', lambda m: save_artefact(D, {}, {}, 'probe'), IsADirectoryError, f'{D} is a folder'),
    ('probe-file-no-table', lambda m: lb.load_probe(save_artefact(D/'probe_nokeys.safetensors', {'W': torch.zeros(1, 64, 1), 'b': torch.zeros(1, 1)}, {'sites': ['resid_post.0'], 'd': 64, 'task': 'logistic', 'classes': [0, 1]}, 'probe', m), m), ValueError, "probe_nokeys.safetensors: this probe artefact lacks metadata key 'table'"),
    ('store-no-rows', lambda m: lb.load_activations(save_artefact(D/'store'/'store.safetensors', {}, {'sites': ['resid_post.0']}, 'activations', m).parent, m), ValueError, "store.safetensors: this activations artefact lacks metadata key 'rows'"),
]
