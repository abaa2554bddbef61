import { describe, expect, it } from 'vitest';
import { evaluateMarker, parseRequirement, unmetRequirements } from '../../src/python/requirements.js';

const linux = { platform_system: 'Linux', sys_platform: 'linux', platform_machine: 'x86_64', python_version: '3.11', python_full_version: '3.11.9' };

describe('Requires-Dist lines', () => {
  it('parses names, extras, parenthesised specifiers and markers', () => {
    expect(parseRequirement('acvl-utils (<0.3,>=0.2.6)')).toMatchObject({ key: 'acvl-utils', specifier: '<0.3,>=0.2.6' });
    expect(parseRequirement('SimpleITK>=2.2.1')).toMatchObject({ key: 'simpleitk', specifier: '>=2.2.1' });
    expect(parseRequirement('imagecodecs[all] ; python_version >= "3.9"')).toMatchObject({ key: 'imagecodecs', specifier: '', marker: 'python_version >= "3.9"' });
  });

  it('evaluates PEP 508 markers with and/or, parentheses and PEP 440 comparisons', () => {
    expect(evaluateMarker('python_version >= "3.10"', linux)).toBe(true);
    expect(evaluateMarker('python_version < "3.9"', linux)).toBe(false);
    expect(evaluateMarker("(platform_system == 'Darwin' and platform_machine == 'x86_64') or sys_platform == 'linux'", linux)).toBe(true);
    expect(evaluateMarker('extra == "dev"', linux)).toBe(false);
    expect(evaluateMarker('extra == "dev"', linux, ['dev'])).toBe(true);
    expect(evaluateMarker("'linux' in sys_platform", linux)).toBe(true);
  });

  it('checks like pip check: missing, too old, excluded; pre-releases count', () => {
    const lines = ['torch!=2.9.*,>=2.1.2', 'numpy>=1.24', 'blosc2>=3.0.0b1', 'tqdm', 'timm>=1.0', "numpy<2; platform_system == 'Darwin'"];
    const { checked, problems } = unmetRequirements(lines, { torch: '2.9.1+cu128', numpy: '1.23.5', blosc2: '3.0.0rc1', tqdm: '4.66' }, linux);
    expect(checked).toHaveLength(5);
    expect(problems.map((p) => [p.requirement.name, p.installed])).toEqual([
      ['torch', '2.9.1+cu128'],
      ['numpy', '1.23.5'],
      ['timm', null],
    ]);
  });

  it('accepts a torch nightly as satisfying >=2.1.2', () => {
    expect(unmetRequirements(['torch>=2.1.2,!=2.9.*'], { torch: '2.10.0a0+git1234abc' }, linux).problems).toEqual([]);
  });
});
