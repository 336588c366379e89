"""A cost line's formula (``engine.lines``, a Python expression) as a spreadsheet formula.

The engine evaluates each line's formula over its drivers; the workbook writes
the same formula over the cells of the driver rows, so a reviewer reads
``=C12*C13`` where the engine computed ``headcount * salary``. Only what the
line table uses is translated: numbers, names, ``+ - * /``, unary minus,
comparisons, ``where(c, a, b)`` (``IF``) and ``maximum(a, b)`` (``MAX``).
Anything else, or a name without a row, gives None and the line is written as
values (its formula text stays beside it).
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable

#: ``{c}`` in a template stands for the month's column letter.
COLUMN = "{c}"

_BINARY: dict[type[ast.operator], tuple[str, int]] = {
    ast.Add: ("+", 1), ast.Sub: ("-", 1), ast.Mult: ("*", 2), ast.Div: ("/", 2)}
_COMPARE: dict[type[ast.cmpop], str] = {
    ast.Eq: "=", ast.NotEq: "<>", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">="}
_CALLS = {"where": ("IF", 3), "maximum": ("MAX", 2)}
#: precedence of an atom (a number, a cell, a function call): never parenthesised
_ATOM = 9


class _Untranslatable(Exception):
    """The expression uses something the workbook does not write as a formula."""


def template(expression: str, cell: Callable[[str], str | None]) -> str | None:
    """``expression`` as a spreadsheet formula (without the ``=``) whose cell references
    hold ``{c}`` for the month's column; ``cell(name)`` gives a name's reference (``"{c}12"``)
    or None. None when the expression cannot be written as a formula."""
    try:
        text, _ = _node(ast.parse(expression, mode="eval").body, cell)
    except (_Untranslatable, SyntaxError):
        return None
    return text


def _node(node: ast.expr, cell: Callable[[str], str | None]) -> tuple[str, int]:
    """The formula text of ``node`` and its precedence (lower binds looser)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) \
            and not isinstance(node.value, bool):
        return _number(node.value), _ATOM
    if isinstance(node, ast.Name):
        ref = cell(node.id)
        if ref is None:
            raise _Untranslatable(node.id)
        return ref, _ATOM
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        symbol, level = _BINARY[type(node.op)]
        left, left_level = _node(node.left, cell)
        right, right_level = _node(node.right, cell)
        # Left-associative: a looser left side needs brackets; so does a right side as
        # loose or looser (a - (b - c), a / (b * c)).
        if left_level < level:
            left = f"({left})"
        if right_level <= level:
            right = f"({right})"
        return f"{left}{symbol}{right}", level
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        # Spreadsheets bind unary minus tighter than Python does: always bracket.
        inner, _ = _node(node.operand, cell)
        return f"(-({inner}))", _ATOM
    if (isinstance(node, ast.Compare) and len(node.ops) == 1
            and type(node.ops[0]) in _COMPARE):
        left, _ = _node(node.left, cell)
        right, _ = _node(node.comparators[0], cell)
        return f"({left}{_COMPARE[type(node.ops[0])]}{right})", _ATOM
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in _CALLS and not node.keywords):
        name, arity = _CALLS[node.func.id]
        if len(node.args) != arity:
            raise _Untranslatable(node.func.id)
        args = ",".join(_node(a, cell)[0] for a in node.args)
        return f"{name}({args})", _ATOM
    raise _Untranslatable(ast.dump(node))


def _number(value: float) -> str:
    if not math.isfinite(value):
        raise _Untranslatable(repr(value))
    text = repr(float(value)).upper()  # 1E-05, as spreadsheets write it
    return text[:-2] if text.endswith(".0") else text
