__version__ = "0.1.0"
# `import lensbook` stays light: torch and transformers load when a name below is first used.
_API = {
    'core': ['SITES', 'Site', 'SiteError', 'parse_site', 'parse_sites', 'site_names', 'site_shape'],
    'models': ['Model', 'load', 'tiny', 'tokenize', 'str_tokens', 'fingerprint', 'FAMILIES', 'BUNDLED', 'cache_dir'],
    'arch': ['Arch', 'arch_of', 'validate'],
    'trace': ['run', 'hooks', 'Trace', 'Edit', 'replace', 'add', 'transform', 'all_hooks'],
    'text': ['corpus'],
    'probesets': ['PROBESETS', 'probeset'],
    'activations': ['collect', 'Activations', 'load_activations'],
    'geometry': ['cka', 'cka_matrix', 'twonn', 'anisotropy', 'effective_rank', 'prompt_entropy', 'curvature', 'condition_number', 'esd_alpha', 'layer_geometry', 'layer_cka', 'weight_spectra', 'plot_cka', 'plot_geometry'],
    'probing': ['probe', 'ProbeReport', 'LinearProbe', 'load_probe', 'control_labels', 'sparse_probe', 'rank_units', 'minimal_pairs'],
    'lens.logit': ['LogitLens', 'LensResult', 'logit_lens', 'target_ids'],
    'lens.weights': ['vocab_scores', 'neuron_values', 'neuron_tokens', 'find_neurons', 'head_ov', 'head_tokens', 'ov_tokens'],
    'lens.tuned': ['TunedLens', 'train_lens', 'tuned_lens', 'save_lens', 'load_lens', 'compare'],
    'decoding': ['dola', 'contrast_decode', 'greedy', 'early_exit', 'self_speculative'],
    'intervene': ['ablation', 'steering_vector', 'Steering', 'load_steering', 'steer_sweep'],
    'patching': ['patch', 'PatchResult', 'logit_diff', 'kl_to'],
    'widgets.attention': ['AttentionView'],
    'widgets.lens': ['LensView'],
    'widgets.activations': ['ActivationView'],
    'widgets.effects': ['EffectView'],
    'widgets.intervene': ['InterventionPanel'],
    'widgets.probe': ['ProbeView'],
    'layers': ['order', 'skip', 'swap', 'repeat', 'parallel', 'redundancy', 'prune_choice', 'lm_loss', 'sweep_skip', 'sweep_swap'],
}
_WHERE = {name: mod for mod, names in _API.items() for name in names}
__all__ = list(_WHERE)

def __getattr__(name):
    if name in _WHERE:
        import importlib
        return getattr(importlib.import_module(f'{__name__}.{_WHERE[name]}'), name)
    raise AttributeError(f"module 'lensbook' has no attribute {name!r}")

def __dir__(): return sorted(list(globals()) + __all__)
