"""Student text made harmless for each channel an instructor reads: terminal, XML, Markdown, CSV, JSON."""

from __future__ import annotations

import re

#: Bidirectional controls (Trojan Source): shown by name, so a line reads in the order it is stored.
BIDI = frozenset((0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)))


def _visible_char(code: int) -> str:
    if code == 0x1B:
        return "␛"  # ESC: the start of every CSI/OSC sequence (screen clears, cursor moves, OSC 52 clipboard)
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control pictures": ␀ ␇ ␈ ␋ ␌ ␍ …
    if code == 0x7F:
        return "␡"
    if 0x80 <= code <= 0x9F:
        return f"\\x{code:02x}"  # C1 controls (0x9b is a one-byte CSI on some terminals)
    if 0xD800 <= code <= 0xDFFF:
        return "\ufffd"  # a lone surrogate: not text
    return f"<U+{code:04X}>"


_TABLE = {code: _visible_char(code) for code in (*range(0x20), 0x7F, *range(0x80, 0xA0), *BIDI)}
del _TABLE[0x0A], _TABLE[0x09]  # newlines and tabs stay what they are
_SURROGATES = re.compile("[\ud800-\udfff]")


def visible(text: object) -> str:
    """``text`` with every control character shown instead of obeyed: ``\\x1b[2J`` reads ``␛[2J``.

    Newlines and tabs are kept (a CR before a newline is dropped); anything a terminal would act on
    (escape sequences, carriage returns, backspaces, bells, C1 controls, bidi overrides) is drawn.
    """
    text = "" if text is None else str(text)
    text = text.replace("\r\n", "\n").translate(_TABLE)
    return _SURROGATES.sub("\ufffd", text)


def visible_line(text: object) -> str:
    """:func:`visible`, on one line (newlines and tabs become spaces): ids, names, table cells."""
    return " ".join(visible(text).replace("\t", " ").split("\n"))


def xml_text(text: object) -> str:
    """Text every XML 1.0 parser accepts: controls shown as in :func:`visible`, non-characters replaced."""
    return visible(text).replace("\ufffe", "\ufffd").replace("\uffff", "\ufffd")


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~-])")


def markdown_inline(text: object) -> str:
    """Text that stays literal text inside a Markdown table cell or list item (GitHub-flavoured).

    One line; HTML (``<!--``, tags) written as entities; every character that could start a heading,
    a link or an image, emphasis, code or a table cell is backslash-escaped.
    """
    line = visible_line(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", line)


#: What makes a spreadsheet read a cell as a formula (OWASP "CSV injection"), full-width forms included.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_cell(value: object) -> str:
    """A text cell a spreadsheet shows as text: a leading ``'`` where it could start a formula (OWASP).

    Leading spaces and quotes are looked through (``" =1+1"``, ``"\\"=1"`` are formulas to some programs);
    the csv module then quotes the cell and doubles its quotes where needed.
    """
    text = "" if value is None else str(value)
    if text.lstrip(" \"'\n").startswith(FORMULA_START) or text.startswith(FORMULA_START):
        return "'" + text
    return text


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def json_safe(document: str) -> str:
    """A JSON text with DEL, C1 and bidi controls written as ``\\u`` escapes (the same value, nothing a
    terminal acts on when the file is printed); ``json.dumps`` already escapes the C0 controls."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", document)
