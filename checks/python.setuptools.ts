import { defineCheck, pass, skip, warn } from '../src/core/index.js';

export default defineCheck({
  id: 'python.setuptools',
  title: 'distutils available for preprocessing (Python 3.12+)',
  category: 'python',
  needs: ['python'],
  run({ python }) {
    if (!python.ok) return skip(python.reason);
    const [major, minor] = python.interpreter.versionInfo;
    const setuptools = python.packages.setuptools ?? null;
    const evidence = { python: python.interpreter.version, setuptools };
    if (major === 3 && minor < 12) return pass(`Python ${python.interpreter.version} still has the standard-library distutils`, { evidence });
    if (setuptools) return pass(`setuptools ${setuptools} provides distutils on Python ${python.interpreter.version}`, { evidence });
    return warn(`setuptools is missing: preprocessing will crash at its very end on Python ${python.interpreter.version}`, {
      why: 'plan_and_preprocess_api.py imports distutils.file_util to copy the ground truth; distutils left the standard library in Python 3.12 and only setuptools\' shim provides it, which nnunetv2 does not declare. Preprocessing finishes every case, then fails with "No module named \'distutils\'".',
      fix: 'pip install setuptools',
      ref: 'nnunetv2/experiment_planning/plan_and_preprocess_api.py (preprocess_dataset)',
      evidence,
    });
  },
});
