import { access } from 'node:fs/promises';
import os from 'node:os';
import { defineProbe, type ProbeContext, type Probed } from '../core/index.js';
import { parseOsRelease } from './linux/os-release.js';
import { readTextOrNull } from './linux/read.js';

export type ContainerKind = 'docker' | 'podman' | 'apptainer' | 'other' | 'none';

export interface OsInfo {
  platform: NodeJS.Platform;
  /** Kernel release (`uname -r`; Windows build number). */
  release: string;
  arch: string;
  /** Linux distribution, macOS or Windows product name and version, e.g. "Ubuntu 22.04.4 LTS", "macOS 14.5". */
  distro?: string;
  distroId?: string;
  distroVersion?: string;
  /** WSL generation, or null outside WSL. */
  wsl: 1 | 2 | null;
  container: ContainerKind;
  /** What gave the container away (`/.dockerenv`, `env container=podman`...). */
  containerSignals: string[];
  colab: boolean;
  /** macOS only: Node runs as x86-64 under Rosetta on Apple Silicon. */
  rosetta?: boolean;
}

declare module '../core/facts.js' {
  interface Facts {
    /** Operating system, WSL generation, container and hosted-notebook detection. */
    os: Probed<OsInfo>;
  }
}

/** WSL2 kernels say "microsoft-standard-WSL2" (older: "-microsoft-standard"); WSL1 fakes "4.4.0-19041-Microsoft". */
export function wslVersionOf(release: string): 1 | 2 | null {
  if (/WSL2|microsoft-standard/i.test(release)) return 2;
  if (/microsoft/i.test(release)) return 1;
  return null;
}

export interface ContainerEvidence {
  /** Marker files that exist. */
  files: ReadonlySet<string>;
  env: NodeJS.ProcessEnv;
  /** /proc/1/cgroup: on cgroup v1 it names the container runtime. */
  initCgroup: string | null;
}

const CONTAINER_MARKER_FILES = ['/.dockerenv', '/run/.containerenv', '/.singularity.d'] as const;

/** Apptainer first: it runs inside Docker-built images that may still carry /.dockerenv. */
export function detectContainer({ files, env, initCgroup }: ContainerEvidence): { kind: ContainerKind; signals: string[] } {
  const signals = [
    ...CONTAINER_MARKER_FILES.filter((f) => files.has(f)),
    ...['APPTAINER_CONTAINER', 'SINGULARITY_CONTAINER', 'KUBERNETES_SERVICE_HOST'].filter((v) => env[v]).map((v) => `env ${v}`),
    ...(env.container ? [`env container=${env.container}`] : []),
    ...(initCgroup && /docker|kubepods|containerd|libpod|lxc/.test(initCgroup) ? ['/proc/1/cgroup'] : []),
  ];
  const has = (s: string) => signals.includes(s);
  let kind: ContainerKind = 'none';
  if (has('/.singularity.d') || has('env APPTAINER_CONTAINER') || has('env SINGULARITY_CONTAINER')) kind = 'apptainer';
  else if (has('/run/.containerenv') || env.container === 'podman' || /libpod/.test(initCgroup ?? '')) kind = 'podman';
  else if (has('/.dockerenv') || /docker/.test(initCgroup ?? '')) kind = 'docker';
  else if (signals.length > 0) kind = 'other';
  return { kind, signals };
}

/** Colab sets COLAB_RELEASE_TAG (and COLAB_GPU on GPU runtimes) in every kernel's environment. */
export function isColab(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.COLAB_RELEASE_TAG || env.COLAB_GPU !== undefined);
}

export const osProbe = defineProbe({
  fact: 'os',
  async probe(ctx) {
    const base = { platform: ctx.platform, release: os.release(), arch: process.arch, colab: isColab(ctx.env) };
    if (ctx.platform === 'linux') return { ok: true, ...base, ...(await linuxDetails(ctx, base.release)) };
    if (ctx.platform === 'darwin') return { ok: true, ...base, wsl: null, container: 'none', containerSignals: [], ...(await macDetails(ctx)) };
    return { ok: true, ...base, wsl: null, container: 'none', containerSignals: [], distro: os.version() };
  },
});

async function linuxDetails(ctx: ProbeContext, release: string) {
  const osRelease = parseOsRelease((await readTextOrNull('/etc/os-release')) ?? (await readTextOrNull('/usr/lib/os-release')) ?? '');
  const present = await Promise.all(CONTAINER_MARKER_FILES.map((f) => access(f).then(() => f, () => null)));
  const container = detectContainer({
    files: new Set(present.filter((f): f is (typeof CONTAINER_MARKER_FILES)[number] => f !== null)),
    env: ctx.env,
    initCgroup: await readTextOrNull('/proc/1/cgroup'),
  });
  return {
    distro: osRelease.prettyName ?? osRelease.name,
    distroId: osRelease.id,
    distroVersion: osRelease.versionId,
    wsl: wslVersionOf(release),
    container: container.kind,
    containerSignals: container.signals,
  };
}

async function macDetails(ctx: ProbeContext) {
  const [version, translated] = await Promise.all([
    ctx.exec('sw_vers', ['-productVersion'], { timeoutMs: 3000 }),
    ctx.exec('sysctl', ['-n', 'sysctl.proc_translated'], { timeoutMs: 3000 }),
  ]);
  const productVersion = version.ok ? version.stdout.trim() : undefined;
  return {
    distro: productVersion ? `macOS ${productVersion}` : undefined,
    distroId: 'macos',
    distroVersion: productVersion,
    rosetta: translated.ok ? translated.stdout.trim() === '1' : false,
  };
}
