/**
 * Whether a torch build has kernels for a GPU. `cuda.get_arch_list()` lists `sm_XY` (machine code, runs on
 * the same major capability at an equal or higher minor) and `compute_XY` (PTX, JIT-compiled for any
 * capability at or above it).
 */
export function archSupported(capability: string, archList: readonly string[]): boolean {
  const [major, minor] = capability.split('.').map(Number) as [number, number];
  const cap = major * 10 + minor;
  return archList.some((entry) => {
    const m = /^(sm|compute)_(\d+)(\d)[a-z]?$/.exec(entry);
    if (!m) return false;
    const [archMajor, archMinor] = [Number(m[2]), Number(m[3])];
    if (m[1] === 'compute') return archMajor * 10 + archMinor <= cap;
    return archMajor === major && archMinor <= minor;
  });
}

/** "sm_89" for capability "8.9". */
export function smName(capability: string): string {
  return `sm_${capability.replace('.', '')}`;
}
