import { describe, expect, it } from 'vitest';
import { explainLog, primaryCause } from '../../src/logs/explain-log.js';
import { LOG_SIGNATURES } from '../../src/logs/signatures.js';

describe('the signature table', () => {
  it('has unique ids L1..L63, each with patterns, a cause, a fix and a source', () => {
    expect(LOG_SIGNATURES.map((s) => s.id)).toEqual(Array.from({ length: 63 }, (_, i) => `L${i + 1}`));
    for (const s of LOG_SIGNATURES) {
      expect(s.patterns.length, s.id).toBeGreaterThan(0);
      expect(s.cause && s.fix && s.source.length > 0, s.id).toBeTruthy();
      expect(s.fix, s.id).not.toContain('--fp32');
    }
  });
});

describe('matching', () => {
  it('finds a signature split across a hard-wrapped line, once', () => {
    const e = explainLog('RuntimeError: CUDA error: device-side ass\nert triggered\n');
    expect(e.diagnoses.map((d) => [d.id, d.firstLine, d.occurrences])).toEqual([['L34', 1, 1]]);
  });

  it('looks below a wrapper when worker output arrived after it', () => {
    const e = explainLog('RuntimeError: One or more background workers are no longer alive. Exiting.\nException in background worker 0:\n mmap length is greater than file size\n');
    expect(e.wrappers[0]).toMatchObject({ wrapperId: 'L19', likelyOomKiller: false, realError: { position: 'below', signatureId: 'L25' } });
    expect(primaryCause(e)?.id).toBe('L25');
  });

  it('gives v1 advice only to v1 logs', () => {
    const v2 = explainLog('  File "/x/nnunetv2/training/nnUNetTrainer/nnUNetTrainer.py", line 9\nRuntimeError: expected scalar type Half but found Float\n');
    const v1 = explainLog('  File "/x/nnunet/training/network_training/nnUNetTrainerV2.py", line 9\nRuntimeError: expected scalar type Half but found Float\n');
    expect(v2.diagnoses[0]!.fix).not.toContain('--fp32');
    expect(v1.diagnoses[0]!.fix).toContain('--fp32');
  });

  it('reports an unknown exception as unrecognised, but not nnU-Net summaries that point upward', () => {
    const e = explainLog('Traceback (most recent call last):\n  File "x.py", line 1\nKeyError: \'spacing\'\nRuntimeError: Some images have errors. Please check text output above to see which one(s) and what\'s going on.\n');
    expect(e.unrecognized.map((u) => u.text)).toEqual(["KeyError: 'spacing'"]);
    expect(primaryCause(e)).toEqual({ id: 'unrecognized', line: 3, text: "KeyError: 'spacing'" });
  });
});
