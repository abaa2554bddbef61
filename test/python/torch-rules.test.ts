import { describe, expect, it } from 'vitest';
import { fmtCudnn, judgeTorchVersion } from '../../src/python/torch-rules.js';

describe('judgeTorchVersion', () => {
  it.each([
    ['1.13.0a0', 'fail', /too old for nnU-Net v2/],
    ['2.0.1+cu117', 'fail', /older than nnU-Net's minimum 2.1.2/],
    ['2.1.2', 'pass', /suits/],
    ['2.8.0+cu128', 'pass', /suits/],
    ['2.9.0+cu128', 'warn', /AMP slowdown/],
    ['2.9.1+cu130', 'warn', /AMP slowdown/],
    ['2.10.0a0+git5f2b7e1', 'pass', /suits/],
  ])('torch %s -> %s', (torch, status, summary) => {
    const finding = judgeTorchVersion({ torch, nnunet: '2.7.0' });
    expect(finding.status).toBe(status);
    expect(finding.summary).toMatch(summary);
  });

  it('softens 2.9 when cuDNN >= 9.15 restores the fast path', () => {
    expect(judgeTorchVersion({ torch: '2.9.1+cu128', cudnn: 91500 }).status).toBe('info');
    expect(judgeTorchVersion({ torch: '2.9.1+cu128', cudnn: 91400 }).status).toBe('warn');
  });

  it('fails torch >= 2.6 with nnunetv2 < 2.5.2 (weights_only checkpoints)', () => {
    const finding = judgeTorchVersion({ torch: '2.6.0+cu124', nnunet: '2.5.1' });
    expect(finding).toMatchObject({ status: 'fail', summary: 'torch 2.6.0+cu124 with nnunetv2 2.5.1 cannot load checkpoints' });
    expect(judgeTorchVersion({ torch: '2.6.0+cu124', nnunet: '2.5.2' }).status).toBe('pass');
  });

  it('fails torch < 2.3 with nnunetv2 2.6.x (GradScaler import), not with 2.7', () => {
    expect(judgeTorchVersion({ torch: '2.2.2', nnunet: '2.6.2' })).toMatchObject({ status: 'fail', summary: 'torch 2.2.2 with nnunetv2 2.6.2 fails at import' });
    expect(judgeTorchVersion({ torch: '2.2.2', nnunet: '2.7.0' }).status).toBe('pass');
  });

  it('warns on a version that is not PEP 440', () => {
    expect(judgeTorchVersion({ torch: 'unknown' }).status).toBe('warn');
  });

  it('formats cuDNN 8 and 9 version numbers', () => {
    expect(fmtCudnn(91002)).toBe('9.10.2');
    expect(fmtCudnn(8902)).toBe('8.9.2');
  });
});
