import os from 'node:os';
import type { FixPlatform } from '../core/finding.js';

/** WSL reports "linux" but needs Windows-side fixes for drivers and memory limits. */
export function isWslKernel(release: string = os.release()): boolean {
  return /microsoft|wsl/i.test(release);
}

export function fixPlatformOf(platform: NodeJS.Platform = process.platform, release: string = os.release()): FixPlatform {
  if (platform === 'linux') return isWslKernel(release) ? 'wsl' : 'linux';
  if (platform === 'darwin' || platform === 'win32') return platform;
  return 'linux';
}
