import { defineCheck, fail, pass } from '../src/core/index.js';

const REF = 'nnunetv2 pyproject.toml: requires-python >=3.10';

export default defineCheck({
  id: 'python.version',
  title: 'Python version',
  category: 'python',
  rank: 10,
  needs: ['python'],
  run({ python }) {
    if (!python.ok) {
      return fail(`could not examine Python: ${python.reason}`, {
        details: python.stderr,
        fix: 'activate the environment nnU-Net is installed in, or pass --python /path/to/python',
      });
    }
    const { interpreter } = python;
    const [major, minor] = interpreter.versionInfo;
    const env = interpreter.conda ? `conda env ${interpreter.conda.name ?? interpreter.conda.prefix}` : interpreter.venv ? `venv ${interpreter.prefix}` : 'no virtual environment';
    const evidence = { executable: interpreter.executable, version: interpreter.version, prefix: interpreter.prefix, venv: interpreter.venv, conda: interpreter.conda, chosenBy: python.chosenBy, command: python.command };
    if (major < 3 || (major === 3 && minor < 10)) {
      return fail(`Python ${interpreter.version} is too old; nnU-Net v2 needs 3.10 or newer`, {
        why: 'nnunetv2 requires Python >= 3.10 since v2.6.0; on 3.9 its dependencies (acvl_utils, blosc2) broke (nnUNet #2589) and 3.8 fails on type hints (#981).',
        fix: 'create a new environment: python3.12 -m venv ~/nnunet-env && . ~/nnunet-env/bin/activate (or conda create -n nnunet python=3.12)',
        ref: REF,
        evidence,
      });
    }
    return pass(`Python ${interpreter.version} at ${interpreter.executable} (${env})`, { evidence });
  },
});
