import type { ChalkInstance } from 'chalk';
import type { DatasetSummary } from '../dataset/summary.js';
import { fmtBytes, fmtMs, plural } from '../util/format.js';

const num = (v: number | null) => (v === null ? '–' : String(+v.toPrecision(5)));
const range = (min: number, max: number) => (min === max ? num(min) : `${num(min)}..${num(max)}`);
const AXES = ['x', 'y', 'z'];

/** The dataset summary block the `dataset` command prints after its findings. */
export function datasetSummaryLines(s: DatasetSummary, c: ChalkInstance): string[] {
  const label = (text: string) => c.dim(text.padEnd(11));
  const lines = [c.bold('Dataset summary')];
  lines.push(`  ${label('cases')}${s.cases} · ${plural(s.channels.length, 'channel')} · endings ${s.fileEndings.join(', ') || '–'} · ${s.formats.join(', ') || '–'}`);
  if (s.shape) lines.push(`  ${label('shape')}${s.shape.min.map((_, i) => `${AXES[i]} ${range(s.shape!.min[i]!, s.shape!.max[i]!)}`).join(' · ')} voxels`);
  if (s.spacingMm) {
    const sp = s.spacingMm;
    lines.push(`  ${label('spacing')}${sp.min.map((_, i) => `${AXES[i]} ${range(sp.min[i]!, sp.max[i]!)}`).join(' · ')} mm · median ${sp.median.map(num).join(' × ')}`);
  }
  if (s.anisotropy) {
    lines.push(`  ${label('anisotropy')}max ${s.anisotropy.max.toFixed(2)} (max/min spacing)${s.anisotropy.casesAbove3 ? ` · ${plural(s.anisotropy.casesAbove3, 'case')} above 3: nnU-Net resamples their low-resolution axis separately` : ''}`);
  }
  for (const ch of s.channels) {
    lines.push(`  ${label(`channel ${ch.index}`)}${ch.name || '(unnamed)'} · values ${ch.min === null ? '–' : range(ch.min, ch.max!)} · mean ${num(ch.mean)}`);
  }
  for (const cl of s.classes) {
    lines.push(`  ${label(`label ${cl.value}`)}${(cl.name || '(undeclared)').padEnd(16)} in ${cl.cases}/${s.cases} cases · ${(cl.voxelShare * 100).toPrecision(3)}% of voxels`);
  }
  const seconds = s.durationMs / 1000;
  lines.push(
    `  ${label('read')}${plural(s.files, 'file')}, ${fmtBytes(s.fileBytes)} (${fmtBytes(s.dataBytes)} of voxels) in ${fmtMs(s.durationMs)}` +
      `${s.workers ? ` with ${plural(s.workers, 'worker')}` : ''}${seconds > 0 && s.dataBytes >= 1e7 ? ` · ${(s.dataBytes / 1e6 / seconds).toFixed(0)} MB/s` : ''}`,
  );
  return lines;
}
