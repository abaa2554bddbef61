"""nnunet-doctor's Python probe: prints ONE JSON document describing this interpreter, its packages,
PyTorch and nnU-Net. Runs on Python 3.8+ and never fails on a broken install: every import error is
reported as data. Keys are camelCase because the document is read by the doctor as-is.

Usage: python nnunet_doctor_probe.py [--imports [--deep]]
  (default)    the interpreter and package metadata, read without importing torch (about 0.1 s)
  --imports    import torch and nnunetv2 and describe what they see (about as long as `import torch`)
  --deep       with --imports: also time a 3x3x3 Conv3d forward+backward in fp32 and fp16 autocast (CUDA only)

The doctor runs the two modes as two processes at once: reading metadata beside the import in one
interpreter would share the GIL with it and add its whole duration to the run.
"""
import json
import os
import platform
import re
import sys
import time

# Versions the doctor judges; read from package metadata, never by importing.
WANTED = [
    "torch", "nnunetv2", "numpy", "simpleitk", "nibabel", "acvl-utils", "blosc2", "batchgenerators",
    "batchgeneratorsv2", "dynamic-network-architectures", "timm", "triton", "setuptools", "python-gdcm",
    "hiddenlayer",
]


def normalize(name):
    """PEP 503 name normalization, so 'SimpleITK' and 'acvl_utils' match their requirement names."""
    return re.sub(r"[-_.]+", "-", name).lower()


def describe_error(error):
    return {"ok": False, "errorType": type(error).__name__, "message": str(error)[:2000]}


def interpreter_info():
    info = sys.version_info
    conda_prefix = os.environ.get("CONDA_PREFIX")
    return {
        "executable": sys.executable,
        "version": "%d.%d.%d" % (info[0], info[1], info[2]),
        "versionInfo": [info[0], info[1], info[2]],
        "implementation": platform.python_implementation(),
        "prefix": sys.prefix,
        "basePrefix": getattr(sys, "base_prefix", sys.prefix),
        "venv": getattr(sys, "base_prefix", sys.prefix) != sys.prefix,
        "conda": {"prefix": conda_prefix, "name": os.environ.get("CONDA_DEFAULT_ENV")} if conda_prefix else None,
        # PEP 508 marker values, so the doctor can evaluate Requires-Dist lines itself.
        "markers": {
            "os_name": os.name,
            "sys_platform": sys.platform,
            "platform_machine": platform.machine(),
            "platform_system": platform.system(),
            "platform_python_implementation": platform.python_implementation(),
            "implementation_name": sys.implementation.name,
            "python_version": "%d.%d" % (info[0], info[1]),
            "python_full_version": platform.python_version(),
        },
    }


def editable_info(dist):
    """pip records an editable install in direct_url.json (PEP 660/610); older setuptools uses .egg-link."""
    try:
        text = dist.read_text("direct_url.json")
        if text:
            data = json.loads(text)
            if data.get("dir_info", {}).get("editable"):
                return True, data.get("url")
    except Exception:
        pass
    return False, None


def read_metadata():
    import importlib.metadata as metadata
    import importlib.util

    installed = {}
    details = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if not name:
            continue
        key = normalize(name)
        if key in installed:
            continue  # the first on sys.path wins, as for imports
        installed[key] = dist.version
        if key in WANTED:
            details[key] = dist
    packages = {key: installed.get(key) for key in WANTED}

    nnunet = None
    dist = details.get("nnunetv2")
    if dist is not None:
        editable, url = editable_info(dist)
        entry_points = [ep.name for ep in dist.entry_points if ep.group == "console_scripts"]
        nnunet = {
            "version": dist.version,
            "editable": editable,
            "editableUrl": url,
            "requires": list(dist.requires or []),
            "consoleScripts": sorted(entry_points),
            "location": module_location("nnunetv2"),
        }
    torch_files = None
    torch_dir = module_location("torch")
    if torch_dir:
        torch_files = read_torch_version_py(torch_dir)
    return installed, packages, nnunet, torch_dir, torch_files


