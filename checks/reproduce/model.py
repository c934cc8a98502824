"""The records a claim is declared with: the run's options, experiment calls, figures, the claim itself.

Each chapter's module (``checks/reproduce/claims/chNN.py``) declares its claims with these;
``checks/reproduce/claims/__init__.py`` collects them into the table every caller reads.
"""

import dataclasses
from dataclasses import dataclass, field
from typing import Callable

from .texts import N_, _

__all__ = ["Options", "Call", "Figure", "Claim", "seeded", "thresholds_source", "parse_seeds"]


@dataclass(frozen=True)
class Options:
    """What a run was asked for (the CLI flags that change which data is computed), for one seed.

    ``impl`` is the implementation the experiments take their components from: any
    ``--impl`` value ``make grade`` accepts (reference, exercises, PATH, book:PATH, mutant:NAME).
    """

    seed: int = 0
    quick: bool = False
    full_numerical: bool = False
    train_convnets: bool = False
    impl: str = "reference"

    @property
    def tier(self):
        return "quick" if self.quick else "book"

    def with_seed(self, seed):
        return dataclasses.replace(self, seed=seed)


@dataclass(frozen=True)
class Call:
    """One call of an experiment function of the book's experiments (``calls.experiments_module``), by name."""

    function: str
    kwargs: dict = field(default_factory=dict)

    def record(self):
        return {"function": self.function, "kwargs": self.kwargs}


@dataclass(frozen=True)
class Figure:
    """A PNG of the report, drawn by ``draw(data, path)`` from the results of ``keys``."""

    file: str
    caption: str
    keys: tuple
    draw: Callable


@dataclass(frozen=True)
class Claim:
    """One row of the table: a claim of the book and how this run checks it.

    Attributes:
        name: identifier (``--only`` takes it).
        chapter, section: where the claim is in the book.
        scripts: the book's scripts (official repository paths).
        title: heading in the report.
        book: what the book shows or prints.
        book_value: the claim in a few words, for the summary table.
        method: how it is measured here.
        tolerance: the tolerance and where its margin comes from.
        calls: ``Options`` → ``{key: Call}``, the experiment calls whose results are judged and drawn.
        judge: ``(data, Options)`` → ``verdict.Verdict``.
        figures: the figures drawn from the same data.
        opt_in: the flag a run needs for this claim (None: always run).
    """

    name: str
    chapter: int
    section: str
    scripts: tuple
    title: str
    book: str
    book_value: str
    method: str
    tolerance: str
    calls: Callable
    judge: Callable
    figures: tuple = ()
    opt_in: str = None

    def enabled(self, opts):
        if self.opt_in == "--train-convnets":
            return opts.train_convnets
        return True

    def seeded(self, opts):
        """Whether the claim's data depends on the seed (some call takes one)."""
        return any("seed" in call.kwargs for call in self.calls(opts).values())


def seeded(opts, function, **kwargs):
    """A ``Call`` of ``function`` with the run's seed."""
    return Call(function, {"seed": opts.seed, **kwargs})


def thresholds_source(judge):
    """The sentence naming where ``judge``'s thresholds are and what justifies them (a claim's tolerance)."""
    module = judge.__module__.rpartition(".")[2]
    return N_("Thresholds: `{judge}` in checks/reproduce/claims/{module}.py; the values measured over seeds that "
              "justify them: checks/reproduce/claims/bands.json (`make margins` measures them again).",
              judge=judge.__name__, module=module)


def parse_seeds(text):
    """The seeds of ``--seeds``: "0-19", "0,3,7" or a mix ("0-4,9"), in the order given, each once.

    Raises:
        ValueError: naming the part that is not a seed or a range of seeds.
    """
    seeds = []
    for part in str(text).split(","):
        part = part.strip()
        low, dash, high = part.partition("-")
        if not low.strip().isdigit() or (dash and not high.strip().isdigit()):
            raise ValueError(_("--seeds {text}: '{part}' is not a seed (0, 1, …) or a range of seeds (0-19)",
                               text=text, part=part))
        low, high = int(low), int(high) if dash else int(low)
        if high < low:
            raise ValueError(_("--seeds {text}: the range '{part}' ends before it starts", text=text, part=part))
        seeds += [seed for seed in range(low, high + 1) if seed not in seeds]
    return seeds
