"""The one text normaliser of the project: pure standard library, no Django.

Stored alias forms (``HotspotAlias.normalised``), search and the place matcher all go through
:func:`normalise`, so that a post and an alias written differently ("L'Estère" with a curly
apostrophe, "l'Estere", "LESTERE") meet on the same form ("estere").

Folding rules, in order:

- case: :meth:`str.casefold` (so "ß" becomes "ss");
- accents: NFKD decomposition, combining marks dropped ("Pont-Sondé" -> "pont sonde", "Fò" -> "fo");
- apostrophes (straight, curly, modifier letter, prime, backtick) separate words, and a
  word-initial French elision ``l'`` or ``d'`` is dropped ("l'Estère" -> "estere",
  "Carrefour de l'aéroport" -> "carrefour de aeroport");
- hyphens, dashes and every other punctuation or symbol separate words; runs of separators
  collapse to one space, with none at either end.

Format characters (zero-width joiners, soft hyphens) and combining marks vanish without
splitting a word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence

__all__ = [
    "APOSTROPHES",
    "HYPHENS",
    "fold",
    "normalise",
    "normalise_with_offsets",
    "span_end",
    "tokenise",
]

APOSTROPHES = frozenset("'\u2019\u2018\u201b\u02bc\u02bb\u02b9\u0060\u00b4\u2032\uff07")
# Characters that join two words into one compound ("Croix-Rouge"); dashes (en, em, minus) are
# read as separators between phrases instead.
HYPHENS = frozenset("-\u2010\u2011\ufe63\uff0d")

_SEP = " "
_APOS = "'"
_ELIDED = ("l", "d")
_SLOW = "\x00"  # marks a character whose fold is not exactly one character

# Fold results per character. Posts reuse a small alphabet, so the caches stay small.
_FOLD: dict[str, str] = {}


def _fold_char(ch: str) -> str:
    """Fold one character to lowercase unaccented alphanumerics, ``_SEP``, ``_APOS`` or ``""``."""
    if ch in APOSTROPHES:
        result = _APOS
    elif ch.isascii():
        result = ch.lower() if ch.isalnum() else _SEP
    elif unicodedata.combining(ch) or unicodedata.category(ch) == "Cf":
        result = ""
    else:
        # Compatibility forms (mathematical bold, fullwidth) only show their case once decomposed, and
        # folding can compose again, so decompose on both sides of casefold.
        decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", ch).casefold())
        kept = "".join(
            c for c in decomposed if c.isalnum() and c not in APOSTROPHES and not unicodedata.combining(c)
        )
        result = kept or _SEP
    _FOLD[ch] = result
    return result


class _TokenTable(dict):
    """``str.translate`` table folding a character to exactly one character, else ``_SLOW``.

    Most posts are made only of such characters; they are folded by one C-level translate and
    keep their offsets, and the per-character loop is left for the rest.
    """

    def __missing__(self, code: int) -> str:
        folded = _FOLD.get(chr(code)) or _fold_char(chr(code))
        result = folded if len(folded) == 1 else _SLOW
        self[code] = result
        return result


class _KeepTable(dict):
    """``str.translate`` table for :func:`fold`: punctuation kept, apostrophes and dashes unified."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        if ch in APOSTROPHES:
            result = "'"
        elif ch in HYPHENS or unicodedata.category(ch) == "Pd":
            result = "-"
        elif ch.isascii():
            result = ch.lower()
        elif unicodedata.combining(ch):
            result = ""
        else:
            decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", ch).casefold())
            result = "".join(c for c in decomposed if not unicodedata.combining(c)) or ch
        self[code] = result
        return result


