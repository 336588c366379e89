"""Number formatting shared by result texts and every renderer, so that all agree."""

from __future__ import annotations


def money(amount: float, currency: str | None = None, *, cents: bool = False) -> str:
    """``1234567.8`` -> ``"1,234,568"`` (or ``"USD 1,234,568"`` with a currency)."""
    text = f"{amount:,.2f}" if cents else f"{amount:,.0f}"
    if text in ("-0", "-0.00"):
        text = text[1:]
    return f"{currency} {text}" if currency else text


def percent(fraction: float, digits: int = 1) -> str:
    """``0.3124`` -> ``"31.2%"``."""
    text = f"{fraction * 100:.{digits}f}%"
    return text[1:] if text.startswith("-") and float(text[:-1]) == 0 else text


def threshold(fraction: float) -> str:
    """A stated limit as a percentage, without a needless decimal: ``0.1`` -> ``"10%"``,
    ``0.125`` -> ``"12.5%"``."""
    return percent(fraction, 0 if round(fraction * 100, 6).is_integer() else 1)


def number(value: float, digits: int = 1) -> str:
    """A count or duration with at most ``digits`` decimals and no trailing zeros."""
    text = f"{value:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
