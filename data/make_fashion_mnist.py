"""Regenerate ``data/fashion_mnist_subset.npz``: 6,000 + 1,000 Fashion-MNIST images.

Usage (only needed to rebuild the file; the course itself never downloads anything)::

    apt-get install dataset-fashion-mnist      # Debian: the original IDX files, offline
    python data/make_fashion_mnist.py          # writes data/fashion_mnist_subset.npz
    python data/make_fashion_mnist.py --source DIR --out x.npz

Fashion-MNIST (Xiao, Rasul and Vollgraf, 2017; Zalando SE, MIT licence) has 60,000
training and 10,000 test images of clothes, 28 x 28 grey levels, in 10 classes. The
subset keeps, in the original order, the first 600 training images and the first 100
test images of every class: 6,000 training and 1,000 test images, balanced.

Output: a NumPy ``.npz`` (what ``np.savez_compressed`` writes, read by ``np.load``) with
``images_train`` (6000, 28, 28) uint8, ``labels_train`` (6000,) uint8, ``images_test``
(1000, 28, 28) uint8 and ``labels_test`` (1000,) uint8, in the original order of each
split. The script prints the file's SHA-256. The archive is written member by member with
fixed dates and permissions (:func:`write_npz`), not by ``np.savez_compressed``: NumPy
streams each member through ``zipfile`` with ZIP64 forced, and Python 3.10 and Python
3.11+ then write different headers, so the same arrays would give a different checksum
on 3.10.
"""

import argparse
import gzip
import hashlib
import io
import zipfile
from pathlib import Path

import numpy as np

OUT_PATH = Path(__file__).resolve().parent / "fashion_mnist_subset.npz"
SOURCE_DIR = Path("/usr/share/datasets/fashion-mnist")  # Debian's dataset-fashion-mnist
PER_CLASS = {"train": 600, "t10k": 100}
N_CLASSES = 10


def read_idx(path: Path) -> np.ndarray:
    """Read a gzipped IDX file (the MNIST format): a big-endian header, then uint8 data."""
    raw = gzip.decompress(Path(path).read_bytes())
    if raw[:2] != b"\x00\x00" or raw[2] != 0x08:
        raise ValueError(f"{path}: not an IDX file of unsigned bytes")
    n_dims = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(n_dims))
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * n_dims)
    if data.size != np.prod(shape):
        raise ValueError(f"{path}: header says {shape}, found {data.size} bytes")
    return data.reshape(shape)


def first_per_class(labels: np.ndarray, per_class: int) -> np.ndarray:
    """Indices of the first ``per_class`` examples of every class, in the original order."""
    keep = np.concatenate([np.flatnonzero(labels == k)[:per_class] for k in range(N_CLASSES)])
    if keep.size != per_class * N_CLASSES:
        raise ValueError(f"some class has fewer than {per_class} examples")
    return np.sort(keep)


def build(source: Path) -> dict[str, np.ndarray]:
    arrays = {}
    for split, name in (("train", "train"), ("t10k", "test")):
        images = read_idx(source / f"{split}-images-idx3-ubyte.gz")
        labels = read_idx(source / f"{split}-labels-idx1-ubyte.gz")
        if images.shape[1:] != (28, 28) or len(images) != len(labels):
            raise ValueError(f"{split}: unexpected shapes {images.shape}, {labels.shape}")
        keep = first_per_class(labels, PER_CLASS[split])
        arrays[f"images_{name}"] = images[keep]
        arrays[f"labels_{name}"] = labels[keep]
    return arrays


def write_npz(out_path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write ``arrays`` as a compressed ``.npz`` whose bytes depend only on the arrays.

    Each member is one ``.npy`` file (``np.lib.format.write_array``), deflated at zlib's
    default level and dated 1980-01-01, the earliest date a zip file can hold.
    """
    with zipfile.ZipFile(out_path, "w") as archive:
        for name, array in arrays.items():
            member = io.BytesIO()
            np.lib.format.write_array(member, np.asarray(array), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16  # -rw-r--r--
            archive.writestr(info, member.getvalue())


def main(out_path: Path = OUT_PATH, source: Path = SOURCE_DIR) -> str:
    """Write the subset to ``out_path`` and return (and print) its SHA-256 hex digest."""
    out_path = Path(out_path)
    write_npz(out_path, build(Path(source)))
    digest = hashlib.sha256(out_path.read_bytes()).hexdigest()
    print(f"wrote {out_path} ({out_path.stat().st_size} bytes)")
    print(f"sha256 {digest}")
    return digest


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE_DIR,
                        help=f"folder with the four IDX .gz files (default {SOURCE_DIR})")
    parser.add_argument("--out", type=Path, default=OUT_PATH, help="where to write the .npz")
    arguments = parser.parse_args()
    main(arguments.out, arguments.source)
