"""Text from scenarios, file names and arguments is data: one place makes it safe to show.

Every text output (tables, Markdown, CSV, diagnostics, gate messages, validate's
reports, diff) passes user text through :func:`visible`, which turns what a
terminal, a log viewer or a browser would act on instead of showing (control
characters, escape sequences, bidi overrides, lone surrogates) into visible
escapes such as ``\\x1b``. The medium-specific layers (:func:`md_text`,
:func:`md_code`, :func:`gh_data`, :func:`gh_property`) build on it; JSON keeps the
exact data through :func:`json_text`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

#: Bidi controls reorder what follows them (a name can show as something else),
#: and zero-width or line-separator characters hide or break text.
_INVISIBLE = (set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A))
              | {0x200B, 0x200C, 0x200E, 0x200F, 0x061C, 0x2028, 0x2029, 0x2060, 0xFEFF})
_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(char: str) -> str:
    code = ord(char)
    if char in _SHORT:
        return _SHORT[char]
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape): show the byte
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0x7F:
        return f"\\x{code:02x}"
    # C1 controls as \u0085, not \x85: \x80 to \xff are the bytes of a file name.
    return f"\\u{code:04x}"


_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff"
                     + "".join(chr(c) for c in sorted(_INVISIBLE)) + "]")


def shown_as_escape(char: str) -> bool:
    """Whether :func:`visible` shows ``char`` as an escape rather than as itself."""
    return _UNSAFE.fullmatch(char) is not None


#: GitHub Actions runs a log line as a workflow command when, after leading
#: blanks, it starts with ``::``. The runner trims every Unicode white space
#: (.NET's TrimStart: a no-break space or an ideographic space too), so any blank
#: but the line break counts as leading.
_COMMAND_START = re.compile(r"^([^\S\n]*)::", re.M)
#: The runner's older syntax, ``##[command]data``, is found anywhere in a line.
_OLD_COMMAND = "##["


#: A backslash the reader would take for the start of an escape: before a letter
#: of an escape (``\\x1b``, ``\\u202e``, ``\\n``), another backslash, or a
#: character that is about to be shown as an escape.
_BACKSLASH = re.compile(r"\\(?=[\\xunrt]|" + _UNSAFE.pattern + ")")


def visible(text: str) -> str:
    """``text`` with every control, bidi and lone-surrogate character shown as an escape.

    Unambiguous: a backslash that would read as the start of an escape is doubled, so
    a name with the text ``\\x1b`` shows as ``\\\\x1b`` and one with ESC as ``\\x1b``
    (one reading, as in Python). Hence apply it once, to the user's text; output that
    was assembled from shown pieces takes :func:`guard`. A leading ``::`` and a
    ``##[`` (GitHub workflow commands) are broken by an escape too.
    """
    return guard(_BACKSLASH.sub(r"\\\\", text))


def guard(text: str) -> str:
    """The safety net for text assembled from pieces already shown through
    :func:`visible` (or ``repr``): a raw control still becomes an escape and no line is
    a workflow command, but backslashes are left alone, so a second pass changes
    nothing (idempotent)."""
    return no_commands(_UNSAFE.sub(lambda m: _escape(m.group()), text))


def no_commands(text: str) -> str:
    """``text`` with no line that GitHub Actions would run as a workflow command.

    Meant for whole outputs too: a table cell that wraps can put user text at the
    start of a line. The first colon of such a line is shown as ``\\x3a``, and the
    second ``#`` of ``##[`` (a command anywhere in a line) as ``\\x23``.
    """
    if _OLD_COMMAND in text:
        text = text.replace(_OLD_COMMAND, "#\\x23[")
    if "::" not in text:
        return text
    return _COMMAND_START.sub(r"\1\\x3a:", text)


#: ASCII punctuation that CommonMark or GitHub would read as syntax inline:
#: emphasis, code, links and images, raw HTML and autolinks, tables, headings,
#: strikethrough and math, and ``&`` where it would start an entity (``&lt;``).
#: ``(``, ``)`` and ``!`` only make a link or image after a ``]``, which is always
#: escaped, so they stay as written (``(USD 1,234 saved)`` reads as it is).
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~$]|&(?=#?[0-9A-Za-z]+;))")


#: A zero-width space, written as an entity: it breaks a pattern GitHub acts on
#: without changing what the reader sees.
BREAK = "&#8203;"
#: What GitHub turns into a link even in plain text (its autolink extension):
#: ``http://``, ``https://`` and ``ftp://`` URLs, and ``www.`` at the start of a word.
#: (An e-mail address needs an ``@``, which the mention guard already breaks.)
#: Broken wherever they occur: one break too many is invisible, one too few is a link.
_AUTOLINK = re.compile(r"(?i)(?:https?|ftp)(?=:/)|www(?=\.)")
#: What GitHub turns into a reference or an emoji after Markdown (escaping cannot stop
#: it): an issue or pull request (``#12``, ``GH-12``, ``org/repo#12``, which would also
#: add a backlink there) and an emoji shortcode (``:rocket:``). Broken after the ``#``,
#: the ``GH-`` (the escaped ``\#`` included) and the first colon.
_REFERENCE = re.compile(r"(?i)(?:#|\bgh-)(?=\d)|:(?=[a-z0-9_+-]+:)")


def md_text(text: str, *, shown: bool = False) -> str:
    """Inline Markdown that shows ``text`` literally: no markup, link, HTML, mention,
    issue reference or emoji.

    A mention (``@org/team``) would notify people: a zero-width space entity after
    the ``@`` keeps it as text (the practice of Renovate and Dependabot). The same
    entity before the ``://`` of a URL and inside ``www.`` keeps GitHub from
    making them links. ``shown``: the text was already shown through :func:`visible`
    or ``repr`` (a diagnostic), so only :func:`guard` applies.
    """
    body = guard(text) if shown else visible(text)
    # References first: a break's own entity (&#8203;) must not read as one.
    escaped = _REFERENCE.sub(lambda m: m.group() + BREAK, _MD_SPECIAL.sub(r"\\\1", body))
    escaped = escaped.replace("@", "@" + BREAK)
    return _AUTOLINK.sub(lambda m: m.group() + BREAK, escaped)


def md_code(text: str, *, table: bool = False, shown: bool = False) -> str:
    """``text`` as a Markdown code span, fenced so that no backtick inside can close it.

    In a ``table`` cell a ``|`` must still be escaped (GitHub splits cells first).
    ``shown`` as for :func:`md_text`.
    """
    body = guard(text) if shown else visible(text)
    if table:
        body = body.replace("|", "\\|")
    longest = max((len(run) for run in re.findall("`+", body)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if body.startswith("`") or body.endswith("`") or not body.strip() else ""
    return f"{fence}{pad}{body}{pad}{fence}"


def gh_data(text: str) -> str:
    """The message part of a GitHub workflow command (escaped as the runner unescapes):
    a line break stays one (``%0A``), other controls are shown as escapes. The message
    is a diagnostic's, whose names are already quoted: only :func:`guard` applies."""
    return guard(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def gh_property(text: str) -> str:
    """A property value of a GitHub workflow command (``file=``, ``title=``): the
    user's text, shown through :func:`visible`."""
    return gh_data(visible(text)).replace(":", "%3A").replace(",", "%2C")


_JSON_UNSAFE = re.compile("[\x7f-\x9f\ud800-\udfff"
                          + "".join(chr(c) for c in sorted(_INVISIBLE)) + "]")


def json_text(doc: Any) -> str:
    """``doc`` as indented JSON with the exact data, safe to print and to encode as UTF-8.

    ``json.dumps`` escapes C0 controls; DEL, C1, bidi controls and lone surrogates
    (a non-UTF-8 file name) are escaped here as ``\\uXXXX``, and so is the second
    ``#`` of a GitHub ``##[`` command: parsers read them back to the same string.
    Everything else stays as written (no ``ensure_ascii``).
    """
    out: list[str] = []
    # The top object and the lists in it as pieces joined once: a batch's document is
    # megabytes of entries written ahead, which nested joins would copy five times.
    _JsonWriter(_safe_json_string, _SAFE_STRINGS).pieces(doc, "\n", out, 2)
    out.append("\n")
    return "".join(out)


@dataclass(frozen=True)
class WrittenJson:
    """A part of a JSON document written ahead (by :func:`json_part`, where a large
    batch's file was computed, on another core), for :func:`json_text` to place as it
    is: it would have written the same text there."""

    text: str
    #: the line start of the depth it was written at (``"\n    "``: an entry of a list
    #: that is a value of the top object)
    newline: str


def json_part(value: Any, newline: str) -> WrittenJson:
    """``value`` as :func:`json_text` writes it at the depth whose lines start with
    ``newline``."""
    return WrittenJson(_JsonWriter(_safe_json_string, _SAFE_STRINGS).write(value, newline),
                       newline)


#: The literals :func:`_safe_json_string` made, for every document of the process: a
#: batch writes each file's part on its own, and its keys and names repeat in every one.
_SAFE_STRINGS: dict[str, str] = {}
#: Literals kept at most (then forgotten at once: a report of odd names stays bounded).
SAFE_STRINGS_KEPT = 20_000


def _safe_json_string(text: str) -> str:
    """A JSON string literal of ``text`` as :func:`json_text` writes it."""
    from json.encoder import encode_basestring

    out = str(encode_basestring(text))
    # Only strings hold ``#`` and these characters, so escaping each string is
    # escaping the whole text.
    if _OLD_COMMAND in out:
        out = out.replace(_OLD_COMMAND, "#\\u0023[")
    if _JSON_UNSAFE.search(out):
        out = _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", out)
    return out


def indented_json(doc: Any) -> str:
    """``json.dumps(doc, indent=2, ensure_ascii=False)``, byte for byte, faster.

    The standard library writes indented JSON in pure Python, one generator per
    container; this writes each container with one join, strings with the C
    escaper. A batch report of 1,000 scenarios holds about two million values.
    """
    from json.encoder import encode_basestring

    return _JsonWriter(encode_basestring).write(doc, "\n")


class _JsonWriter:
    """Indented JSON as ``json.dumps(indent=2, ensure_ascii=False)`` writes it.

    Exact types take the short paths (a batch report is mostly floats in lists and
    dicts); anything else (subclasses, specials) goes the way ``json`` goes, by
    ``isinstance``. Each distinct string is escaped once: names and keys repeat in
    every scenario.
    """

    def __init__(self, string: Any, strings: dict[str, str] | None = None) -> None:
        self.string = string
        #: literals already made (shared between writers of one escaping function)
        self.strings: dict[str, str] = {} if strings is None else strings
        if len(self.strings) > SAFE_STRINGS_KEPT:
            self.strings.clear()

    def text(self, value: str) -> str:
        out = self.strings.get(value)
        if out is None:
            out = self.strings[value] = str(self.string(value))
        return out

    def write(self, value: Any, newline: str) -> str:
        """``value`` at the depth whose lines start with ``newline``."""
        kind = type(value)
        if kind is str:
            return self.text(value)
        if kind is float:
            return _float(value)
        if kind is dict:
            return self.mapping(value, newline) if value else "{}"
        if kind is list or kind is tuple:
            return self.sequence(value, newline) if value else "[]"
        return self.other(value, newline)

    def pieces(self, value: Any, newline: str, out: list[str], depth: int) -> None:
        """``write``'s text of ``value``, appended to ``out`` in pieces: the containers
        ``depth`` levels down from it are not joined into strings of their own."""
        kind = type(value)
        if depth and kind is dict and value:
            inner = newline + "  "
            comma = "," + inner
            out.append("{")
            for i, (key, item) in enumerate(value.items()):
                out.append(comma if i else inner)
                out.append((self.strings.get(key) or self.text(key)) if type(key) is str
                           else self.key(key))
                out.append(": ")
                self.pieces(item, inner, out, depth - 1)
            out.append(newline + "}")
        elif depth and (kind is list or kind is tuple) and value and type(value[0]) is not float:
            inner = newline + "  "
            comma = "," + inner
            out.append("[")
            for i, item in enumerate(value):
                out.append(comma if i else inner)
                self.pieces(item, inner, out, depth - 1)
            out.append(newline + "]")
        else:
            out.append(self.write(value, newline))

    def mapping(self, value: dict[Any, Any], newline: str) -> str:
        inner = newline + "  "
        text, write, strings = self.text, self.write, self.strings
        parts = []
        for key, item in value.items():
            name = (strings.get(key) or text(key)) if type(key) is str else self.key(key)
            kind = type(item)
            if kind is float:
                shown = float.__repr__(item)
                if "n" in shown:  # nan, inf
                    shown = _float(item)
            elif kind is str:
                shown = strings.get(item) or text(item)
            else:
                shown = write(item, inner)
            parts.append(f"{name}: {shown}")
        return "{" + inner + ("," + inner).join(parts) + newline + "}"

    def sequence(self, value: list[Any] | tuple[Any, ...], newline: str) -> str:
        inner = newline + "  "
        if type(value[0]) is float:
            try:
                body = ("," + inner).join(map(float.__repr__, value))
            except TypeError:  # not all floats
                pass
            else:
                if "n" not in body:  # no nan or inf, which JSON spells differently
                    return "[" + inner + body + newline + "]"
        write = self.write
        return "[" + inner + ("," + inner).join([write(v, inner) for v in value]) + newline + "]"

    def other(self, value: Any, newline: str) -> str:
        if value is None:
            return "null"
        if type(value) is WrittenJson:
            if value.newline != newline:
                raise ValueError("a JSON part written for another depth")
            return value.text
        if value is True:
            return "true"
        if value is False:
            return "false"
        if isinstance(value, str):
            return str(self.string(value))
        if isinstance(value, int):
            return int.__repr__(value)
        if isinstance(value, float):
            return _float(value)
        if isinstance(value, dict):
            return self.mapping(value, newline) if value else "{}"
        if isinstance(value, list | tuple):
            return self.sequence(value, newline) if value else "[]"
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")

    def key(self, key: Any) -> str:
        """A key that is not exactly ``str``, converted as ``json`` converts it."""
        if isinstance(key, str):
            return str(self.string(key))
        if key is None or isinstance(key, bool):
            return f'"{self.other(key, "")}"'
        if isinstance(key, int):
            return f'"{int.__repr__(key)}"'
        if isinstance(key, float):
            return f'"{_float(key)}"'
        raise TypeError(f"keys must be str, int, float, bool or None, not "
                        f"{type(key).__name__}")


def _float(value: float) -> str:
    """A float as ``json`` writes it (``NaN``, ``Infinity`` as JavaScript spells them)."""
    if value != value:
        return "NaN"
    if value == float("inf"):
        return "Infinity"
    if value == float("-inf"):
        return "-Infinity"
    return float.__repr__(value)
