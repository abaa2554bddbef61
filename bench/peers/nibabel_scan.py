"""The scanner's per-case work done the nnU-Net way (nibabel + numpy), for bench/dataset.ts.

For every case: load image and label, NaN/Inf counts, min/max/mean of the image, unique label values with
counts, shape/spacing/affine comparison. Cases run in a multiprocessing pool of the given size.
Prints {"seconds": s, "bytes": uncompressed bytes}.
"""
import json, os, sys, time
from multiprocessing import Pool
import numpy as np
import nibabel as nib


def scan_case(pair):
    image_path, label_path = pair
    image = nib.load(image_path)
    data = np.asanyarray(image.dataobj)
    finite = np.isfinite(data)
    stats = (int(data.size - finite.sum()), float(data.min()), float(data.max()), float(data.mean()))
    label = nib.load(label_path)
    seg = np.asanyarray(label.dataobj)
    values, counts = np.unique(seg, return_counts=True)
    same = image.shape == label.shape and np.allclose(image.header.get_zooms(), label.header.get_zooms()) and np.allclose(image.affine, label.affine)
    return data.nbytes + seg.nbytes, stats, len(values), same


def main():
    root, workers = sys.argv[1], int(sys.argv[2])
    images = sorted(os.listdir(os.path.join(root, "imagesTr")))
    pairs = [(os.path.join(root, "imagesTr", f), os.path.join(root, "labelsTr", f.replace("_0000.nii.gz", ".nii.gz"))) for f in images]
    started = time.perf_counter()
    with Pool(workers) as pool:
        results = pool.map(scan_case, pairs, chunksize=1)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "bytes": sum(r[0] for r in results)}))


if __name__ == "__main__":
    main()
