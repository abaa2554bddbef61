/**
 * Estimated peak fp32 throughput of the device the benchmark ran on, so a measured GFLOP/s can be read as
 * a share of what the hardware could do. These are upper bounds: real convolutions reach 40-90% of them.
 */

export interface PeakEstimate {
  gflops: number;
  /** How the number was obtained, for the report. */
  basis: string;
}

export interface CpuPeakInput {
  /** Cores the benchmark's threads ran on (physical cores when SMT siblings would share FMA units). */
  cores: number;
  clockMhz: number;
  /** /proc/cpuinfo flags (x86) or Features (ARM), lower case. */
  flags: readonly string[];
  arch: string;
}

/**
 * cores x clock x fp32 lanes x 2 (a fused multiply-add is 2 FLOPs) x FMA units per core. Two FMA units is
 * right for every x86 core since Haswell/Zen (AVX-512 parts with one unit are over-estimated 2x); ARM
 * cores are taken as two 128-bit NEON pipes (Apple's four are under-estimated 2x).
 */
export function cpuPeak(input: CpuPeakInput): PeakEstimate {
  const flags = new Set(input.flags.map((f) => f.toLowerCase()));
  const arm = /arm|aarch64/.test(input.arch);
  let lanes: number;
  let flopsPerLane: number;
  let isa: string;
  if (arm) {
    lanes = 4;
    flopsPerLane = 2;
    isa = 'NEON FMA';
  } else if (flags.has('avx512f')) {
    lanes = 16;
    flopsPerLane = 2;
    isa = 'AVX-512 FMA';
  } else if (flags.has('avx2') && flags.has('fma')) {
    lanes = 8;
    flopsPerLane = 2;
    isa = 'AVX2 FMA';
  } else if (flags.has('avx')) {
    lanes = 8;
    flopsPerLane = 1; // one multiply and one add port, no fusion
    isa = 'AVX (no FMA)';
  } else {
    lanes = 4;
    flopsPerLane = 1;
    isa = 'SSE';
  }
  const units = 2;
  const perCycle = lanes * flopsPerLane * units;
  const gflops = (input.cores * input.clockMhz * perCycle) / 1000;
  return {
    gflops,
    basis: `${input.cores} cores x ${(input.clockMhz / 1000).toFixed(2)} GHz x ${perCycle} FLOP/cycle (${isa}, ${lanes} fp32 lanes, ${units} FMA units)`,
  };
}

/**
 * Vendor-published peak fp32 (non-tensor-core) TFLOP/s at boost clock. ONNX Runtime's CUDA provider runs
 * fp32 convolutions, which cuDNN may route to TF32 tensor cores on Ampere and newer, so a share above
 * 100% is possible there.
 */
export const GPU_FP32_TFLOPS: readonly { match: RegExp; name: string; tflops: number }[] = [
  { match: /H200/i, name: 'H200', tflops: 67 },
  { match: /H100.*PCIe/i, name: 'H100 PCIe', tflops: 51 },
  { match: /H100/i, name: 'H100 SXM', tflops: 67 },
  { match: /A100/i, name: 'A100', tflops: 19.5 },
  { match: /L40S/i, name: 'L40S', tflops: 91.6 },
  { match: /L40/i, name: 'L40', tflops: 90.5 },
  { match: /\bL4\b/i, name: 'L4', tflops: 30.3 },
  { match: /A10G/i, name: 'A10G', tflops: 31.2 },
  { match: /\bA10\b/i, name: 'A10', tflops: 31.2 },
  { match: /RTX 6000 Ada/i, name: 'RTX 6000 Ada', tflops: 91.1 },
  { match: /RTX A6000/i, name: 'RTX A6000', tflops: 38.7 },
  { match: /V100/i, name: 'V100', tflops: 15.7 },
  { match: /T4\b/i, name: 'T4', tflops: 8.1 },
  { match: /RTX 5090/i, name: 'RTX 5090', tflops: 104.8 },
  { match: /RTX 4090/i, name: 'RTX 4090', tflops: 82.6 },
  { match: /RTX 4080/i, name: 'RTX 4080', tflops: 48.7 },
  { match: /RTX 4070 Ti/i, name: 'RTX 4070 Ti', tflops: 40.1 },
  { match: /RTX 3090/i, name: 'RTX 3090', tflops: 35.6 },
  { match: /RTX 3080/i, name: 'RTX 3080', tflops: 29.8 },
  { match: /RTX 3060/i, name: 'RTX 3060', tflops: 12.7 },
  { match: /TITAN RTX/i, name: 'Titan RTX', tflops: 16.3 },
  { match: /Quadro RTX 6000/i, name: 'Quadro RTX 6000', tflops: 16.3 },
  { match: /RTX 2080 Ti/i, name: 'RTX 2080 Ti', tflops: 13.4 },
];

export function gpuPeak(deviceName: string): PeakEstimate | undefined {
  const row = GPU_FP32_TFLOPS.find((r) => r.match.test(deviceName));
  return row && { gflops: row.tflops * 1000, basis: `${row.name}: ${row.tflops} TFLOP/s fp32 (vendor peak, boost clock)` };
}
