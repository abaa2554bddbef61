import { describe, expect, it } from 'vitest';
import { classifyFailure, GPU_QUERY_FIELDS, GPU_QUERY_FIELDS_LEGACY, isUnknownFieldError, parseBannerCudaVersion, parseComputeApps, parseGpuQuery } from '../../src/gpu/nvidia-smi.js';
import { MiB } from '../../src/util/format.js';

describe('nvidia-smi parsers', () => {
  it('never queries identifying fields', () => {
    expect(GPU_QUERY_FIELDS.join(',')).not.toMatch(/uuid|serial/);
  });

  it('maps [N/A] and [Not Supported] cells to undefined (WDDM, old drivers)', () => {
    const [row] = parseGpuQuery('0, NVIDIA GeForce RTX 3080, 10240, [N/A], [N/A], 537.58, 00000000:01:00.0, [Not Supported], 8.6', GPU_QUERY_FIELDS);
    expect(row).toMatchObject({ index: 0, memoryTotalBytes: 10240 * MiB, memoryUsedBytes: undefined, displayActive: undefined, computeCapability: '8.6' });
  });

  it('keeps a comma inside a GPU name', () => {
    const [row] = parseGpuQuery('1, Tesla V100, PCIe 16GB, 16384, 0, 16384, 470.1, 0000:3B:00.0, Disabled, 7.0', GPU_QUERY_FIELDS);
    expect(row).toMatchObject({ index: 1, name: 'Tesla V100, PCIe 16GB', memoryTotalBytes: 16384 * MiB, computeCapability: '7.0' });
  });

  it('reads the legacy field set without a capability', () => {
    const [row] = parseGpuQuery('0, Tesla K80, 11441, 0, 11441, 418.67, 00000000:00:04.0, Disabled', GPU_QUERY_FIELDS_LEGACY);
    expect(row).toMatchObject({ name: 'Tesla K80', computeCapability: undefined });
    expect(isUnknownFieldError('Field "compute_cap" is not a valid field to query.')).toBe(true);
  });

  it('matches processes to GPUs by bus id in either spelling and keeps only the program name', () => {
    const gpus = parseGpuQuery('0, A, 100, 0, 100, 1, 00000000:01:00.0, Disabled, 8.0\n1, B, 100, 0, 100, 1, 00000000:02:00.0, Disabled, 8.0', GPU_QUERY_FIELDS);
    const apps = parseComputeApps('0000:02:00.0, 77, C:\\Users\\bob\\python.exe, [N/A]\n', gpus);
    expect(apps).toEqual([{ gpuIndex: 1, pid: 77, name: 'python.exe', usedBytes: undefined }]);
  });

  it('reads the CUDA version from old and new banners', () => {
    expect(parseBannerCudaVersion('| NVIDIA-SMI 470.256.02   Driver Version: 470.256.02   CUDA Version: 11.4     |')).toBe('11.4');
    expect(parseBannerCudaVersion('| NVIDIA-SMI 580.65.06              Driver Version: 580.65.06      CUDA Version: 13.0     |')).toBe('13.0');
    expect(parseBannerCudaVersion('no banner')).toBeUndefined();
  });

  it('tells a dead driver from a driver without GPUs', () => {
    expect(classifyFailure("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.")).toBe('driver-error');
    expect(classifyFailure('Failed to initialize NVML: Driver/library version mismatch')).toBe('driver-error');
    expect(classifyFailure('No devices were found')).toBe('no-devices');
    expect(classifyFailure('Segmentation fault')).toBeUndefined();
  });
});
