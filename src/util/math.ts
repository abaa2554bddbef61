/** The product of the numbers: voxels of a shape, elements of a tensor. */
export function product(values: readonly number[]): number {
  return values.reduce((a, b) => a * b, 1);
}
