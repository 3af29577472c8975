"""Slider by Slider: the small package every notebook imports.

Two layers. A notebook imports building blocks and its own module; a notebook's module
imports building blocks only, never another notebook's module.

Building blocks, used course-wide:

* :mod:`helpers.activations` -- sigmoid, ReLU, hard sigmoid, each beside its derivative
* :mod:`helpers.layers`      -- the layer library: forward and backward side by side,
  losses on whole batches, optimisers (05 onwards)
* :mod:`helpers.training`    -- the one training core: a step, the batching rule, the
  divergence rule, ``train`` for whole epochs, training while Play runs
* :mod:`helpers.losses`      -- MAE and MSE of a prediction (00, 01, 03)
* :mod:`helpers.linear`      -- the linear model, grid search, lag features, least squares
* :mod:`helpers.data`        -- the course's data sets (checksummed), beans, 2-D toy sets
* :mod:`helpers.live`        -- interactive figures that redraw in milliseconds
* :mod:`helpers.animation`   -- an animation shown inline and saved as a GIF, in one call
* :mod:`helpers.plotting`    -- small plot helpers (error-surface contours, ...)
* :mod:`helpers.drawing`     -- computation graphs (04, 05), network diagrams (03, 05),
  pixel images, and the decision regions beside the costs of a model that trains while
  Play runs (05, 08)
* :mod:`helpers.fonts`       -- Chinese text in plots on any machine
* :mod:`helpers.gradcheck`   -- numerical gradients, to check analytic ones
* :mod:`helpers.validate`    -- clear errors for bad arguments (``InputError``)
* :mod:`helpers.checks`      -- exercise checks with specific feedback (its ``engine``)
* :mod:`helpers.environment` -- the set-up check of notebook 00
* :mod:`helpers.server`, :mod:`helpers.notebook_runner` -- the course's Jupyter settings;
  re-running notebooks in place (``make notebooks``)

One module per notebook, with its experiments and figures; its exercise checks have the
same name in :mod:`helpers.checks`:

======================================  ===================================================
notebook                                module (and ``checks.<module>``)
======================================  ===================================================
``00_welcome``                          :mod:`helpers.welcome` (its set-up check: ``environment``)
``01_linear_regression``                :mod:`helpers.linear_regression`
``02_gradient_descent``                 :mod:`helpers.gradient_descent`
``03_piecewise_fitting``                :mod:`helpers.piecewise_fitting`
``04_logistic_regression``              :mod:`helpers.logistic_regression`
``05_deep_networks``                    :mod:`helpers.deep_networks`
``06_hyperparameter_search``            :mod:`helpers.hyperparameter_search`
``07_batch_norm``                       :mod:`helpers.batch_norm`
``08_softmax_regression``               :mod:`helpers.softmax_regression`
======================================  ===================================================

Importing the package makes matplotlib able to draw Chinese text (see ``fonts``).
"""

from helpers.fonts import use_cjk_font

use_cjk_font()
