import { describe, expect, it } from 'vitest';
import { cleanPathValue, isPythonTruthyFlag, parsePythonInt } from '../../src/env/nnunet-vars.js';

describe('parsePythonInt', () => {
  it('accepts what Python int() accepts', () => {
    expect(parsePythonInt('12')).toBe(12);
    expect(parsePythonInt(' 12 \n')).toBe(12);
    expect(parsePythonInt('+8')).toBe(8);
    expect(parsePythonInt('-3')).toBe(-3);
    expect(parsePythonInt('1_000')).toBe(1000);
    expect(parsePythonInt('007')).toBe(7);
  });

  it('rejects what makes Python raise ValueError', () => {
    for (const bad of ['', ' ', '8.0', '0x10', 'eight', '1__0', '_1', '1_', '12 workers', '"12"']) expect(parsePythonInt(bad)).toBeNull();
  });
});

describe('isPythonTruthyFlag', () => {
  it('means on only for true, 1 and t in any case', () => {
    for (const on of ['true', 'True', 'TRUE', '1', 't', 'T']) expect(isPythonTruthyFlag(on)).toBe(true);
    for (const off of ['yes', 'on', 'y', '2', ' true', 'false', '0', '']) expect(isPythonTruthyFlag(off)).toBe(false);
  });
});

describe('cleanPathValue', () => {
  it('strips surrounding spaces and quotes only', () => {
    expect(cleanPathValue('"C:\\nnUNet\\raw"')).toBe('C:\\nnUNet\\raw');
    expect(cleanPathValue(" '/data/raw' ")).toBe('/data/raw');
    expect(cleanPathValue('/data/raw \n')).toBe('/data/raw');
    expect(cleanPathValue('/data/my "quoted" dir')).toBe('/data/my "quoted" dir');
    expect(cleanPathValue('"')).toBe('');
  });
});
