"""PyTorch peer for nnunet-doctor's ONNX training step (tests and bench:train).

Builds a PlainConvUNet-shaped network functionally from a JSON spec read on stdin, with the weights the
TypeScript engine exported, and runs nnU-Net's training step on it with PyTorch's own autograd, loss pieces,
clip_grad_norm_ and torch.optim.SGD. Nothing here is derived from the ONNX graph: it is the independent
reference the engine is compared against.

Modes:
  grad   float64: loss, every parameter gradient, and the parameters after `steps` optimizer steps
  bench  float32: median milliseconds of a training step and of a forward pass, `threads` threads
"""
import base64
import json
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


def decode(entry, dtype):
    raw = base64.b64decode(entry["data"])
    arr = np.frombuffer(raw, dtype=np.dtype(entry.get("dtype", "float32"))).reshape(entry["shape"])
    return torch.from_numpy(arr.copy()).to(dtype)


def encode(t):
    arr = t.detach().to(torch.float64).contiguous().numpy()
    return {"shape": list(arr.shape), "dtype": "float64", "data": base64.b64encode(arr.tobytes()).decode()}


class Net:
    """Interprets the engine's op list (src/engine/unet.ts UNetDescription.ops) with torch.nn.functional."""

    def __init__(self, spec, params):
        self.ops = spec["ops"]
        self.p = params
        self.conv = F.conv3d if spec["dims"] == 3 else F.conv2d
        self.tconv = F.conv_transpose3d if spec["dims"] == 3 else F.conv_transpose2d

    def forward(self, x, input_name):
        t = {input_name: x}
        p = self.p
        for op in self.ops:
            kind = op["kind"]
            if kind == "conv":
                r = len(op["kernel"])
                pads = op["pads"]
                assert pads[:r] == pads[r:], "symmetric padding only"
                y = self.conv(t[op["input"]], p[op["weight"]], p[op["bias"]], stride=op["stride"], padding=pads[:r])
            elif kind == "convTranspose":
                y = self.tconv(t[op["input"]], p[op["weight"]], p[op["bias"]], stride=op["stride"])
            elif kind == "instanceNorm":
                y = F.instance_norm(t[op["input"]], weight=p[op["scale"]], bias=p[op["bias"]], eps=op["epsilon"])
            elif kind == "leakyRelu":
                y = F.leaky_relu(t[op["input"]], op["alpha"])
            elif kind == "concat":
                y = torch.cat([t[name] for name in op["inputs"]], dim=1)
            else:
                raise ValueError(f"unknown op {kind}")
            t[op["output"]] = y
        return t


def soft_dice(probs, onehot, batch_dice, smooth):
    """nnU-Net MemoryEfficientSoftDiceLoss with do_bg=False (nnunetv2/training/loss/dice.py)."""
    probs, onehot = probs[:, 1:], onehot[:, 1:]
    axes = [0] + list(range(2, probs.ndim)) if batch_dice else list(range(2, probs.ndim))
    intersect = (probs * onehot).sum(axes)
    sum_pred = probs.sum(axes)
    sum_gt = onehot.sum(axes)
    dc = (2 * intersect + smooth) / torch.clip(sum_pred + sum_gt + smooth, 1e-8)
    return -dc.mean()


def ds_target(target, factor):
    """DownsampleSegForDSTransform with nearest-exact: a centred pick f*j + f//2 per axis."""
    index = tuple([slice(None), slice(None)] + [slice(f // 2, None, f) for f in factor])
    return target[index]


def total_loss(net, spec, x, target):
    """DeepSupervisionWrapper(DC_and_CE_loss): only outputs with a non-zero weight contribute."""
    tensors = net.forward(x, spec["inputName"])
    loss = 0
    for out in spec["outputs"]:
        w = spec["dsWeights"][out["scale"]]
        if w == 0:
            continue
        logits = tensors[out["tensor"]]
        t = ds_target(target, spec["dsFactors"][out["scale"]])
        ce = F.cross_entropy(logits, t[:, 0].long())
        onehot = torch.zeros_like(logits).scatter_(1, t.long(), 1)
        dice = soft_dice(torch.softmax(logits, 1), onehot, spec["batchDice"], 1e-5)
        loss = loss + w * (ce + dice)
    return loss


def run_grad(spec):
    dtype = torch.float64
    params = {k: decode(v, dtype).requires_grad_(True) for k, v in spec["params"].items()}
    net = Net(spec, params)
    x = decode(spec["input"], dtype)
    target = decode(spec["target"], torch.int64)
    opt = torch.optim.SGD(list(params.values()), lr=spec["lr"][0], momentum=0.99, nesterov=True, weight_decay=3e-5)
    result = {"losses": [], "totalNorms": []}
    for step, lr in enumerate(spec["lr"]):
        for group in opt.param_groups:
            group["lr"] = lr
        opt.zero_grad(set_to_none=True)
        loss = total_loss(net, spec, x, target)
        loss.backward()
        if step == 0:
            result["grads"] = {k: encode(p.grad) for k, p in params.items() if p.grad is not None}
        norm = torch.nn.utils.clip_grad_norm_([p for p in params.values() if p.grad is not None], spec.get("clip", 12))
        opt.step()
        result["losses"].append(loss.item())
        result["totalNorms"].append(norm.item())
    result["params"] = {k: encode(p) for k, p in params.items()}
    result["buffers"] = {k: encode(opt.state[p]["momentum_buffer"]) for k, p in params.items() if "momentum_buffer" in opt.state[p]}
    return result


def median_ms(fn, repeats):
    fn()  # warm-up
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return float(np.median(times))


def run_bench(spec):
    torch.set_num_threads(spec["threads"])
    params = {k: decode(v, torch.float32).requires_grad_(True) for k, v in spec["params"].items()}
    net = Net(spec, params)
    x = decode(spec["input"], torch.float32)
    target = decode(spec["target"], torch.int64)
    opt = torch.optim.SGD(list(params.values()), lr=1e-2, momentum=0.99, nesterov=True, weight_decay=3e-5)
    def step():
        opt.zero_grad(set_to_none=True)
        loss = total_loss(net, spec, x, target)
        loss.backward()
        torch.nn.utils.clip_grad_norm_([p for p in params.values() if p.grad is not None], 12)
        opt.step()

    def forward():
        with torch.no_grad():
            net.forward(x, spec["inputName"])

    return {"threads": torch.get_num_threads(), "torch": torch.__version__,
            "trainStepMs": median_ms(step, spec["repeats"]), "forwardMs": median_ms(forward, spec["repeats"])}


def main():
    spec = json.load(sys.stdin)
    result = run_grad(spec) if spec["mode"] == "grad" else run_bench(spec)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
