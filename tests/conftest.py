import os
os.environ.setdefault('HF_HUB_OFFLINE', '1')
os.environ.setdefault('TRANSFORMERS_OFFLINE', '1')
import pytest, torch
torch.set_num_threads(int(os.environ.get('OMP_NUM_THREADS', '1')))

@pytest.fixture(scope='session')
def smollm2():
    from lensbook.models import load
    return load('smollm2')

@pytest.fixture(scope='session')
def minilm():
    from lensbook.models import load
    return load('minilm')

def pytest_configure(config):
    config.addinivalue_line('markers', 'browser: drives JupyterLab in Debian Chromium via Playwright '
                            '(tests/browser_lab.py); run them alone with `pytest -m browser`')
