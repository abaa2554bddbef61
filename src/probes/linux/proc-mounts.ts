export interface MountEntry {
  source: string;
  mountPoint: string;
  fsType: string;
  options: string[];
}

/** The kernel writes space, tab, newline and backslash in /proc/mounts as octal escapes (`\040`). */
function unescapeOctal(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}

/** Parses /proc/mounts (or /proc/self/mounts); malformed lines are skipped. */
export function parseProcMounts(text: string): MountEntry[] {
  const mounts: MountEntry[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 4) continue;
    const [source, mountPoint, fsType, options] = fields as [string, string, string, string];
    mounts.push({ source: unescapeOctal(source), mountPoint: unescapeOctal(mountPoint), fsType, options: options.split(',') });
  }
  return mounts;
}

/**
 * The mount that holds `realPath`: the longest mount point that is a path prefix of it. Of several mounts on
 * the same point the last one wins, because a later mount hides the earlier ones.
 */
export function mountFor(mounts: readonly MountEntry[], realPath: string): MountEntry | undefined {
  let best: MountEntry | undefined;
  for (const m of mounts) {
    const inside = m.mountPoint === '/' || realPath === m.mountPoint || realPath.startsWith(m.mountPoint.endsWith('/') ? m.mountPoint : `${m.mountPoint}/`);
    if (inside && (!best || m.mountPoint.length >= best.mountPoint.length)) best = m;
  }
  return best;
}

