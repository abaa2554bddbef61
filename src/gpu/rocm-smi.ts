/** One AMD GPU as `rocm-smi --showproductname --showmeminfo vram --json` describes it. */
export interface RocmGpu {
  index: number;
  name: string;
  memoryTotalBytes?: number;
  memoryUsedBytes?: number;
}

export function parseRocmSmiJson(text: string): RocmGpu[] {
  let data: Record<string, Record<string, string>>;
  try {
    data = JSON.parse(text) as Record<string, Record<string, string>>;
  } catch {
    return [];
  }
  return Object.entries(data)
    .filter(([key]) => /^card\d+$/.test(key))
    .map(([key, card]) => {
      const bytes = (field: string) => {
        const n = Number(card[field]);
        return Number.isFinite(n) && card[field] !== undefined ? n : undefined;
      };
      return {
        index: Number(key.slice(4)),
        name: card['Card series'] ?? card['Card model'] ?? card['Device Name'] ?? 'AMD GPU',
        memoryTotalBytes: bytes('VRAM Total Memory (B)'),
        memoryUsedBytes: bytes('VRAM Total Used Memory (B)'),
      };
    });
}
