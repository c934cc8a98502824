"""Progress bars of a run: one per claim, moving as its seeds' calls progress, whichever engine runs them."""

import sys

from tqdm import tqdm

__all__ = ["Progress"]

_FINAL = ("PASS", "FAIL", "NOT RUN", "SKIPPED", "done", "cached")


class Progress:
    """One tqdm bar per claim on stderr (0–100 %), fed by the engines task by task.

    Args:
        counts: {claim name: number of tasks (seeds) it runs}, in report order.
        show: draw the bars (False: every call is a no-op).
    """

    def __init__(self, counts, show=True):
        self.show = show
        self._counts = dict(counts)
        self._fractions = {}
        self._bars = {}
        self._finished = {name: 0 for name in counts}

    def _bar(self, claim):
        if claim not in self._bars:
            # Redraw every second on a terminal, every 30 s into a log file.
            interval = 1.0 if sys.stderr.isatty() else 30.0
            seeds = self._counts.get(claim, 1)
            desc = claim if seeds == 1 else f"{claim} ×{seeds}"
            self._bars[claim] = tqdm(total=100, desc=desc, disable=not self.show, file=sys.stderr, leave=True,
                                     mininterval=interval,
                                     bar_format="{desc:<28} {percentage:3.0f}%|{bar:24}| {elapsed}<{remaining}{postfix}")
        return self._bars[claim]

    def moved(self, task, fraction, postfix=""):
        """Task ``task`` (a ``tasks.Task``) is ``fraction`` (0–1) done."""
        if not self.show:
            return
        self._fractions[task.key] = min(max(fraction, 0.0), 1.0)
        bar = self._bar(task.claim)
        if postfix:
            label = postfix if self._counts.get(task.claim, 1) == 1 else f"seed {task.opts.seed}: {postfix}"
            bar.set_postfix_str(label, refresh=False)
        self._advance(task.claim, bar)

    def finished(self, task, status):
        """Task ``task`` is done (``status``: PASS, FAIL, NOT RUN, or "cached")."""
        self._finished[task.claim] = self._finished.get(task.claim, 0) + 1
        if not self.show:
            return
        self._fractions[task.key] = 1.0
        bar = self._bar(task.claim)
        self._advance(task.claim, bar)
        total = self._counts.get(task.claim, 1)
        if self._finished[task.claim] >= total:
            bar.set_postfix_str(status if total == 1 else f"{status} ({total} seeds)")
            bar.close()

    def _advance(self, claim, bar):
        done = sum(f for (name, _seed), f in self._fractions.items() if name == claim)
        # update() rather than setting n: it honours mininterval, so a callback per iteration
        # does not redraw the bar (or flood a log file) thousands of times.
        percent = min(round(100.0 * done / self._counts.get(claim, 1), 1), 100.0)
        if percent > bar.n:
            bar.update(percent - bar.n)

    def close(self):
        for bar in self._bars.values():
            bar.close()
