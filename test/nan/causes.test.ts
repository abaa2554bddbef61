import { describe, expect, it } from 'vitest';
import { rankCauses, WEIGHT } from '../../src/nan/causes.js';

describe('rankCauses', () => {
  it('sums evidence per cause, drops causes argued away, and ranks by score', () => {
    const ranked = rankCauses(
      [
        { cause: 'fp16-overflow', weight: WEIGHT.weak, evidence: 'sudden NaN' },
        { cause: 'nan-inf-voxels', weight: WEIGHT.weak, evidence: 'sudden NaN' },
        { cause: 'nan-inf-voxels', weight: WEIGHT.direct, evidence: 'case_002 has 1 NaN voxel' },
        { cause: 'install', weight: WEIGHT.against, evidence: 'sanity run finite' },
        { cause: 'fp16-overflow', weight: WEIGHT.against, evidence: 'trained on cpu' },
      ],
      'Dataset004_Hippocampus',
    );
    expect(ranked.map((c) => [c.cause, c.score])).toEqual([['nan-inf-voxels', 12]]);
    expect(ranked[0]!.evidence).toEqual(['sudden NaN', 'case_002 has 1 NaN voxel']);
    expect(ranked[0]!.next).toBe('nnunet-doctor dataset Dataset004_Hippocampus -v');
  });

  it('breaks ties by how common the cause is: data before code before numerics', () => {
    const ranked = rankCauses(
      [
        { cause: 'fp16-overflow', weight: 2, evidence: 'sudden' },
        { cause: 'learning-rate', weight: 2, evidence: 'a' },
        { cause: 'nan-inf-voxels', weight: 2, evidence: 'sudden' },
      ],
      'ID',
    );
    expect(ranked.map((c) => c.cause)).toEqual(['nan-inf-voxels', 'learning-rate', 'fp16-overflow']);
  });
});
