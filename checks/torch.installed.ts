import { defineCheck, fail, pass, skip } from '../src/core/index.js';
import { fmtMs } from '../src/util/format.js';

const INSTALL_CMD = 'pip install torch --index-url https://download.pytorch.org/whl/cu128';

export default defineCheck({
  id: 'torch.installed',
  title: 'PyTorch imports',
  category: 'torch',
  rank: 10,
  needs: ['python'],
  run({ python }) {
    if (!python.ok) return skip(python.reason);
    const live = python.torch.import;
    const where = python.interpreter.executable;
    const evidence = { executable: where, location: python.torch.location, metadataVersion: python.packages.torch ?? null };
    if (live?.ok) {
      return pass(`torch ${live.version} imports in ${fmtMs(live.importMs)}`, { evidence: { ...evidence, importMs: Math.round(live.importMs) } });
    }
    if (!python.torch.location && !python.packages.torch) {
      return fail(`torch is not installed for ${where}`, {
        why: 'nnU-Net needs PyTorch; the nnUNetv2_* commands fail with "No module named \'torch\'". nnU-Net\'s docs: do not just pip install nnunetv2 without properly installing PyTorch first.',
        fix: `install PyTorch first, with the command https://pytorch.org/get-started/locally/ gives for your CUDA, e.g. ${INSTALL_CMD}`,
        ref: 'documentation/installation_instructions.md',
        evidence,
      });
    }
    if (!live) return skip('torch was not imported (metadata-only probe)');
    return fail(`torch is installed but "import torch" fails: ${live.errorType}: ${firstLine(live.message)}`, {
      why: `Typical causes: a CUDA/cuDNN library missing from the wheel or LD_LIBRARY_PATH, NumPy 1/2 ABI mismatches, or two torch copies mixed in one environment.${python.stderrTail ? `\n${python.stderrTail}` : ''}`,
      fix: `reinstall it cleanly: pip uninstall -y torch && ${INSTALL_CMD}`,
      evidence: { ...evidence, errorType: live.errorType, message: live.message },
    });
  },
});

function firstLine(text: string): string {
  return text.split('\n')[0]!.slice(0, 200);
}
