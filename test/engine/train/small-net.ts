import type { UNetConfig } from '../../../src/engine/unet.js';

/** Small enough for the test suite on 2 cores; the same code path as the presets. */
export const SMALL_NET: UNetConfig = {
  name: 'test-small', dims: 3, inputChannels: 1, numClasses: 3,
  featuresPerStage: [4, 8, 16],
  kernelSizes: [[3, 3, 3], [3, 3, 3], [3, 3, 3]],
  strides: [[1, 1, 1], [2, 2, 2], [2, 2, 2]],
  nConvPerStage: [2, 2, 2], nConvPerStageDecoder: [1, 1],
  deepSupervision: true, patchSize: [16, 16, 16], batchSize: 2, source: 'test',
};
