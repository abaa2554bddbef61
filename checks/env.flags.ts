import { defineCheck, skip } from '../src/core/index.js';
import { judgeFlags } from '../src/env/flag-rules.js';

export default defineCheck({
  id: 'env.flags',
  title: 'nnU-Net switches (nnUNet_compile, worker counts, other nnUNet_* variables)',
  category: 'env',
  needs: ['env', 'os'],
  run({ env, os }) {
    if (!env.ok) return skip(env.reason);
    return judgeFlags(env, os.ok ? os.platform : 'linux');
  },
});
