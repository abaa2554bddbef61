import type { UNetConfig } from '../unet.js';
import { applyNormalization, foregroundStatistics, type CtStatistics } from './patches.js';
import { padCase } from './resize.js';
import type { SanityData } from './sanity.js';
import type { LabelledVolume } from './synthetic.js';
import { loadUserData, networkForData, normalizationFor, UserDataError, type UserCase, type UserData, type UserDataOptions } from './user-data.js';

/** The network and data for a sanity run on the user's dataset `target`; throws UserDataError with the reason. */
export async function userSanityInputs(target: string, base: UNetConfig, options: Omit<UserDataOptions, 'patchFor'> = {}): Promise<{ network: UNetConfig; data: SanityData }> {
  const user = await loadUserData(target, { ...options, patchFor: (dims) => networkForData(base, dims).patchSize });
  const network = networkForData(base, user.dims);
  return { network, data: prepareSanityData(user, network.patchSize) };
}

/**
 * Normalizes the (shrunk) cases as nnU-Net's preprocessing normalizes whole cases, with statistics taken
 * from the full volumes (nnunetv2/preprocessing/normalization/default_normalization_schemes.py; CT
 * statistics from the training cases' foreground, as DatasetFingerprintExtractor collects them), pads
 * them to the patch, holds the last case out, and lists every change in `preparation`. nnU-Net's crop to
 * the nonzero box and its resampling to the plans' spacing are not done; the held-out Dice is measured on
 * the grid trained on.
 */
export function prepareSanityData(user: UserData, patch: readonly number[]): SanityData {
  const schemes = user.channelNames.map(normalizationFor);
  const training = user.cases.slice(0, -1);
  const heldOut = user.cases[user.cases.length - 1]!;
  const ct = schemes.map((scheme, channel) => (scheme === 'CTNormalization' ? ctStatisticsOf(training, channel, user.name) : undefined));
  const padded = user.cases.map((c) => padCase(normalizeCase(c, schemes, ct), patch));
  const notes = (describe: (c: UserCase, i: number) => string | undefined) => grouped(user.cases, describe);
  const preparation = [
    `cases: ${training.map((c) => c.caseId).join(', ')} trained, ${heldOut.caseId} held out (${user.cases.length} of ${user.totalCases})`,
    ...schemes.map((scheme, c) => `channel ${c} "${user.channelNames[c]}": ${scheme}${ct[c] ? ` (clip ${fmt(ct[c].percentile005)}..${fmt(ct[c].percentile995)}, mean ${fmt(ct[c].mean)}, std ${fmt(ct[c].std)} from the training foreground)` : ''}`),
    ...notes((c) => (c.factor.some((f) => f > 1) ? `downsampled by ${c.factor.join('x')} (nearest neighbour)` : undefined)),
    ...notes((c) => (c.cropped ? `cropped to ${c.shape.join('x')} around the foreground` : undefined)),
    ...notes((_, i) => (padded[i]!.padded ? `padded to the ${patch.join('x')} patch (image 0, label background)` : undefined)),
    ...(user.cases.some((c, i) => c.factor.some((f) => f > 1) || c.cropped || padded[i]!.padded) ? ['the held-out Dice is measured on this reduced grid'] : []),
    ...user.notes,
  ];
  return {
    kind: 'dataset',
    name: user.name,
    training: padded.slice(0, -1).map((p) => p.volume),
    heldOut: padded[padded.length - 1]!.volume,
    numClasses: user.numClasses,
    preparation,
    ...(user.problem ? { problem: user.problem } : {}),
  };
}

function ctStatisticsOf(cases: readonly UserCase[], channel: number, name: string): CtStatistics {
  const parts = cases.map((c) => c.foreground[channel]!);
  const values = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    values.set(p, at);
    at += p.length;
  }
  if (values.length === 0) throw new UserDataError(`${name}: channel ${channel} is CT, but the training cases have no foreground to take the CT intensity statistics from`);
  return foregroundStatistics(values);
}

function normalizeCase(c: UserCase, schemes: readonly ReturnType<typeof normalizationFor>[], ct: readonly (CtStatistics | undefined)[]): LabelledVolume {
  const voxels = c.labels.length;
  const image = new Float32Array(c.image.length);
  for (let ch = 0; ch < c.channels; ch++) {
    image.set(applyNormalization(c.image.subarray(ch * voxels, (ch + 1) * voxels), schemes[ch]!, c.stats[ch]!, ct[ch]), ch * voxels);
  }
  return { caseId: c.caseId, image, labels: c.labels, shape: c.shape, channels: c.channels };
}

function grouped(cases: readonly UserCase[], describe: (c: UserCase, i: number) => string | undefined): string[] {
  const byText = new Map<string, string[]>();
  cases.forEach((c, i) => {
    const text = describe(c, i);
    if (text) byText.set(text, [...(byText.get(text) ?? []), c.caseId]);
  });
  return [...byText].map(([text, ids]) => `${text}: ${ids.join(', ')}`);
}

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));
