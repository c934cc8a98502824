#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder's image (Ubuntu),
# with this zip unpacked in /autograder/source. It installs Python (3.10 or later) when
# the image lacks it, and the grader's dependencies into /autograder/source/.venv.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if ! python3 -c 'import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 10))' >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update
    apt-get install -y --no-install-recommends python3 python3-venv python3-pip
fi
python3 -m venv "$HERE/.venv"
"$HERE/.venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$HERE/requirements.txt"
"$HERE/.venv/bin/python" -c "import numpy, pytest; print('dlfs autograder ready: numpy', numpy.__version__, 'pytest', pytest.__version__)"
