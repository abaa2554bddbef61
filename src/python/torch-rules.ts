import { explain } from '@renovatebot/pep440';
import { fail, info, pass, warn, type Finding } from '../core/finding.js';

/**
 * torch version rules for nnU-Net v2 (known-problems §0 and §4, nnunet-facts §8-9). Versions are PEP 440
 * ("2.9.0+cu128", "2.10.0a0+git1234"): compared by their release numbers, so a nightly 2.10 counts as 2.10.
 */
export const TORCH_MINIMUM = [2, 1, 2] as const;
const PYPROJECT = 'nnunetv2 pyproject.toml: torch>=2.1.2,!=2.9.*';

export function releaseOf(version: string): number[] | undefined {
  return explain(version)?.release;
}

export function compareRelease(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

const atLeast = (release: readonly number[], ...min: number[]) => compareRelease(release, min) >= 0;

export interface TorchVersionInput {
  torch: string;
  /** torch.backends.cudnn.version(), e.g. 91500. */
  cudnn?: number | null;
  nnunet?: string | null;
}

export function judgeTorchVersion({ torch, cudnn, nnunet }: TorchVersionInput): Finding {
  const release = releaseOf(torch);
  const evidence = { torch, cudnn: cudnn ?? null, nnunetv2: nnunet ?? null };
  if (!release) return warn(`torch reports an unreadable version "${torch}"`, { why: 'Not a PEP 440 version; the doctor cannot judge it.', evidence });
  const nnunetRelease = nnunet ? releaseOf(nnunet) : undefined;
  const fix28 = 'pip install "torch==2.8.*" --index-url https://download.pytorch.org/whl/cu128   (or torch>=2.10)';
  if (!atLeast(release, 2, 0)) {
    return fail(`torch ${torch} is too old for nnU-Net v2 (needs >= 2.1.2)`, {
      why: 'nnU-Net v2 imports torch._dynamo, which needs torch 2.x; v2 cannot run on torch 1.x (nnUNet #1806).',
      fix: fix28,
      ref: PYPROJECT,
      evidence,
    });
  }
  if (!atLeast(release, ...TORCH_MINIMUM)) {
    return fail(`torch ${torch} is older than nnU-Net's minimum 2.1.2`, { why: 'nnunetv2 declares torch>=2.1.2.', fix: fix28, ref: PYPROJECT, evidence });
  }
  if (nnunetRelease && atLeast(release, 2, 6) && !atLeast(nnunetRelease, 2, 5, 2)) {
    return fail(`torch ${torch} with nnunetv2 ${nnunet} cannot load checkpoints`, {
      why: 'torch 2.6 made torch.load(weights_only=True) the default; nnunetv2 before 2.5.2 does not pass weights_only=False, so continuing training and inference fail with "Weights only load failed" (nnUNet #2681).',
      fix: 'pip install -U nnunetv2   (2.5.2 or newer)',
      ref: 'nnunetv2 commit dadc00d8 (v2.5.2)',
      evidence,
    });
  }
  if (nnunetRelease && !atLeast(release, 2, 3) && atLeast(nnunetRelease, 2, 6) && !atLeast(nnunetRelease, 2, 7)) {
    return fail(`torch ${torch} with nnunetv2 ${nnunet} fails at import`, {
      why: "nnunetv2 2.6.x imports GradScaler from torch, which exists only from torch 2.3: \"cannot import name 'GradScaler' from 'torch'\" (nnUNet #2742); fixed in nnunetv2 2.7.0.",
      fix: 'pip install -U "nnunetv2>=2.7"   (or torch>=2.3)',
      ref: 'nnunetv2 v2.7.0 release notes',
      evidence,
    });
  }
  if (release[0] === 2 && release[1] === 9) {
    const why =
      'torch 2.9 turned cuDNN off for 3D convolutions under fp16/bf16 autocast with cuDNN 9.8-9.14, so nnU-Net (always AMP) trains about 4x slower ' +
      '(pytorch/pytorch#166122); nnunetv2 >= 2.6.4 excludes torch 2.9.* for this reason.';
    if ((cudnn ?? 0) >= 91500) {
      return info(`torch ${torch} is excluded by nnU-Net, though cuDNN ${fmtCudnn(cudnn!)} restores the fast 3D-conv path`, { why, fix: fix28, ref: PYPROJECT, evidence });
    }
    return warn(`torch ${torch} has the 3D-convolution AMP slowdown (about 4x)`, { why, fix: fix28, ref: 'pytorch/pytorch#166122; ' + PYPROJECT, evidence });
  }
  return pass(`torch ${torch} suits nnU-Net${nnunet ? ` ${nnunet}` : ''}`, { evidence });
}

/** 91002 -> "9.10.2"; 8902 -> "8.9.2" (cuDNN 8 used major*1000 + minor*100 + patch). */
export function fmtCudnn(version: number): string {
  if (version >= 90000) return `${Math.floor(version / 10000)}.${Math.floor((version % 10000) / 100)}.${version % 100}`;
  return `${Math.floor(version / 1000)}.${Math.floor((version % 1000) / 100)}.${version % 100}`;
}
