"""The cost engine: pure computation over numpy arrays, no I/O and no printing."""

from kpo_calc.engine.decision import ExtraGates
from kpo_calc.engine.evaluate import evaluate
from kpo_calc.engine.figures import cost_option
from kpo_calc.engine.lines import LINE_NAMES, LINES, ONE_TIME_LINES
from kpo_calc.engine.models import MODELS, cost_model

__all__ = ["LINES", "LINE_NAMES", "MODELS", "ONE_TIME_LINES", "ExtraGates", "cost_model",
           "cost_option", "evaluate"]
