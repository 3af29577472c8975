"""Regenerate ``data/depth_runs.csv`` and ``data/depth_predictions_1978.csv``: the deeper
networks of notebook 03, section 8, trained once and saved.

Usage (only needed to rebuild the files; the notebook loads them, because training
every network takes over a minute)::

    python data/make_depth_runs.py                 # writes both files into data/
    python data/make_depth_runs.py --out-dir DIR

Input: ``data/births_us_1969_1988.csv`` (see data/README.md). Each network predicts a
day's births (thousands) from the 28 days before it: ``layers.mlp`` with 1 to 4 hidden
layers of 16 ReLU units and a linear output, trained by full-batch gradient descent
(``training.train``, 3000 steps, learning rate 0.01) on the scaled MSE, from random
seeds 0 to 3 -- the code of notebook 03, section 8. The test days are always the last
65 days of 1978; the training days are the 300 days of 1978 before them, or every day
from 1975-01-01, or from 1970-01-01, up to them. Depth 0 is the least-squares line.

Output:

* ``depth_runs.csv``: header ``training_from,hidden_layers,seed,train_mae,test_mae``,
  one row per training period, depth and seed (depth 0 has seed 0 only), MAE in
  thousands of births, 6 decimals;
* ``depth_predictions_1978.csv``: header ``date,h1_s0,...,h4_s3``, one row per day of
  1978, what the network with h hidden layers from seed s (trained on the 300 days of
  1978) predicts for that day, thousands of births, 4 decimals.

ASCII, LF line endings. The script prints each file's SHA-256. Training is
floating-point arithmetic: on another processor or BLAS library the last digits may
differ, and so the checksums.
"""

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from helpers import data, layers, linear, losses, training  # noqa: E402

OUT_DIR = ROOT / "data"
K, WIDTH, LR, STEPS, SEEDS, DEPTHS = 28, 16, 0.01, 3000, range(4), range(1, 5)
TRAINING_FROM = ("1978-01-01", "1975-01-01", "1970-01-01")
N_TEST = 65


def train_network(depth, seed, X_train, y_train):
    """A network of ``depth`` hidden ReLU layers trained on the scaled days, and the
    function that turns its output back into thousands of births."""
    mean, spread = y_train.mean(), y_train.std()
    network = layers.mlp([X_train.shape[0], *[WIDTH] * depth, 1], activation="relu",
                         rng=np.random.default_rng(seed))
    training.train(network, layers.MSE(), (X_train - mean) / spread,
                   (y_train - mean) / spread, lr=LR, epochs=STEPS)
    return lambda X: network.forward((X - mean) / spread)[0] * spread + mean


def runs():
    """The rows of both files."""
    births = data.load_births()
    counts = births.counts / 1000
    X, y = linear.lag_features(counts, K)
    days = births.dates[K:]
    in_1978 = days.astype("datetime64[Y]").astype(int) + 1970 == 1978
    test = np.flatnonzero(in_1978)[-N_TEST:]
    table, predictions = [], {}
    for start in TRAINING_FROM:
        train = np.flatnonzero((days >= np.datetime64(start)) & (days < days[test[0]]))
        w, b = linear.fit_least_squares(X[:, train], y[train])
        table.append((start, 0, 0, losses.mae(y[train], linear.predict(X[:, train], w, b)),
                      losses.mae(y[test], linear.predict(X[:, test], w, b))))
        for depth in DEPTHS:
            for seed in SEEDS:
                predict = train_network(depth, seed, X[:, train], y[train])
                table.append((start, depth, seed, losses.mae(y[train], predict(X[:, train])),
                              losses.mae(y[test], predict(X[:, test]))))
                if start == TRAINING_FROM[0]:
                    predictions[f"h{depth}_s{seed}"] = predict(X[:, in_1978])
                print(table[-1], flush=True)
    return table, days[in_1978], predictions


def to_bytes(lines):
    return ("\n".join(lines) + "\n").encode("ascii")


def main(out_dir: Path = OUT_DIR) -> dict:
    table, dates, predictions = runs()
    files = {
        "depth_runs.csv": to_bytes(
            ["training_from,hidden_layers,seed,train_mae,test_mae"]
            + [f"{start},{depth},{seed},{train:.6f},{test:.6f}"
               for start, depth, seed, train, test in table]),
        "depth_predictions_1978.csv": to_bytes(
            ["date," + ",".join(predictions)]
            + [f"{day}," + ",".join(f"{p[i]:.4f}" for p in predictions.values())
               for i, day in enumerate(dates)]),
    }
    digests = {}
    for name, payload in files.items():
        path = Path(out_dir) / name
        path.write_bytes(payload)
        digests[name] = hashlib.sha256(payload).hexdigest()
        print(f"wrote {path} ({len(payload)} bytes)\nsha256 {digests[name]}")
    return digests


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR, help="where to write the CSVs")
    main(parser.parse_args().out_dir)
