import { defineCheck, fail, pass, skip, warn } from '../src/core/index.js';
import { torchVersionOf } from '../src/python/report.js';
import { compareRelease, releaseOf } from '../src/python/torch-rules.js';

const ABI_MESSAGE = /compiled using NumPy 1\.x cannot be run in|Failed to initialize NumPy|_ARRAY_API not found|numpy\.core\.multiarray failed to import/i;

export default defineCheck({
  id: 'python.numpy',
  title: 'NumPy version (>= 1.24; NumPy 1/2 ABI)',
  category: 'python',
  needs: ['python'],
  run({ python }) {
    if (!python.ok) return skip(python.reason);
    const numpy = python.packages.numpy;
    const evidence = { numpy: numpy ?? null, torch: torchVersionOf(python)?.version ?? null };
    if (!numpy) {
      const status = python.nnunet ? fail : warn;
      return status(`NumPy is not installed for ${python.interpreter.executable}`, { fix: 'pip install "numpy>=1.24"', ref: 'nnunetv2 pyproject.toml: numpy>=1.24', evidence });
    }
    const release = releaseOf(numpy) ?? [0];
    const abiLine = python.stderrTail?.split('\n').find((l) => ABI_MESSAGE.test(l));
    if (abiLine) {
      return fail(`a compiled package does not work with NumPy ${numpy}: ${abiLine.trim().slice(0, 160)}`, {
        why: 'Extensions built against NumPy 1.x cannot load under NumPy 2 (seen while importing torch); functions that need them fail later in odd ways (nnUNet #2299).',
        fix: 'pip install "numpy<2"   (or upgrade the package that was built for NumPy 1, usually torch to >= 2.3)',
        evidence: { ...evidence, message: abiLine.trim() },
      });
    }
    if (compareRelease(release, [1, 24]) < 0) {
      return fail(`NumPy ${numpy} is older than nnU-Net's minimum 1.24`, {
        why: 'Older NumPy breaks reading images: "_vhstack_dispatcher() got an unexpected keyword argument \'dtype\'", reported as "Unable to determine a reader for file ending" (nnUNet #2424).',
        fix: 'pip install -U "numpy>=1.24"',
        ref: 'nnunetv2 pyproject.toml: numpy>=1.24',
        evidence,
      });
    }
    const torch = torchVersionOf(python);
    const torchRelease = torch ? releaseOf(torch.version) : undefined;
    if (release[0]! >= 2 && torchRelease && compareRelease(torchRelease, [2, 3]) < 0) {
      return warn(`NumPy ${numpy} with torch ${torch!.version}, which was built for NumPy 1`, {
        why: 'torch before 2.3 was compiled against NumPy 1.x; under NumPy 2 its NumPy bridge fails ("Failed to initialize NumPy").',
        fix: 'pip install "numpy<2"   (or torch >= 2.3)',
        evidence,
      });
    }
    if (release[0] === 1) {
      return pass(`NumPy ${numpy}`, {
        details: 'Files saved by NumPy 2 reference numpy._core, which NumPy 1 lacks ("No module named \'numpy._core\'"); keep training and inference machines on the same NumPy major version.',
        evidence,
      });
    }
    return pass(`NumPy ${numpy}`, { evidence });
  },
});
