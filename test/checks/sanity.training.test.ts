import { describe, expect, it } from 'vitest';
import check from '../../checks/sanity.training.js';
import type { SanityResult } from '../../src/engine/train/sanity.js';
import type { Finding } from '../../src/core/finding.js';

const base: SanityResult = {
  data: { kind: 'synthetic', name: 'synthetic', trainingCases: 6, heldOutCase: 'synthetic_1000' },
  network: { preset: 'tiny', patchSize: [32, 32, 32], batchSize: 2, parameterCount: 351329, numClasses: 3 },
  provider: 'cpu',
  fallbacks: [],
  precision: { requested: 'fp32', computed: 'fp32' },
  learningRate: 0.01,
  stepsPlanned: 16,
  steps: [{ step: 1, loss: 1.3, gradNorm: 1.2, durationMs: 900 }],
  loss: { first: 1.26, last: 0.4, decrease: 0.86, relativeDecrease: 0.68 },
  verdict: 'learning',
  inference: { caseId: 'synthetic_1000', tiles: 8, finite: true, dicePerClass: [0.86, 0.94], meanDice: 0.9, durationMs: 3000 },
  durationMs: 30_000,
};

const judge = async (sanity: SanityResult | { ok: false; reason: string }): Promise<Finding[]> =>
  [await check.run({ sanity: 'ok' in sanity ? sanity : { ok: true, ...sanity } })].flat();

describe('sanity.training', () => {
  it('passes a finite, falling loss and reports the held-out Dice', async () => {
    const [training, inference] = await judge(base);
    expect(training!.status).toBe('pass');
    expect(training!.summary).toMatch(/1\.260 -> 0\.400/);
    expect(inference!.status).toBe('info');
    expect(inference!.summary).toMatch(/Dice 0\.90/);
  });

  it('fails on a non-finite value, naming tensor, step and cause, with a fix', async () => {
    const findings = await judge({
      ...base, verdict: 'non-finite', loss: undefined, inference: undefined,
      problem: { kind: 'input', step: 1, tensor: 'data', cause: 'the input already contained NaN/Inf', detail: 'case_001 holds NaN', caseIds: ['case_001'] },
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]!.status).toBe('fail');
    expect(findings[0]!.summary).toBe('non-finite value at step 1 in data: the input already contained NaN/Inf');
    expect(findings[0]!.fix).toMatch(/nan_to_num/);
  });

  it('fails on labels out of range before training', async () => {
    const [f] = await judge({ ...base, verdict: 'bad-labels', problem: { kind: 'label', step: 0, tensor: 'target', cause: 'label out of range', detail: 'label value 5', caseIds: ['c'] } });
    expect(f!.status).toBe('fail');
    expect(f!.summary).toMatch(/^label out of range before training/);
  });

  it('warns when the loss does not fall, and says fp16 was not computed on the CPU', async () => {
    const findings = await judge({
      ...base, verdict: 'not-learning', loss: { first: 1, last: 0.99, decrease: 0.01, relativeDecrease: 0.01 },
      precision: { requested: 'fp16', computed: 'fp32', note: 'the CPU execution provider has no fp16 convolution' },
    });
    expect(findings.map((f) => f.status)).toEqual(['info', 'warn', 'info']);
    expect(findings[0]!.summary).toBe('fp16 requested, computed in fp32');
  });

  it('fails a prediction with non-finite logits, and skips when sanity was not run', async () => {
    const findings = await judge({ ...base, inference: { ...base.inference!, finite: false } });
    expect(findings[1]!.status).toBe('fail');
    const [skipped] = await judge({ ok: false, reason: 'no probe provides the fact "sanity"' });
    expect(skipped!.status).toBe('skip');
    expect(skipped!.summary).toMatch(/nnunet-doctor sanity/);
  });
});
