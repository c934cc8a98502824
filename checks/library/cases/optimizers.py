"""Optimizer cases: each optimizer of chapter 6 with the book's default hyperparameters
and with custom ones (so a hard-coded default cannot pass), and once for in-place updates;
and Trainer with each optimizer name its book code lists.
"""

from .base import OptimizerCase, TrainerCase

__all__ = ["CUSTOM", "IN_PLACE_CASES", "OPTIMIZER_CASES", "RULE_CASES", "SECTIONS", "TRAINER_CASES", "TRAINER_NAMES",
           "TRAINER_SCHEDULE"]

SECTIONS = {"SGD": "§6.1.2", "Momentum": "§6.1.4", "Nesterov": "§6.1.4", "AdaGrad": "§6.1.5",
            "RMSprop": "§6.1.5", "Adam": "§6.1.6"}
CUSTOM = {"SGD": {"lr": 0.3}, "Momentum": {"lr": 0.05, "momentum": 0.5}, "Nesterov": {"lr": 0.05, "momentum": 0.7},
          "AdaGrad": {"lr": 0.2}, "RMSprop": {"lr": 0.02, "decay_rate": 0.9},
          "Adam": {"lr": 0.01, "beta1": 0.8, "beta2": 0.99}}

OPTIMIZER_CASES = [OptimizerCase(name, config, section, kwargs) for name, section in SECTIONS.items()
                   for config, kwargs in (("in-place", {}), ("defaults", {}), ("custom", CUSTOM[name]))]
IN_PLACE_CASES = [case for case in OPTIMIZER_CASES if case.config == "in-place"]
RULE_CASES = [case for case in OPTIMIZER_CASES if case.config != "in-place"]

# common/trainer.py's names (optimizer.lower() is looked up in this dict); old copies of the
# book misspelt two of them ('addgrad' until 2016-11, 'rmsprpo' until 2020-03)
TRAINER_NAMES = {"sgd": "SGD", "momentum": "Momentum", "nesterov": "Nesterov", "adagrad": "AdaGrad",
                 "rmsprop": "RMSprop", "adam": "Adam"}
TRAINER_CASES = [TrainerCase("Trainer", name, "§6.4.3", optimizer, CUSTOM[optimizer])
                 for name, optimizer in TRAINER_NAMES.items()]
TRAINER_SCHEDULE = TrainerCase("Trainer", "schedule", "§6.4.3", "SGD", CUSTOM["SGD"])
