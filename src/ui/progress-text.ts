import { fmtBytes } from '../util/format.js';

export interface ProgressUpdate {
  done: number;
  total: number;
  /** 'bytes' formats done/total as sizes; any other word is printed after the counts. */
  unit?: string;
  /** A short note: the current case, the last loss. */
  detail?: string;
}

/** "████░░░░ 42% 12/30 cases · ETA 8 s": pure, so it is tested without a terminal. */
export function progressText(p: ProgressUpdate, elapsedMs: number, width = 24): string {
  const fraction = p.total > 0 ? Math.min(1, Math.max(0, p.done / p.total)) : 0;
  const filled = Math.round(fraction * width);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
  const counts = p.unit === 'bytes' ? `${fmtBytes(p.done)}/${fmtBytes(p.total)}` : `${p.done}/${p.total}${p.unit ? ` ${p.unit}` : ''}`;
  const eta = etaText(fraction, elapsedMs);
  return `${bar} ${String(Math.floor(fraction * 100)).padStart(3)}% ${counts}${eta ? ` · ${eta}` : ''}${p.detail ? ` · ${p.detail}` : ''}`;
}

function etaText(fraction: number, elapsedMs: number): string {
  if (fraction <= 0 || fraction >= 1 || elapsedMs < 1000) return '';
  const remainingS = (elapsedMs * (1 - fraction)) / fraction / 1000;
  return remainingS < 60 ? `ETA ${Math.ceil(remainingS)} s` : `ETA ${Math.floor(remainingS / 60)} min ${Math.round(remainingS % 60)} s`;
}