_TOKEN_TABLE = _TokenTable()
_KEEP_TABLE = _KeepTable()
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Case- and accent-fold ``text`` keeping punctuation and spacing as they are.

    For callers that need clause and number boundaries (kind and figure extraction) but still
    want "Déployé" and "deploye" to read the same. Apostrophes become ``'`` and the
    hyphen-like characters become ``-``; nothing else is removed except combining marks.
    The result is usually, but not always, as long as ``text`` ("ß" becomes "ss").
    """
    return text.translate(_KEEP_TABLE)


def tokenise(
    text: str, hidden: Iterable[tuple[int, int]] = (), breaks: Collection[int] = ()
) -> list[tuple[str, Sequence[int]]]:
    """Split ``text`` into normalised words, each with the original index of every character.

    ``hidden`` spans are read as separators (the matcher hides URLs and handles this way) and a
    word is split before every index in ``breaks`` (CamelCase inside a hashtag), so offsets
    always refer to ``text`` itself.
    """
    folded = text.translate(_TOKEN_TABLE)
    if _SLOW in folded:
        return _tokenise_slow(text, hidden, breaks)
    for start, end in hidden:
        folded = folded[:start] + _SEP * (end - start) + folded[end:]
    n = len(folded)
    words: list[tuple[str, Sequence[int]]] = []
    for found in _WORD.finditer(folded):
        start, end = found.span()
        # A word that is only "l" or "d" followed by an apostrophe and a letter is a French
        # elision: drop it so "l'Estère" and "Estère" normalise alike.
        if (
            end - start == 1
            and folded[start] in _ELIDED
            and end + 1 < n
            and folded[end] == _APOS
            and folded[end + 1].isalnum()
        ):
            continue
        if breaks:
            cut = start
            for k in range(start + 1, end):
                if k in breaks:
                    words.append((folded[cut:k], range(cut, k)))
                    cut = k
            start = cut
        words.append((folded[start:end], range(start, end)))
    return words


def _tokenise_slow(
    text: str, hidden: Iterable[tuple[int, int]], breaks: Collection[int]
) -> list[tuple[str, Sequence[int]]]:
    """Character by character, for text with combining marks or characters that fold to two."""
    masked = set()
    for start, end in hidden:
        masked.update(range(start, end))
    words: list[tuple[str, Sequence[int]]] = []
    chars: list[str] = []
    offsets: list[int] = []
    n = len(text)
    for i, ch in enumerate(text):
        if i in masked or i in breaks:
            if chars:
                words.append(("".join(chars), offsets))
                chars, offsets = [], []
            if i in masked:
                continue
        folded = _FOLD.get(ch)
        if folded is None:
            folded = _fold_char(ch)
        if folded == _SEP:
            if chars:
                words.append(("".join(chars), offsets))
                chars, offsets = [], []
        elif folded == _APOS:
            if chars:
                if len(chars) == 1 and chars[0] in _ELIDED and i + 1 < n and _starts_word(text[i + 1]):
                    chars, offsets = [], []
                else:
                    words.append(("".join(chars), offsets))
                    chars, offsets = [], []
        elif folded:
            chars.append(folded)
            offsets.extend([i] * len(folded))
    if chars:
        words.append(("".join(chars), offsets))
    return words


def _starts_word(ch: str) -> bool:
    folded = _FOLD.get(ch)
    if folded is None:
        folded = _fold_char(ch)
    return folded not in (_SEP, _APOS, "")


def normalise(text: str) -> str:
    """Return the folded form of ``text`` used for storing, comparing and matching names.

    >>> normalise("Carrefour de l\u2019Aéroport")
    'carrefour de aeroport'
    """
    return " ".join(word for word, _ in tokenise(text))


def normalise_with_offsets(text: str) -> tuple[str, list[int]]:
    """Return :func:`normalise` of ``text`` and, per normalised character, its original index.

    A separating space maps to the original character just after the preceding word, so a span
    ``[a, b)`` of the normalised string maps back to ``text[offsets[a] : span_end(text,
    offsets[b - 1])]``.
    """
    parts: list[str] = []
    offsets: list[int] = []
    for word, word_offsets in tokenise(text):
        if parts:
            parts.append(" ")
            offsets.append(offsets[-1] + 1)
        parts.append(word)
        offsets.extend(word_offsets)
    return "".join(parts), offsets


def span_end(text: str, last: int) -> int:
    """Exclusive end of the original span whose last folded character came from ``text[last]``.

    Extends over combining marks and format characters that follow, so a decomposed "e\u0301"
    is never cut in half.
    """
    end = last + 1
    n = len(text)
    while end < n:
        folded = _FOLD.get(text[end])
        if folded is None:
            folded = _fold_char(text[end])
        if folded != "":
            break
        end += 1
    return end
