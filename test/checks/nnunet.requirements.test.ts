import { describe, expect, it } from 'vitest';
import check from '../../checks/nnunet.requirements.js';
import { nnunetMeta, pythonFact } from './install-facts.js';
import { judge, statuses } from './recorded-facts.js';

const requires = ['torch!=2.9.*,>=2.1.2', 'acvl-utils<0.3,>=0.2.6', 'numpy>=1.24', 'blosc2>=3.3.2', "numpy<2; platform_system == 'Darwin' and extra == 'intel-macos'"];

describe('nnunet.requirements', () => {
  it('passes when every applicable requirement is met', async () => {
    const python = pythonFact({ nnunet: nnunetMeta({ requires }), installed: { torch: '2.8.0+cu128', 'acvl-utils': '0.2.6', numpy: '2.1.3', blosc2: '3.5.0' } });
    expect((await judge(check, { python }))[0]).toMatchObject({ status: 'pass', summary: 'all 4 requirements of nnunetv2 2.6.4 are met' });
  });

  it('lists each unmet requirement and the pip command', async () => {
    const python = pythonFact({ nnunet: nnunetMeta({ requires }), installed: { torch: '2.8.0+cu128', 'acvl-utils': '0.3.1', numpy: '1.26.4' } });
    const [finding] = await judge(check, { python });
    expect(finding!.summary).toBe("2 of nnunetv2's requirements are not met: acvl-utils<0.3,>=0.2.6: 0.3.1 installed; blosc2>=3.3.2: missing");
    expect(finding!.fix).toBe('pip install "acvl-utils<0.3,>=0.2.6" "blosc2>=3.3.2"');
  });

  it('skips without nnunetv2', async () => {
    expect(statuses(await judge(check, { python: pythonFact({ nnunet: null }) }))).toEqual(['skip']);
  });
});
