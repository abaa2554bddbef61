/** Execution providers onnxruntime-node knows by name (dependencies.md §2); light to import. */
export const PROVIDERS = ['cuda', 'tensorrt', 'coreml', 'dml', 'webgpu', 'cpu'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

/** Fetches onnxruntime's CUDA provider libraries, which the package's postinstall (skipped here) would have. */
export const CUDA_INSTALL_COMMAND = 'node node_modules/onnxruntime-node/script/install.js --onnxruntime-node-install=cuda12';
