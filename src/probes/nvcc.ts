import path from 'node:path';
import { defineProbe, failure, type Probed } from '../core/index.js';
import { findOnPath, isExecutableFile } from '../util/which.js';

export interface NvccInfo {
  path: string;
  /** "13.0": the CUDA toolkit's compiler, which PyTorch wheels do not use. */
  version: string;
}

declare module '../core/facts.js' {
  interface Facts {
    /** The CUDA toolkit compiler, reported so a mismatch with torch's CUDA is not mistaken for a problem. */
    nvcc: Probed<NvccInfo>;
  }
}

export function parseNvccVersion(text: string): string | undefined {
  return /release (\d+\.\d+)/.exec(text)?.[1];
}

export const nvccProbe = defineProbe({
  fact: 'nvcc',
  async probe(ctx) {
    const exe = ctx.platform === 'win32' ? 'nvcc.exe' : 'nvcc';
    const homes = [ctx.env.CUDA_HOME, ctx.env.CUDA_PATH, ctx.platform === 'win32' ? undefined : '/usr/local/cuda'].filter((h): h is string => !!h);
    let file = await findOnPath('nvcc', ctx.env, ctx.platform);
    for (const home of homes) {
      if (file) break;
      const candidate = path.join(home, 'bin', exe);
      if (await isExecutableFile(candidate, ctx.platform)) file = candidate;
    }
    if (!file) return failure('no CUDA toolkit (nvcc) found; PyTorch wheels do not need one');
    const run = await ctx.exec(file, ['--version'], { timeoutMs: 5000 });
    const version = run.ok ? parseNvccVersion(run.stdout) : undefined;
    return version ? { ok: true, path: file, version } : failure(`could not read the version of ${file}: ${run.ok ? 'unexpected output' : run.reason}`);
  },
});
