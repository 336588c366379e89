"""The cost engine: pure computation over numpy arrays, no I/O and no printing."""

from kpo_calc.engine.decision import ExtraGates
from kpo_calc.engine.evaluate import LINE_NAMES, ONE_TIME_LINES, evaluate

__all__ = ["LINE_NAMES", "ONE_TIME_LINES", "ExtraGates", "evaluate"]
