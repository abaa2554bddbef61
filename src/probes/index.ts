import type { Probe } from '../core/index.js';
import { cpuProbe } from './cpu.js';
import { daWorkerDefaultProbe } from './da-workers.js';
import { envProbe } from './env.js';
import { gpuProbe } from './gpu.js';
import { limitsProbe } from './limits.js';
import { trainingLogProbe } from './logs.js';
import { memoryProbe } from './memory.js';
import { nvccProbe } from './nvcc.js';
import { osProbe } from './os.js';
import { pathsProbe } from './paths.js';
import { entrypointsProbe, pythonProbe } from './python.js';
import { datasetProbe } from './dataset.js';
import { shmProbe } from './shm.js';
import { storageProbe } from './storage.js';
import { ticketSourcesProbe } from './ticket-sources.js';

/** Every built-in probe; each module also declares the facts it provides. */
export const builtinProbes: readonly Probe[] = [shmProbe, osProbe, cpuProbe, memoryProbe, limitsProbe, envProbe, pathsProbe, storageProbe, ticketSourcesProbe, gpuProbe, nvccProbe, pythonProbe, entrypointsProbe, daWorkerDefaultProbe, trainingLogProbe, datasetProbe] as Probe[];
