import semver from 'semver';
import { torchImported } from '../../python/report.js';
import { WEIGHT, type CauseEvidence } from '../causes.js';
import { outcome, type NanStep } from '../flow.js';

/** nnunetv2 2.6.4 moved the Dice tp/fp/fn sums to float32 (known-problems row 4, commit "torch_version"). */
export const FP32_DICE_SUMS_FROM = '2.6.4';

/** torch and mixed precision: nnU-Net trains with fp16 autocast + GradScaler on CUDA, never on CPU/MPS. */
export const torchAmpStep: NanStep = {
  id: 'torch-amp',
  title: 'PyTorch version and mixed precision (AMP)',
  async run(ctx) {
    const [python, log] = await Promise.all([ctx.python(), ctx.trainingLog()]);
    const report = python.ok ? python : undefined;
    const torch = report ? torchImported(report) : undefined;
    // The run's own debug.json says what trained; the probe says what this machine has now.
    const trainedTorch = log.ok ? log.debug?.torchVersion : undefined;
    const trainedDevice = log.ok ? (log.debug?.device ?? log.explanation.training?.device) : undefined;
    const torchVersion = trainedTorch ?? torch?.version ?? report?.torch.versionFile?.version ?? undefined;
    const nnunetVersion = report?.nnunet?.version;
    if (!torchVersion && !nnunetVersion) return outcome('skip', python.ok ? 'neither torch nor nnunetv2 is installed in this Python' : python.reason);
    const device = trainedDevice ?? (torch ? (torch.cudaAvailable ? 'cuda' : torch.mpsAvailable ? 'mps' : 'cpu') : undefined);
    const amp = device === undefined ? undefined : device.startsWith('cuda');
    const causes: CauseEvidence[] = [];
    const parts = [
      torchVersion && `torch ${torchVersion}${trainedTorch ? ' (from the run\'s debug.json)' : ''}`,
      nnunetVersion && `nnunetv2 ${nnunetVersion}`,
      amp === undefined ? 'device unknown' : amp ? 'AMP on (fp16 autocast + GradScaler on CUDA)' : `AMP off on ${device}`,
    ].filter(Boolean);
    const old = nnunetVersion ? semver.coerce(nnunetVersion) : null;
    if (amp === false) {
      causes.push({ cause: 'fp16-overflow', weight: WEIGHT.against, evidence: `training ran on ${device}, where nnU-Net uses no fp16` });
    } else if (old && semver.lt(old, FP32_DICE_SUMS_FROM)) {
      causes.push({ cause: 'fp16-overflow', weight: WEIGHT.moderate, evidence: `nnunetv2 ${nnunetVersion} sums the Dice terms in fp16 under AMP; ${FP32_DICE_SUMS_FROM} moved them to float32` });
    }
    const status = causes.some((c) => c.weight > 0) ? 'warn' : 'pass';
    return outcome(status, parts.join(' · '), { causes });
  },
};
