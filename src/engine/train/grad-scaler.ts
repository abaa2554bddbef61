/**
 * Dynamic loss scaling with torch.cuda.amp.GradScaler's semantics (defaults: init 2^16, growth 2, backoff
 * 0.5, interval 2000). The state lives on the host; the step graph receives the scale, unscales the
 * gradients with its exact reciprocal (a power of two) and reports whether any was non-finite.
 */
export interface GradScalerState {
  scale: number;
  growthTracker: number;
}

export interface GradScalerConfig {
  initScale: number;
  growthFactor: number;
  backoffFactor: number;
  growthInterval: number;
}

export const GRAD_SCALER_DEFAULTS: GradScalerConfig = { initScale: 2 ** 16, growthFactor: 2, backoffFactor: 0.5, growthInterval: 2000 };

export function initialScalerState(config: GradScalerConfig = GRAD_SCALER_DEFAULTS): GradScalerState {
  return { scale: config.initScale, growthTracker: 0 };
}

/** GradScaler.update(): back off on a skipped step, grow after `growthInterval` clean steps, never to Inf. */
export function updateScaler(state: GradScalerState, foundInf: boolean, config: GradScalerConfig = GRAD_SCALER_DEFAULTS): GradScalerState {
  if (foundInf) return { scale: state.scale * config.backoffFactor, growthTracker: 0 };
  const tracker = state.growthTracker + 1;
  if (tracker < config.growthInterval) return { scale: state.scale, growthTracker: tracker };
  const grown = state.scale * config.growthFactor;
  return { scale: Number.isFinite(Math.fround(grown)) ? grown : state.scale, growthTracker: 0 };
}
