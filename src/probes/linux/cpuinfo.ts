export interface CpuinfoSummary {
  model?: string;
  /** Distinct (package, core) pairs; undefined when the kernel does not list them (many ARM systems). */
  physicalCores?: number;
  packages?: number;
  flags: string[];
}

/** Summarises /proc/cpuinfo: model name, physical core count and the first processor's feature flags. */
export function parseCpuinfo(text: string): CpuinfoSummary {
  const cores = new Set<string>();
  const packages = new Set<string>();
  let model: string | undefined;
  let flags: string[] | undefined;
  for (const block of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of block.split('\n')) {
      const i = line.indexOf(':');
      if (i > 0) fields.set(line.slice(0, i).trim(), line.slice(i + 1).trim());
    }
    model ??= fields.get('model name') ?? fields.get('Model') ?? fields.get('cpu model');
    // x86 says "flags", ARM says "Features".
    flags ??= (fields.get('flags') ?? fields.get('Features'))?.split(/\s+/).filter(Boolean);
    const pkg = fields.get('physical id');
    const core = fields.get('core id');
    if (pkg !== undefined && core !== undefined) {
      cores.add(`${pkg}:${core}`);
      packages.add(pkg);
    }
  }
  return {
    model,
    physicalCores: cores.size > 0 ? cores.size : undefined,
    packages: packages.size > 0 ? packages.size : undefined,
    flags: flags ?? [],
  };
}