def module_location(name):
    """Where `import name` would load from, without running the package's code."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(name)
    except Exception:
        return None
    if spec is None:
        return None
    if spec.submodule_search_locations:
        return list(spec.submodule_search_locations)[0]
    return spec.origin


def read_torch_version_py(torch_dir):
    path = os.path.join(torch_dir, "version.py")
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError:
        return None
    values = {}
    for key in ("__version__", "cuda", "hip", "git_version"):
        match = re.search(r"^%s\s*(?::[^=]*)?=\s*(?:'([^']*)'|\"([^\"]*)\"|(None))" % re.escape(key), text, re.M)
        if match:
            values[key] = match.group(1) if match.group(1) is not None else match.group(2)
    return {"version": values.get("__version__"), "cuda": values.get("cuda"), "hip": values.get("hip")}


def torch_runtime(torch):
    import warnings

    result = {"ok": True, "version": str(torch.__version__)}
    version = getattr(torch, "version", None)
    result["cuda"] = getattr(version, "cuda", None)
    result["hip"] = getattr(version, "hip", None)
    try:
        result["cudnn"] = torch.backends.cudnn.version()
    except Exception as error:
        result["cudnn"] = None
        result["cudnnError"] = str(error)[:500]
    # CUDA initialisation problems ("driver too old", "no NVIDIA driver") surface only as warnings.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result["cudaAvailable"] = bool(torch.cuda.is_available())
        except Exception as error:
            result["cudaAvailable"] = False
            result["cudaError"] = "%s: %s" % (type(error).__name__, str(error)[:500])
    result["cudaWarnings"] = [str(w.message)[:500] for w in caught]
    devices = []
    if result["cudaAvailable"]:
        try:
            for index in range(torch.cuda.device_count()):
                props = torch.cuda.get_device_properties(index)
                devices.append({
                    "index": index,
                    "name": str(props.name),
                    "totalMemoryBytes": int(props.total_memory),
                    "capability": "%d.%d" % (props.major, props.minor),
                })
        except Exception as error:
            result["devicesError"] = "%s: %s" % (type(error).__name__, str(error)[:500])
    result["devices"] = devices
    try:
        result["archList"] = list(torch.cuda.get_arch_list())
    except Exception:
        result["archList"] = []
    try:
        result["mpsAvailable"] = bool(torch.backends.mps.is_available())
    except Exception:
        result["mpsAvailable"] = False
    return result


def conv3d_benchmark(torch):
    """A few iterations of the 3D convolution nnU-Net spends its time in, fp32 against fp16 autocast."""
    if not torch.cuda.is_available():
        return {"ok": False, "reason": "torch sees no CUDA device"}
    torch.backends.cudnn.benchmark = True
    device = torch.device("cuda:0")
    conv = torch.nn.Conv3d(32, 32, kernel_size=3, padding=1).to(device)
    data = torch.randn(2, 32, 64, 64, 64, device=device, requires_grad=True)

    def step(amp):
        with torch.autocast("cuda", dtype=torch.float16, enabled=amp):
            out = conv(data)
        out.float().sum().backward()

    timings = {}
    for amp in (False, True):
        for _ in range(3):
            step(amp)
        torch.cuda.synchronize()
        started = time.perf_counter()
        iterations = 10
        for _ in range(iterations):
            step(amp)
        torch.cuda.synchronize()
        timings["amp" if amp else "fp32"] = (time.perf_counter() - started) * 1000.0 / iterations
    return {
        "ok": True,
        "device": torch.cuda.get_device_name(0),
        "fp32Ms": timings["fp32"],
        "ampMs": timings["amp"],
        "shape": [2, 32, 64, 64, 64],
    }


def fips_enabled():
    try:
        with open("/proc/sys/crypto/fips_enabled") as handle:
            return handle.read().strip() == "1"
    except OSError:
        return None


def live_imports(deep):
    """Imports torch (the slow part, about a second) and then nnunetv2; every failure becomes data."""
    started = time.perf_counter()
    try:
        import torch
    except BaseException as error:  # a broken wheel can raise anything, even SystemExit
        return describe_error(error), None
    try:
        runtime = torch_runtime(torch)
    except Exception as error:
        runtime = describe_error(error)
        runtime["version"] = str(getattr(torch, "__version__", ""))
    runtime["importMs"] = (time.perf_counter() - started) * 1000.0
    try:
        import nnunetv2  # noqa: F401
        nnunet_import = {"ok": True}
    except BaseException as error:
        nnunet_import = describe_error(error)
    if deep:
        try:
            runtime["conv3dBenchmark"] = conv3d_benchmark(torch)
        except Exception as error:
            runtime["conv3dBenchmark"] = {"ok": False, "reason": "%s: %s" % (type(error).__name__, str(error)[:500])}
    return runtime, nnunet_import


def metadata_document():
    document = {
        "schema": 1,
        "mode": "metadata",
        "interpreter": interpreter_info(),
        "fipsEnabled": fips_enabled(),
    }
    try:
        installed, packages, nnunet, torch_dir, torch_files = read_metadata()
    except Exception as error:
        document["metadataError"] = describe_error(error)
        installed, packages, nnunet, torch_dir, torch_files = {}, {}, None, None, None
    document["packages"] = packages
    document["installed"] = installed
    document["nnunet"] = nnunet
    document["torch"] = {"location": torch_dir, "versionFile": torch_files, "import": None}
    return document


def imports_document(deep):
    torch_live, nnunet_import = live_imports(deep)
    return {"schema": 1, "mode": "imports", "torchImport": torch_live, "nnunetImport": nnunet_import}


def main():
    started = time.perf_counter()
    args = sys.argv[1:]
    # Packages may print on import; keep our stdout for the one JSON document.
    saved_stdout = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr

    document = imports_document("--deep" in args) if "--imports" in args else metadata_document()
    document["probeMs"] = (time.perf_counter() - started) * 1000.0

    sys.stdout.flush()
    os.dup2(saved_stdout, 1)
    sys.stdout = os.fdopen(saved_stdout, "w")
    sys.stdout.write(json.dumps(document) + "\n")
    sys.stdout.flush()
    sys.stderr.flush()
    # The report is out; tearing down an interpreter that imported torch takes about 0.3 s more, which
    # the user would wait for and nothing needs (nothing is left to write or close).
    os._exit(0)


if __name__ == "__main__":
    main()
