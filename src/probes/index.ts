import type { Probe } from '../core/index.js';
import { shmProbe } from './shm.js';

/** Every built-in probe; each module also declares the facts it provides. */
export const builtinProbes: readonly Probe[] = [shmProbe] as Probe[];
