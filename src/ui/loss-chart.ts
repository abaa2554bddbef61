import asciichart from 'asciichart';

/** The loss curve as terminal text (asciichart), at most `width` points (older steps are downsampled). */
export function lossChart(losses: readonly number[], height = 8, width = 60): string {
  const finite = losses.filter(Number.isFinite);
  if (finite.length < 2) return '';
  const stride = Math.ceil(finite.length / width);
  const points = finite.filter((_, i) => i % stride === 0 || i === finite.length - 1);
  return asciichart.plot(points, { height, format: (x: number) => x.toFixed(3).padStart(8) });
}
