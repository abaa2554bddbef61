import { defineCheck, skip } from '../src/core/index.js';
import { torchImported, torchVersionOf } from '../src/python/report.js';
import { judgeTorchVersion } from '../src/python/torch-rules.js';

export default defineCheck({
  id: 'torch.version',
  title: 'PyTorch version for nnU-Net',
  category: 'torch',
  needs: ['python'],
  run({ python }) {
    if (!python.ok) return skip(python.reason);
    const torch = torchVersionOf(python);
    if (!torch) return skip('torch is not installed (see torch.installed)');
    return judgeTorchVersion({ torch: torch.version, cudnn: torchImported(python)?.cudnn, nnunet: python.packages.nnunetv2 });
  },
});
