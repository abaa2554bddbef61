import type { Probed } from '../../core/facts.js';
import type { SanityResult } from './sanity.js';

declare module '../../core/facts.js' {
  interface Facts {
    /** Only `nnunet-doctor sanity` provides it; elsewhere checks/sanity.training.ts says how to get it. */
    sanity: Probed<SanityResult>;
  }
}

export const SANITY_NOT_RUN = 'not run: `nnunet-doctor sanity` trains a small network for a few steps and predicts a held-out case';

/** The loss must fall by at least this much (loss units; CE + Dice starts near 1) to count as learning. */
export const MEASURABLE_DECREASE = 0.05;
