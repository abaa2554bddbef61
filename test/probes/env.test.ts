import { describe, expect, it } from 'vitest';
import { snapshotEnv } from '../../src/probes/env.js';

describe('snapshotEnv', () => {
  const env = {
    nnUNet_raw: '/data/raw',
    NNUNET_RESULTS: '/data/res',
    RESULTS_FOLDER: '/v1/results',
    CUDA_VISIBLE_DEVICES: '1',
    TORCHINDUCTOR_CACHE_DIR: '/tmp/ind',
    LD_LIBRARY_PATH: '/opt/secret/lib',
    SLURM_JOB_ID: '4242',
    AWS_SECRET_ACCESS_KEY: 'do-not-copy',
    WANDB_API_KEY: 'do-not-copy',
    HOME: '/home/alice',
  };

  it('keeps only allow-listed variables, sorted', () => {
    const snap = snapshotEnv(env);
    expect(snap.vars).toEqual({
      CUDA_VISIBLE_DEVICES: '1',
      NNUNET_RESULTS: '/data/res',
      nnUNet_raw: '/data/raw',
      RESULTS_FOLDER: '/v1/results',
      TORCHINDUCTOR_CACHE_DIR: '/tmp/ind',
    });
    expect(Object.keys(snap.vars)).toEqual([...Object.keys(snap.vars)].sort((a, b) => a.localeCompare(b)));
  });

  it('records some variables only as present, and never copies anything else', () => {
    const snap = snapshotEnv(env);
    expect(snap.present).toEqual(['LD_LIBRARY_PATH', 'SLURM_JOB_ID']);
    expect(JSON.stringify(snap)).not.toMatch(/do-not-copy|secret|alice/);
  });
});
