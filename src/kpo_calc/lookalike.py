"""Names that print alike: confusable skeletons (Unicode TR39) and invisible fillers.

Two names of one namespace must be told apart by a reader, or ``--expect`` and a
plan could name an option the reader did not mean. :func:`skeleton` maps a name
to its TR39 skeleton (``KPO Indiа`` with a Cyrillic ``а`` and ``KPO India`` have
the same one); :func:`fillers` finds the characters that print as nothing or as a
blank without being a space (a Hangul filler, a combining grapheme joiner, a
stray variation selector), which no name needs.

The confusables table (``_confusables.py``, Unicode's data as a dict) is imported
only when a skeleton is first needed, so commands that read no scenario do not
pay for it (about 2 ms from the bytecode cache).
"""

from __future__ import annotations

import functools
import re
import unicodedata

from kpo_calc.textsafe import shown_as_escape

#: Default_Ignorable_Code_Point (Unicode DerivedCoreProperties): shown as nothing.
_IGNORABLE = (
    (0x00AD, 0x00AD), (0x034F, 0x034F), (0x061C, 0x061C), (0x115F, 0x1160),
    (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F), (0x202A, 0x202E),
    (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
#: Blank-looking letters that are not ignorable, yet print as an empty cell.
_BLANKS = ((0x2800, 0x2800),)
_JOINERS = frozenset({0x200C, 0x200D})  # needed inside words of some scripts, and in emoji
_EMOJI_STYLE = frozenset({0xFE0E, 0xFE0F})  # text or emoji style of the symbol before


def _class(ranges: tuple[tuple[int, int], ...]) -> re.Pattern[str]:
    return re.compile("[" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}"
                                    for a, b in ranges) + "]")


# Regular expressions: a name is checked in one scan (most have no such character).
_IGNORABLE_RE = _class(_IGNORABLE)
_FILLER_RE = _class(_IGNORABLE + _BLANKS)


def ignorable(char: str) -> bool:
    """Whether ``char`` is a default-ignorable code point (printed as nothing)."""
    return _IGNORABLE_RE.fullmatch(char) is not None


def fillers(name: str) -> list[str]:
    """The characters of ``name`` that print as nothing or as a blank, in order.

    Exceptions that have a use: a joiner (ZWJ, ZWNJ) between two printed characters,
    and a variation selector for text or emoji style right after a symbol. Characters
    that every output shows as an escape (a bidi control: ``\\u202e``) are left out:
    they are seen.
    """
    found: list[str] = []
    for match in _FILLER_RE.finditer(name):
        char, i = match.group(), match.start()
        code = ord(char)
        if shown_as_escape(char):
            continue
        before = name[i - 1] if i else " "
        after = name[i + 1] if i + 1 < len(name) else " "
        if code in _JOINERS and not (before.isspace() or after.isspace()):
            continue
        if code in _EMOJI_STYLE and unicodedata.category(before) == "So":
            continue
        found.append(char)
    return found


def describe(char: str) -> str:
    """``U+3164 HANGUL FILLER``: a character named so that a reader can find it."""
    return f"U+{ord(char):04X} {unicodedata.name(char, 'an unnamed character')}"


@functools.cache
def _prototypes() -> dict[int, str]:
    from kpo_calc._confusables import PROTOTYPES  # only when a skeleton is needed

    return {ord(char): prototype for char, prototype in PROTOTYPES.items()}


def skeleton(name: str) -> str:
    """The TR39 skeleton of ``name``: NFD, ignorable code points removed, each character
    replaced by its prototype, NFD again. Equal skeletons mean the names can be confused."""
    decomposed = _IGNORABLE_RE.sub("", unicodedata.normalize("NFD", name))
    return unicodedata.normalize("NFD", decomposed.translate(_prototypes()))


def differences(name: str, other: str) -> list[str]:
    """The characters of ``name`` where it departs from ``other``, described: what tells
    two lookalike names apart (by position when they are as long, else by presence)."""
    if len(name) == len(other):
        mine = [a for a, b in zip(name, other, strict=True) if a != b]
    else:
        theirs = set(other)
        mine = [c for c in name if c not in theirs]
    return [describe(c) for c in dict.fromkeys(mine)]
