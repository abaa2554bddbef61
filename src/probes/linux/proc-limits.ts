/** A resource limit as /proc/<pid>/limits shows it; `unlimited` stays a word so it survives JSON. */
export type LimitValue = number | 'unlimited';

export interface ResourceLimit {
  soft: LimitValue;
  hard: LimitValue;
}

/** Parses /proc/self/limits into limits keyed by their name there ("Max open files"). */
export function parseProcLimits(text: string): Map<string, ResourceLimit> {
  const limits = new Map<string, ResourceLimit>();
  for (const line of text.split('\n')) {
    if (line.startsWith('Limit ')) continue;
    // Names contain single spaces; columns are separated by runs of two or more.
    const m = /^(\S.*?)\s{2,}(\S+)\s+(\S+)/.exec(line);
    if (!m) continue;
    const soft = limitValue(m[2]!);
    const hard = limitValue(m[3]!);
    if (soft !== undefined && hard !== undefined) limits.set(m[1]!, { soft, hard });
  }
  return limits;
}

function limitValue(text: string): LimitValue | undefined {
  if (text === 'unlimited') return 'unlimited';
  return /^\d+$/.test(text) ? Number(text) : undefined;
}
