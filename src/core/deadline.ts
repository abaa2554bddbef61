export class DeadlineError extends Error {
  constructor(readonly ms: number) {
    super(`did not finish within ${(ms / 1000).toFixed(1)} s`);
  }
}

/** Resolves like `work`, or rejects with DeadlineError once `ms` have passed. */
export function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new DeadlineError(ms)), ms);
    timer.unref();
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}
