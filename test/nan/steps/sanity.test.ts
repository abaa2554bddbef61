import { describe, expect, it } from 'vitest';
import { failure } from '../../../src/core/facts.js';
import { createNanContext } from '../../../src/nan/context.js';
import { sanityStep } from '../../../src/nan/steps/sanity.js';

describe('the sanity step', () => {
  it('trains the real engine in fp32, rules the install in or out, and says why fp16 did not run on a CPU', async () => {
    const details: string[] = [];
    const ctx = createNanContext({ sanity: true, sanitySteps: 3, probeTimeoutMs: 5000, recorded: { python: failure('not probed') } }, {}, (d) => details.push(d));
    const result = await sanityStep.run(ctx);
    expect(result.status).toBe('pass');
    expect(result.summary).toMatch(/^fp32 on cpu: finite, loss \d/);
    expect(result.summary).toMatch(/fp16 not run: the CPU execution provider has no fp16 convolution/);
    expect(result.summary).toMatch(/synthetic data \(user data: no loader/);
    expect(result.causes).toEqual([{ cause: 'install', weight: -4, evidence: 'fp32 sanity training on synthetic data stayed finite' }]);
    expect(details.some((d) => d.startsWith('fp32: training 3/3'))).toBe(true);
  }, 300_000);
});
