import type { GpuDevice } from '../probes/gpu.js';

export interface CudaZero {
  /** The GPU nnU-Net's `cuda:0` is (by nvidia-smi index; see `certain`). */
  device?: GpuDevice;
  /** False when mixed GPU models make CUDA's fastest-first order differ from nvidia-smi's. */
  certain: boolean;
  /** How many GPUs CUDA programs see. */
  visibleCount: number;
  /** How the choice was made, for the finding's details. */
  note: string;
}

/**
 * Which nvidia-smi GPU is `cuda:0` (nnU-Net always trains on cuda:0 and expects CUDA_VISIBLE_DEVICES to pick
 * the card). CUDA reads the list up to the first invalid entry; UUID and MIG entries cannot be matched
 * because the doctor does not collect UUIDs. CUDA numbers fastest-first unless CUDA_DEVICE_ORDER=PCI_BUS_ID,
 * while nvidia-smi numbers by PCI bus, so with mixed GPUs the mapping is only certain under PCI_BUS_ID.
 */
export function cudaZero(devices: readonly GpuDevice[], visible: string | undefined, order: string | undefined): CudaZero {
  const nvidia = devices.filter((d) => d.vendor === 'nvidia');
  const sameModel = new Set(nvidia.map((d) => d.name)).size <= 1;
  const orderNote = order === 'PCI_BUS_ID' || sameModel ? '' : ' (CUDA orders GPUs fastest-first; set CUDA_DEVICE_ORDER=PCI_BUS_ID to make its numbers match nvidia-smi)';
  if (visible === undefined) {
    return { device: nvidia[0], certain: orderNote === '', visibleCount: nvidia.length, note: `CUDA_VISIBLE_DEVICES is unset: cuda:0 is GPU 0${orderNote}` };
  }
  const entries: string[] = [];
  for (const raw of visible.split(',')) {
    const entry = raw.trim();
    if (!/^(\d+|GPU-[\w-]+|MIG-[\w/-]+)$/i.test(entry)) break;
    // CUDA stops at the first index that names no GPU: "0,5" on a 2-GPU machine exposes one.
    if (entries.length > 0 && /^\d+$/.test(entry) && !nvidia.some((d) => d.index === Number(entry))) break;
    entries.push(entry);
  }
  if (entries.length === 0) return { certain: true, visibleCount: 0, note: `CUDA_VISIBLE_DEVICES="${visible}" hides every GPU` };
  const first = entries[0]!;
  if (!/^\d+$/.test(first)) return { certain: false, visibleCount: entries.length, note: `CUDA_VISIBLE_DEVICES starts with a UUID or MIG entry; cuda:0 is that device` };
  const device = nvidia.find((d) => d.index === Number(first));
  if (!device) return { certain: true, visibleCount: 0, note: `CUDA_VISIBLE_DEVICES="${visible}" names GPU ${first}, which does not exist: CUDA sees no GPU` };
  return { device, certain: orderNote === '', visibleCount: entries.length, note: `CUDA_VISIBLE_DEVICES="${visible}": cuda:0 is GPU ${first}${orderNote}` };
}
