import { defineCheck, skip } from '../src/core/index.js';
import { judgeStorage } from '../src/system/storage-rules.js';

export default defineCheck({
  id: 'system.storage',
  title: 'Disks under the nnU-Net folders',
  category: 'system',
  needs: ['storage'],
  run({ storage }) {
    if (!storage.ok) return skip(storage.reason);
    if (storage.folders.length === 0) return skip('none of nnUNet_raw, nnUNet_preprocessed and nnUNet_results is set (see env.paths)');
    return judgeStorage(storage.folders);
  },
});
