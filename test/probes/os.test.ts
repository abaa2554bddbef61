import { describe, expect, it } from 'vitest';
import { detectContainer, isColab, wslVersionOf } from '../../src/probes/os.js';
import { storeWith } from './probe-context.js';

describe('wslVersionOf', () => {
  it('tells WSL2, WSL1 and other kernels apart', () => {
    expect(wslVersionOf('5.15.153.1-microsoft-standard-WSL2')).toBe(2);
    expect(wslVersionOf('4.19.128-microsoft-standard')).toBe(2);
    expect(wslVersionOf('4.4.0-19041-Microsoft')).toBe(1);
    expect(wslVersionOf('6.8.0-45-generic')).toBeNull();
  });
});

describe('detectContainer', () => {
  const none = { files: new Set<string>(), env: {}, initCgroup: '0::/init.scope\n' };

  it('finds nothing on a bare host', () => {
    expect(detectContainer(none)).toEqual({ kind: 'none', signals: [] });
  });

  it('recognises Docker, Podman and Apptainer by their marks', () => {
    expect(detectContainer({ ...none, files: new Set(['/.dockerenv']) }).kind).toBe('docker');
    expect(detectContainer({ ...none, initCgroup: '12:memory:/docker/3f1c2a\n' }).kind).toBe('docker');
    expect(detectContainer({ ...none, files: new Set(['/run/.containerenv']) }).kind).toBe('podman');
    expect(detectContainer({ ...none, env: { container: 'podman' } }).kind).toBe('podman');
    expect(detectContainer({ ...none, env: { APPTAINER_CONTAINER: '/images/nnunet.sif' } }).kind).toBe('apptainer');
  });

  it('prefers Apptainer over a Docker mark left in the image', () => {
    const both = detectContainer({ ...none, files: new Set(['/.dockerenv', '/.singularity.d']) });
    expect(both).toEqual({ kind: 'apptainer', signals: ['/.dockerenv', '/.singularity.d'] });
  });

  it('calls other runtimes "other"', () => {
    expect(detectContainer({ ...none, env: { KUBERNETES_SERVICE_HOST: '10.0.0.1' } }).kind).toBe('other');
    expect(detectContainer({ ...none, env: { container: 'lxc' } })).toEqual({ kind: 'other', signals: ['env container=lxc'] });
  });
});

describe('isColab', () => {
  it('looks at the variables Colab sets', () => {
    expect(isColab({ COLAB_RELEASE_TAG: 'release-colab_20240920-060127_RC00' })).toBe(true);
    expect(isColab({ COLAB_GPU: '' })).toBe(true);
    expect(isColab({})).toBe(false);
  });
});

describe('osProbe on this machine', () => {
  it('describes the OS, and sees Colab only through the environment it is given', async () => {
    const facts = await storeWith({ COLAB_RELEASE_TAG: 'x' }).get('os');
    expect(facts).toMatchObject({ ok: true, platform: process.platform, arch: process.arch, colab: true });
    if (facts.ok && process.platform === 'linux') expect(facts.distro).toBeTruthy();
  });
});
