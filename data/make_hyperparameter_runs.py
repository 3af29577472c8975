"""Regenerate ``data/hyperparameter_runs.csv``: the trainings of notebook 06, sections 2
and 6.2, done once and saved.

Usage (only needed to rebuild the file; the notebook loads it, because its trainings
take about half a minute on two cores)::

    python data/make_hyperparameter_runs.py               # writes data/hyperparameter_runs.csv
    python data/make_hyperparameter_runs.py --out PATH

Input: ``data/fashion_mnist_subset.npz`` (see data/README.md), pullovers (y = 0) and
coats (y = 1), split as in notebook 06 (``hyperparameter_search.fashion_split`` with 150
dev images per class and ``default_rng(0)``). The code is notebook 06's:

* ``priority``: ``one_at_a_time`` around ``Config(lr=0.1)`` (momentum) and around
  ``Config(lr=0.001, optimizer="adam")``, 10 epochs, seed 0 (section 2);
* ``caviar``: the 24 configurations of ``sample_configs(24, SearchSpace(),
  default_rng(6))``, 10 epochs, seed 0 (section 6.2), each also measured on the test set.

Output: header ``experiment,varied,value,`` then the fields of ``Config``, then
``epochs,seed,initial_dev_cost,train_cost,dev_cost,dev_accuracy,test_cost,
test_accuracy,test_coat_share,diverged_at``; one row per trial; costs 6 decimals; ``nan``
where nothing was measured (the test set of section 2), an empty ``diverged_at`` when
the run did not diverge. ``test_coat_share`` is the fraction of test images the network
calls a coat. ASCII, LF line endings. The script prints the file's SHA-256. Training is
floating-point arithmetic: on another processor or BLAS library the last digits may
differ, and so the checksum.
"""

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from helpers import data  # noqa: E402
from helpers import hyperparameter_search as hs  # noqa: E402

OUT = ROOT / "data" / "hyperparameter_runs.csv"
VARIATIONS = {
    "lr": [1e-4, 1e-3, 1e-2, 1e-1, 1.0],
    "beta": [0.5, 0.9, 0.99, 0.999],
    "hidden_units": [25, 50, 75, 100],
    "batch_size": [16, 32, 64, 128, 256],
    "hidden_layers": [1, 2, 3],
    "decay": [0.0, 0.1, 0.3, 1.0],
}
ADAM_VARIATIONS = {"beta": [0.8, 0.9, 0.99], "beta2": [0.99, 0.999, 0.9999],
                   "epsilon": [1e-10, 1e-8, 1e-6]}
EPOCHS, SEED = 10, 0


def rows(split):
    """Every trial of the notebook as (experiment, varied, value, trial)."""
    priority = hs.one_at_a_time(hs.Config(lr=0.1), VARIATIONS, split, epochs=EPOCHS, seed=SEED)
    adam = hs.one_at_a_time(hs.Config(lr=0.001, optimizer="adam"), ADAM_VARIATIONS, split,
                            epochs=EPOCHS, seed=SEED)
    for name, runs in priority.items():
        for value, trial in runs:
            yield "priority", name, value, trial
    for name, runs in adam.items():
        for value, trial in runs:
            yield "priority", f"adam {name}", value, trial
    configs = hs.sample_configs(24, hs.SearchSpace(), np.random.default_rng(6))
    for k, trial in enumerate(hs.caviar(configs, split, epochs=EPOCHS, seed=SEED)):
        yield "caviar", "", k, trial


def line(experiment, varied, value, trial, split) -> str:
    c = trial.config
    test_cost = test_accuracy = test_coat = float("nan")
    if experiment == "caviar":
        test_cost, test_accuracy = hs.evaluate(trial.model, split.X_test, split.Y_test)
        with np.errstate(all="ignore"):
            test_coat = float(np.mean(trial.model.forward(split.X_test) > 0))
    numbers = [trial.initial_dev_cost, trial.train_cost, trial.dev_cost, trial.dev_accuracy,
               test_cost, test_accuracy, test_coat]
    diverged = "" if trial.diverged_at is None else str(trial.diverged_at)
    return ",".join([experiment, varied, repr(value), repr(c.lr), repr(c.beta),
                     str(c.hidden_units), str(c.batch_size), str(c.hidden_layers),
                     repr(c.decay), c.optimizer, repr(c.epsilon), repr(c.beta2),
                     str(EPOCHS), str(SEED), *(f"{x:.6f}" for x in numbers), diverged])


HEADER = ("experiment,varied,value,lr,beta,hidden_units,batch_size,hidden_layers,decay,"
          "optimizer,epsilon,beta2,epochs,seed,initial_dev_cost,train_cost,dev_cost,"
          "dev_accuracy,test_cost,test_accuracy,test_coat_share,diverged_at")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    out = parser.parse_args().out
    clothes = data.load_fashion_mnist()
    split = hs.fashion_split(clothes.images_train, clothes.labels_train, clothes.images_test,
                             clothes.labels_test, (2, 4), dev_per_class=150,
                             rng=np.random.default_rng(0))
    text = "\n".join([HEADER, *(line(*row, split) for row in rows(split))]) + "\n"
    out.write_bytes(text.encode("ascii"))
    print(f"{out}: {len(text.splitlines()) - 1} trials, "
          f"SHA-256 {hashlib.sha256(text.encode('ascii')).hexdigest()}")


if __name__ == "__main__":
    main()
