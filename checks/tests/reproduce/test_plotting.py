"""The claims' figures (checks/reproduce/plotting.py): pyplot loaded when a figure is drawn, on Agg.

Importing the claims must not import matplotlib: every test worker imports them to collect
test_claims.py, and every process that computes an experiment imports them too, most never
drawing (matplotlib and pyplot were 0.9 s of the 1.15 s of CPU the claims took to import).
"""

import os
import subprocess
import sys

from checks.isolation.adapters import REPO_ROOT

_SCRIPT = """
import sys
import checks.reproduce.claims, checks.reproduce.seed_figures
from checks.reproduce.plotting import plt
print("imported" if "matplotlib" in sys.modules else "not imported")
hasattr(plt, "__wrapped__")  # what pytest and inspect ask of a module's names: no import either
print("imported" if "matplotlib" in sys.modules else "not imported")
figure = plt.figure()
import matplotlib
print(matplotlib.get_backend().lower())
"""


def test_the_claims_import_no_matplotlib_and_their_figures_draw_on_agg():
    # another backend asked for: without plotting's own choice, pyplot would take it
    env = {**os.environ, "MPLBACKEND": "svg"}
    run = subprocess.run([sys.executable, "-c", _SCRIPT], cwd=REPO_ROOT, env=env, capture_output=True, text=True,
                         check=False)
    assert run.returncode == 0, run.stderr[-3000:]
    assert run.stdout.split() == ["not", "imported", "not", "imported", "agg"], run.stdout
