import { defineCheck, skip } from '../src/core/index.js';
import { judgePaths } from '../src/env/path-rules.js';

export default defineCheck({
  id: 'env.paths',
  title: 'nnU-Net folders (nnUNet_raw, nnUNet_preprocessed, nnUNet_results)',
  category: 'env',
  rank: 10,
  needs: ['paths', 'env', 'os'],
  run({ paths, env, os }) {
    if (!paths.ok) return skip(paths.reason);
    if (!env.ok) return skip(env.reason);
    return judgePaths({ paths, env, platform: os.ok ? os.platform : 'linux' });
  },
});
