"""A whole JupyterHub for a class on one machine, without a distribution:
``jupyterhub -f deploy/jupyterhub/jupyterhub_config.py`` as root, from the environment the
course is installed in (README.md in this folder). The Littlest JupyterHub and Zero to
JupyterHub bring their own spawner, login and culler: give them ``course.py`` only.

* **Each learner is their own system user** (``LocalProcessSpawner``, the default): their
  server and kernels run as that user, in their home; nobody's code runs as root. Logins
  are the machine's accounts (PAM, the default authenticator), for the members of the
  group ``SLIDER_BY_SLIDER_GROUP`` (default ``learners``).
* **jupyterhub-idle-culler** stops a server after ``SLIDER_BY_SLIDER_SERVER_IDLE`` seconds
  without activity (default one hour).
* The course's settings: ``course.py``.
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821  (JupyterHub's config loader defines it)

load_subconfig(str(Path(__file__).resolve().with_name("course.py")))  # noqa: F821

SERVER_IDLE_S = int(os.environ.get("SLIDER_BY_SLIDER_SERVER_IDLE", 60 * 60))

c.PAMAuthenticator.allowed_groups = {os.environ.get("SLIDER_BY_SLIDER_GROUP", "learners")}

c.JupyterHub.services.append({
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={SERVER_IDLE_S}"],
})
c.JupyterHub.load_roles.append({
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
})
