import { describe, expect, it } from 'vitest';
import { failure } from '../../src/core/facts.js';
import { createNanContext } from '../../src/nan/context.js';
import { outcome, runNanFlow, type NanStep } from '../../src/nan/flow.js';
import { NAN_STEPS } from '../../src/nan/steps/index.js';

const ctx = () => createNanContext({ sanity: false, probeTimeoutMs: 5000, recorded: { python: failure('not probed') } }, {});

describe('runNanFlow', () => {
  it('runs steps in order, reports each as it finishes, and turns a crashing step into an error', async () => {
    const seen: string[] = [];
    const steps: NanStep[] = [
      { id: 'a', title: 'A', run: async () => outcome('warn', 'a found something', { causes: [{ cause: 'custom-code', weight: 4, evidence: 'a' }] }) },
      { id: 'b', title: 'B', run: async () => { throw new Error('boom'); } },
    ];
    const result = await runNanFlow(steps, ctx(), { onStepStart: (s) => seen.push(`start ${s.id}`), onStepFinish: (r) => seen.push(`done ${r.id} ${r.status}`) });
    expect(seen).toEqual(['start a', 'done a warn', 'start b', 'done b error']);
    expect(result.steps[1]!.summary).toBe('the step crashed: boom');
    expect(result.causes.map((c) => c.cause)).toEqual(['custom-code']);
    expect(result.next).toBe('nnUNetv2_train ID 3d_fullres 0 -tr nnUNetTrainer -p nnUNetPlans');
  });

  it('has the documented sequence, each step id once', () => {
    expect(NAN_STEPS.map((s) => s.id)).toEqual(['dataset-labels', 'image-values', 'geometry', 'training-log', 'custom-code', 'torch-amp', 'sanity']);
  });
});
