"""`make lab` serves the tour: started in the background on 127.0.0.1 with a token, checked, stopped by PID."""
import os, signal, socket, subprocess, sys, time, urllib.request, pathlib
import pytest
ROOT = pathlib.Path(__file__).parents[1]

def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

def _as_user():
    "As root: run `make lab` as the unprivileged user `nobody` too (JupyterLab's rules differ for root and users)."
    import shutil
    if os.geteuid() != 0 or not shutil.which('runuser'): return False
    python = os.path.realpath(ROOT/'.venv'/'bin'/'python')   # e.g. under /root/.pyenv, which other users cannot reach
    return subprocess.run(['runuser', '-u', 'nobody', '--', 'test', '-x', python, '-a', '-r', str(ROOT/'nbs'/'index.ipynb')]).returncode == 0

@pytest.mark.parametrize('user', ['this', 'nobody'])
def test_make_lab_serves_the_tour(tmp_path, user):
    if user == 'nobody' and not _as_user():
        pytest.skip('needs root, runuser, and a venv and checkout the user nobody can read (here the interpreter may sit under /root)')
    port, token = _free_port(), 'lensbook-test-token'
    args = (f'--no-browser --ip=127.0.0.1 --port={port} --IdentityProvider.token={token} '
            f'--ServerApp.port_retries=0')   # no --allow-root here: as root, `make lab` must add it itself
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(tmp_path/'cfg'), JUPYTER_RUNTIME_DIR=str(tmp_path/'rt'),
               JUPYTERLAB_SETTINGS_DIR=str(tmp_path/'settings'), JUPYTERLAB_WORKSPACES_DIR=str(tmp_path/'ws'))
    env.pop('MAKEFLAGS', None); env.pop('MFLAGS', None)
    cmd = ['make', '--no-print-directory', 'lab', f'LAB_ARGS={args}']
    if user == 'nobody':
        tmp_path.chmod(0o777)
        env.update(HOME=str(tmp_path), JUPYTER_DATA_DIR=str(tmp_path/'data'), IPYTHONDIR=str(tmp_path/'ipy'))
        cmd = ['runuser', '-u', 'nobody', '--', 'env', *[f'{k}={v}' for k, v in env.items() if k.startswith(('JUPYTER', 'HOME', 'IPYTHON', 'PATH', 'OMP', 'MKL'))], *cmd]
    log = open(tmp_path/'lab.log', 'w')
    p = subprocess.Popen(cmd, cwd=ROOT, env=env,
                         stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline, status = time.time() + 120, None
        while time.time() < deadline and p.poll() is None:
            try:
                req = urllib.request.Request(f'http://127.0.0.1:{port}/api/status', headers={'Authorization': f'token {token}'})
                status = urllib.request.urlopen(req, timeout=5).status
                break
            except OSError: time.sleep(0.5)
        assert status == 200, (tmp_path/'lab.log').read_text()[-3000:]
        # the server opens nbs/ (jupyter lab FILE serves the file's folder) and the tour is there
        req = urllib.request.Request(f'http://127.0.0.1:{port}/api/contents/index.ipynb?content=0',
                                     headers={'Authorization': f'token {token}'})
        assert urllib.request.urlopen(req, timeout=5).status == 200
        # without the token the API refuses
        with pytest.raises(urllib.error.HTTPError): urllib.request.urlopen(f'http://127.0.0.1:{port}/api/status', timeout=5)
    finally:
        os.killpg(p.pid, signal.SIGTERM)
        try: p.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL); p.wait(10)
        log.close()
    assert p.poll() is not None
