import type { NanStep } from '../flow.js';
import { customCodeStep } from './custom-code.js';
import { datasetLabelsStep, geometryStep, imageValuesStep } from './dataset.js';
import { sanityStep } from './sanity.js';
import { torchAmpStep } from './torch-amp.js';
import { trainingLogStep } from './training-log.js';

/** The documented `train_loss nan` sequence, in order. A new step is one line here. */
export const NAN_STEPS: readonly NanStep[] = [
  datasetLabelsStep,
  imageValuesStep,
  geometryStep,
  trainingLogStep,
  customCodeStep,
  torchAmpStep,
  sanityStep,
];
