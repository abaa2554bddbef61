/**
 * The only environment variables the doctor reads values of, and so the only ones a report can show.
 * Names from nnunetv2/paths.py, nnunetv2/configuration.py, the trainer and the PyTorch docs.
 */
export const ALLOWED_ENV_VARS = [
  // nnU-Net v2 (nnunetv2/paths.py, configuration.py, run/run_training.py)
  'nnUNet_raw',
  'nnUNet_preprocessed',
  'nnUNet_results',
  'nnUNet_n_proc_DA',
  'nnUNet_def_n_proc',
  'nnUNet_compile',
  'nnUNet_keep_files_open',
  'nnUNet_extTrainer',
  // nnU-Net v1 names, reported so a v1 setup is recognisable
  'nnUNet_raw_data_base',
  'RESULTS_FOLDER',
  // Devices and threads
  'CUDA_VISIBLE_DEVICES',
  'CUDA_DEVICE_ORDER',
  'HIP_VISIBLE_DEVICES',
  'ROCR_VISIBLE_DEVICES',
  'OMP_NUM_THREADS',
  'MKL_NUM_THREADS',
  'OPENBLAS_NUM_THREADS',
  'PYTORCH_CUDA_ALLOC_CONF',
  'PYTORCH_ENABLE_MPS_FALLBACK',
  'TORCH_CUDNN_V8_API_ENABLED',
  'TORCHINDUCTOR_CACHE_DIR',
  'CUDA_HOME',
  'CUDA_PATH',
  'CUDA_LAUNCH_BLOCKING',
  // Python environment
  'VIRTUAL_ENV',
  'CONDA_DEFAULT_ENV',
  'CONDA_PREFIX',
  'PYTHONPATH',
  // Cluster context (which scheduler, not who)
  'SLURM_JOB_PARTITION',
  'SLURM_GPUS_ON_NODE',
  'SLURM_CPUS_PER_TASK',
] as const;

const ALLOWED = new Set<string>(ALLOWED_ENV_VARS);
// Any nnU-Net variable, in any spelling (NNUNET_RAW is a mistake the checks explain), and inductor settings.
const ALLOWED_PATTERNS = [/^nnunet_/i, /^nnssl_/i, /^TORCHINDUCTOR_/];

export function isAllowedEnvVar(name: string): boolean {
  return ALLOWED.has(name) || ALLOWED_PATTERNS.some((p) => p.test(name));
}
