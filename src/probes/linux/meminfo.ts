/** /proc/meminfo as bytes, keyed by field name (MemTotal, MemAvailable, SwapTotal...). */
export function parseMeminfo(text: string): Map<string, number> {
  const fields = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z0-9_()]+):\s+(\d+)(\s+kB)?\s*$/.exec(line);
    if (!m) continue;
    // The kernel's "kB" is KiB; unit-less fields (HugePages_Total) are counts.
    fields.set(m[1]!, Number(m[2]) * (m[3] ? 1024 : 1));
  }
  return fields;
}
