import { describe, expect, it } from 'vitest';
import { parseCfsQuota, parseCpuMax, parseMemoryLimit, parseProcSelfCgroup, readCgroupLimits } from '../../../src/probes/linux/cgroup.js';
import { parseProcMounts } from '../../../src/probes/linux/proc-mounts.js';
import { cgroupFixture, fakeRead, procFixture } from './fixture.js';

async function limitsOf(name: string) {
  const recorded = cgroupFixture(name);
  const read = fakeRead(recorded.files);
  const limits = await readCgroupLimits(read, parseProcMounts(recorded.mounts), parseProcSelfCgroup(recorded.selfCgroup));
  return { limits, asked: read.asked };
}

describe('cgroup file parsers', () => {
  it('reads v1 and v2 membership', () => {
    expect(parseProcSelfCgroup(procFixture('self-cgroup-container.txt'))).toEqual({
      v2Path: '/',
      v1: { 'name=systemd': '/', pids: '/', blkio: '/', freezer: '/', devices: '/', memory: '/process_api/a235cdb642bd400a8acb36457fbd1e60', cpuset: '/', cpuacct: '/', cpu: '/' },
    });
    expect(parseProcSelfCgroup('0::/user.slice\n')).toEqual({ v2Path: '/user.slice', v1: {} });
  });

  it('reads CPU quotas', () => {
    expect(parseCpuMax('max 100000\n')).toBeNull();
    expect(parseCpuMax('250000 100000\n')).toBe(2.5);
    expect(parseCpuMax('')).toBeNull();
    expect(parseCfsQuota('-1\n', '100000\n')).toBeNull();
    expect(parseCfsQuota('50000\n', '100000\n')).toBe(0.5);
    expect(parseCfsQuota('garbage', null)).toBeNull();
  });

  it('reads memory limits, treating the v1 page-aligned 2^63 as none', () => {
    expect(parseMemoryLimit('max\n')).toBeNull();
    expect(parseMemoryLimit('9223372036854771712\n')).toBeNull();
    expect(parseMemoryLimit('17179869184\n')).toBe(16 * 1024 ** 3);
    expect(parseMemoryLimit('-1')).toBeNull();
    expect(parseMemoryLimit('')).toBeNull();
  });
});

describe('readCgroupLimits', () => {
  it('reads a namespaced v2 container from the mount root', async () => {
    const { limits } = await limitsOf('cgroup-v2-docker.json');
    expect(limits).toEqual({ cpuQuotaCpus: 2, cpuQuotaVersion: 2, memoryLimitBytes: 16 * 1024 ** 3, memoryUsageBytes: 1024 ** 3, memoryLimitVersion: 2 });
  });

  it('finds the SLURM job limit on an ancestor of the task cgroup', async () => {
    const { limits, asked } = await limitsOf('cgroup-v2-slurm.json');
    expect(limits).toEqual({ cpuQuotaCpus: 8, cpuQuotaVersion: 2, memoryLimitBytes: 32 * 1024 ** 3, memoryUsageBytes: 2 * 1024 ** 3, memoryLimitVersion: 2 });
    expect(asked).toContain('/sys/fs/cgroup/system.slice/slurmstepd.scope/job_4242/step_0/user/task_0/memory.max');
    expect(asked).toContain('/sys/fs/cgroup/memory.max');
  });

  it('reads v1 limits from a combined cpu,cpuacct hierarchy', async () => {
    const { limits } = await limitsOf('cgroup-v1-docker.json');
    expect(limits).toEqual({ cpuQuotaCpus: 1.5, cpuQuotaVersion: 1, memoryLimitBytes: 8 * 1024 ** 3, memoryUsageBytes: 512 * 1024 ** 2, memoryLimitVersion: 1 });
  });

  it('reports no limits on a recorded hybrid host without any', async () => {
    const { limits, asked } = await limitsOf('cgroup-v1-hybrid-unlimited.json');
    expect(limits).toEqual({ cpuQuotaCpus: null, cpuQuotaVersion: null, memoryLimitBytes: null, memoryUsageBytes: null, memoryLimitVersion: null });
    // The v1 memory hierarchy wins over the empty v2 tree mounted beside it.
    expect(asked).toContain('/sys/fs/cgroup/memory/process_api/a235cdb642bd400a8acb36457fbd1e60/memory.limit_in_bytes');
  });

  it('reports nothing when no cgroup file system is mounted', async () => {
    const none = await readCgroupLimits(fakeRead({}), [], { v1: {} });
    expect(none.cpuQuotaCpus).toBeNull();
    expect(none.memoryLimitBytes).toBeNull();
  });
});
