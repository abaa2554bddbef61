/** Execution providers onnxruntime-node knows by name (dependencies.md §2); light to import. */
export const PROVIDERS = ['cuda', 'tensorrt', 'coreml', 'dml', 'webgpu', 'cpu'] as const;
export type ProviderName = (typeof PROVIDERS)[number];
