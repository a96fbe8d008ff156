"""Gazetteer place matching over normalised words: a token trie, leftmost-longest, built once.

Every alias of every place is normalised with :func:`core.text.normalise` and inserted in
one trie keyed by whole words, so matching is case-, accent-, apostrophe- and hyphen-insensitive
and can never fire inside a longer word ("APN" does not match "APNs"). A post is tokenised once;
at each word the trie gives every alias that starts there and the longest one that passes the
boundary rules wins. The cost per post is one dictionary lookup per word plus the length of the
matches, whatever the size of the gazetteer.

Rules on top of plain word matching, each general rather than tied to a place:

- URLs, e-mail addresses and @handles are hidden before matching ("…/updates/solino-week-12").
- Hashtags are read with CamelCase split ("#PontSonde" -> "pont sonde") and also as one
  word against aliases written together ("#pontsonde", "#citesoleil"); the span then covers
  the hashtag including "#".
- A match never continues across clause punctuation (", ; : ( ) / ." and line breaks), so
  "… in Delmas. 2 officers" is not "Delmas 2".
- A tight hyphen binds a compound name: a match may not stop or start at one ("la
  Croix-Rouge" is not "La Croix", "Petite-Rivière-de-Nippes" is not "Petite Rivière") unless
  the other side is a number ("Delmas-33"), an English compound suffix ("Cazeau-based") or
  itself a place name of one of the matchers in play ("Delmas-Tabarre road").
- A number is never cut: an alias ending in "2" does not match the "2" of "2,500".
- With a reference gazetteer (:func:`match_places`), a hotspot alias found inside a longer
  reference name is that other place ("Hatte Drouillard", "Petite Rivière de Nippes"), except
  when the extra words are only a number ("Delmas 73" is still Delmas).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from core.text import APOSTROPHES, HYPHENS, normalise, span_end, tokenise

__all__ = ["AliasEntry", "PlaceMatch", "PlaceMatcher", "PreparedText", "alias_variants", "match_places"]

_END = ""  # trie key marking the end of an alias; never a word since words are non-empty
_ELIDED = "'"  # trie key set when an alias opens with an elided article ("L'Estère"); never a word
_LEADING_ELISION = re.compile(r"^\s*[ldLD][" + "".join(sorted(APOSTROPHES)) + r"]\w")

# URLs (with a scheme, "www." or a bare domain), e-mail addresses, @handles and #hashtags. Each
# is only searched for when a cheap test says it may be there: most posts have none.
_TLD = r"\.(?:com|org|net|int|gov|edu|info|io|co|ly|me|ht|ke|news)\b"
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_DOMAIN_HINT = re.compile(_TLD, re.IGNORECASE)
_DOMAIN = re.compile(r"(?<![\w@.])[\w-]+(?:\.[\w-]+)*" + _TLD + r"(?:/\S*)?", re.IGNORECASE)
_EMAIL_OR_HANDLE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?<![\w@])@\w+")
_HASHTAG = re.compile(r"(?<![\w&#])#\w+")

# Characters between two words that end a phrase: a place name never runs across them.
# A full stop counts only before a space or the end ("U.S." and "St. Marc" keep reading).
_GAP_BREAK = re.compile(r"[,;:!?()\[\]{}\"“”«»<>|/\\@#•·…\n\r]|\.(?=\s|$)")

# English words that form compound modifiers with a place name ("Cazeau-based", "Delmas-area"):
# a hyphen before them does not make the place part of a longer name.
_COMPOUND_SUFFIXES = frozenset(
    {"based", "bound", "area", "born", "led", "wide", "side", "run", "held", "controlled", "style", "zone"}
)

# Words linking a relative place name to the place it is relative to ("centre-ville de ...").
_QUALIFIERS = frozenset({"de", "du", "des", "of", "in", "nan"})

_PARENS = re.compile(r"\(([^()]*)\)")
_OUTER_SPLIT = re.compile(r"\s[-\u2013\u2014]\s")
_INNER_SPLIT = re.compile(r"[,;/]")


@dataclass(frozen=True, slots=True)
class AliasEntry:
    """One name of a place: ``key`` identifies the place (a hotspot slug, a P-code...)."""

    key: str
    text: str


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """A place found in a post; ``text`` is ``post[start:end]`` exactly as written."""

    key: str
    text: str
    start: int
    end: int


def alias_variants(text: str) -> list[str]:
    """The names a gazetteer label stands for: itself plus its parts.

    Hotspot labels carry their alternatives inline ("National Port Authority (APN) - Port
    international de Port-au-Prince"); each part is matched on its own, so that the label can be
    given as is.
    """
    variants = [text]
    if "(" in text or _OUTER_SPLIT.search(text):
        outer = _PARENS.sub(" ", text)
        variants.extend(_OUTER_SPLIT.split(outer))
        for inner in _PARENS.findall(text):
            variants.extend(_INNER_SPLIT.split(inner))
    seen: set[str] = set()
    result = []
    for variant in variants:
        variant = variant.strip()
        if variant and variant not in seen:
            seen.add(variant)
            result.append(variant)
    return result


_Found = tuple[int, int, str, bool]


class PreparedText:
    """A post tokenised once, with what the boundary rules need to know about each word.

    Several matchers can read the same prepared text (hotspots, reference places, countries),
    so a post is tokenised once however many gazetteers look at it.
    """

    __slots__ = ("capital", "ends", "gap_break", "hashtag", "joined", "starts", "tags", "text", "words")

    def __init__(self, text: str) -> None:
        self.text = text
        tags: list[tuple[int, int]] = []
        hidden: list[tuple[int, int]] = []
        breaks: set[int] = set()
        if "://" in text or "www." in text or "WWW." in text:
            hidden.extend(found.span() for found in _URL.finditer(text))
        if _DOMAIN_HINT.search(text):
            hidden.extend(found.span() for found in _DOMAIN.finditer(text))
        if "@" in text:
            hidden.extend(found.span() for found in _EMAIL_OR_HANDLE.finditer(text))
        if "#" in text:
            for found in _HASHTAG.finditer(text):
                tags.append(found.span())
                breaks.update(_camel_case_breaks(text, found.start() + 1, found.end()))
        tokens = tokenise(text, hidden, breaks)
        self.words = [word for word, _ in tokens]
        self.starts = [offsets[0] for _, offsets in tokens]
        self.ends = [span_end(text, offsets[-1]) for _, offsets in tokens]
        n = len(tokens)
        self.capital = [text[s].isupper() for s in self.starts]
        # hashtag[j]: index into tags of the hashtag holding word j, or -1.
        self.hashtag = [-1] * n
        self.tags = tags
        if tags:
            t = 0
            for j, s in enumerate(self.starts):
                while t < len(tags) and tags[t][1] <= s:
                    t += 1
                if t < len(tags) and tags[t][0] <= s:
                    self.hashtag[j] = t
        # gap_break[j]: the text between word j-1 and word j ends a phrase.
        # joined[j]: word j is tied to word j-1 by a single tight hyphen ("Croix-Rouge").
        self.gap_break = [True] * n
        self.joined = [False] * n
        stops = sorted([m.start() for m in _GAP_BREAK.finditer(text)] + [start for start, _ in hidden])
        b = 0
        for j in range(1, n):
            prev_end, start = self.ends[j - 1], self.starts[j]
            while b < len(stops) and stops[b] < prev_end:
                b += 1
            broken = False
            k = b
            while k < len(stops) and stops[k] < start:
                if not (text[stops[k]] == "." and _is_abbreviation(text, self.starts[j - 1], prev_end)):
                    broken = True
                    break
                k += 1
            self.gap_break[j] = broken
            self.joined[j] = start - prev_end == 1 and text[prev_end] in HYPHENS


def _is_abbreviation(text: str, start: int, end: int) -> bool:
    """A short title-case word before a full stop ("St.", "Ste.", "Mt.") does not end a phrase."""
    word = text[start:end]
    return 1 < len(word) <= 3 and word.isalpha() and word[0].isupper() and word[1:].islower()


def _camel_case_breaks(text: str, start: int, end: int) -> Iterator[int]:
    """Word starts inside a hashtag body: "PontSonde", "MSSHaiti", "Delmas30"."""
    for k in range(start + 1, end):
        a, b = text[k - 1], text[k]
        if (
            (a.islower() and b.isupper())
            or (a.isupper() and b.isupper() and k + 1 < end and text[k + 1].islower())
            or (a.isalpha() and b.isdigit())
            or (a.isdigit() and b.isalpha())
        ):
            yield k


class PlaceMatcher:
    """All aliases of a gazetteer in one word trie; build once, call :meth:`find` per post.

    ``entries`` are (key, text) pairs; each text is expanded with :func:`alias_variants` and
    normalised. When two keys share a normalised alias, the first entry keeps it, so put the
    more authoritative source first. Building 11,000 entries takes a fraction of a second.
    """

    def __init__(self, entries: Iterable[AliasEntry], *, whole_compounds: bool = True) -> None:
        """``whole_compounds=False`` turns off the hyphen rule (for demonyms: "Kenyan-led")."""
        self._root: dict[str, dict] = {}
        self._joined: dict[str, str] = {}
        self._max_words = 0
        self.whole_compounds = whole_compounds
        self.size = 0
        for entry in entries:
            for variant in alias_variants(entry.text):
                words = normalise(variant).split()
                if not words:
                    continue
                node = self._root
                for word in words:
                    node = node.setdefault(word, {})
                if _END not in node:
                    node[_END] = entry.key
                    self.size += 1
                if _LEADING_ELISION.match(variant):
                    node[_ELIDED] = True
                self._joined.setdefault("".join(words), entry.key)
                self._max_words = max(self._max_words, len(words))

    def __len__(self) -> int:
        return self.size

    def find(self, text: str | PreparedText) -> list[PlaceMatch]:
        """Non-overlapping leftmost-longest matches in ``text``, in text order."""
        post = text if isinstance(text, PreparedText) else PreparedText(text)
        return [_to_match(post, found) for found in self._scan(post, (self,))]

    # Matching over a tokenised post. A found match is (first word, end word exclusive, key,
    # whether the alias opens with an elided article).

    def _scan(self, post: PreparedText, context: Sequence[PlaceMatcher]) -> list[_Found]:
        words = post.words
        n = len(words)
        root = self._root
        found: list[_Found] = []
        i = 0
        while i < n:
            node = root.get(words[i])
            tag = post.hashtag[i]
            whole_tag = tag >= 0 and (i == 0 or post.hashtag[i - 1] != tag)
            if node is None and not whole_tag:
                i += 1
                continue
            ends: list[_Found] = []
            if node is not None:
                if _END in node:
                    ends.append((i, i + 1, node[_END], _ELIDED in node))
                j = i + 1
                while j < n and not post.gap_break[j]:
                    node = node.get(words[j])
                    if node is None:
                        break
                    j += 1
                    if _END in node:
                        ends.append((i, j, node[_END], _ELIDED in node))
            if whole_tag:
                # A hashtag written as one word ("#citesoleil") against aliases joined up.
                j = i + 1
                while j < n and post.hashtag[j] == tag:
                    j += 1
                key = self._joined.get("".join(words[i:j]))
                if key is not None and all(end < j for _, end, _, _ in ends):
                    ends.append((i, j, key, False))
            for candidate in reversed(ends):
                j = candidate[1]
                if self._boundaries_ok(post, i, j, context):
                    found.append(candidate)
                    i = j
                    break
            else:
                i += 1
        return found

    def _boundaries_ok(self, post: PreparedText, i: int, j: int, context: Sequence[PlaceMatcher]) -> bool:
        text = post.text
        # Never take the "2" of "2,500" or the "500" of "2.500".
        end = post.ends[j - 1]
        if (
            post.words[j - 1].isdigit()
            and end + 1 < len(text)
            and text[end] in ",."
            and text[end + 1].isdigit()
        ):
            return False
        start = post.starts[i]
        if post.words[i].isdigit() and start >= 2 and text[start - 1] in ",." and text[start - 2].isdigit():
            return False
        if not self.whole_compounds:
            return True
        if j < len(post.words) and post.joined[j] and not _connector(post, j, forward=True, context=context):
            return False
        return not (post.joined[i] and not _connector(post, i - 1, forward=False, context=context))

    def _qualified_elsewhere(
        self, post: PreparedText, found: _Found, places: dict[int, _Found], reference: PlaceMatcher
    ) -> bool:
        """A relative alias ("Downtown", "Centre-ville") followed by another place than its own.

        Only aliases that the gazetteer itself qualifies with a place ("Downtown Port-au-Prince",
        "Centre-ville de Port-au-Prince") are relative; "downtown Cap-Haïtien" and "centre-ville
        de Jacmel" then name another town's centre. Followed by nothing, or by its own place
        ("downtown of Port-au-Prince"), the alias keeps its hotspot.
        """
        i, j = found[0], found[1]
        node: dict | None = self._root
        for word in post.words[i:j]:
            node = node.get(word) if node is not None else None
        if node is None:
            return False
        continuations = [word for word in node if word not in (_END, _ELIDED)]
        if not any(word in _QUALIFIERS or word in reference._root for word in continuations):
            return False
        words, n = post.words, len(post.words)
        k = j
        if k < n and not post.gap_break[k] and words[k] in _QUALIFIERS:
            k += 1
        place = places.get(k)
        if place is None or post.gap_break[k]:
            return False
        own = [node]
        own.extend(node[q] for q in continuations if q in _QUALIFIERS)
        for start in own:
            walk: dict | None = start
            for word in words[k : place[1]]:
                walk = walk.get(word) if walk is not None else None
            if walk is not None and _END in walk:
                return False  # the place is the alias's own qualifier
        return True

    def _matches_from(self, post: PreparedText, i: int) -> bool:
        node = self._root.get(post.words[i])
        j = i + 1
        while node is not None:
            if _END in node:
                return True
            if j >= len(post.words) or post.gap_break[j]:
                return False
            node = node.get(post.words[j])
            j += 1
        return False

    def _matches_to(self, post: PreparedText, last: int) -> bool:
        for i in range(max(0, last - self._max_words + 1), last + 1):
            node: dict | None = self._root
            for k in range(i, last + 1):
                if k > i and post.gap_break[k]:
                    node = None
                    break
                node = node.get(post.words[k])
                if node is None:
                    break
            if node is not None and _END in node:
                return True
        return False


def _connector(post: PreparedText, other: int, *, forward: bool, context: Sequence[PlaceMatcher]) -> bool:
    """Whether the hyphen next to a match only links it to ``other`` rather than extending it."""
    word = post.words[other]
    if word.isdigit() or (word in _COMPOUND_SUFFIXES and not post.capital[other]):
        return True
    if forward:
        return any(m._matches_from(post, other) for m in context)
    return any(m._matches_to(post, other) for m in context)


def _to_match(post: PreparedText, found: _Found) -> PlaceMatch:
    i, j, key, elided = found
    text = post.text
    start = post.starts[i]
    tag = post.hashtag[i]
    if tag >= 0 and post.tags[tag][0] == start - 1:
        start -= 1  # include the "#" when the match starts the hashtag
    elif (
        elided
        and start >= 2
        and text[start - 1] in APOSTROPHES
        and text[start - 2] in "lLdD"
        and (start == 2 or not text[start - 3].isalnum())
    ):
        start -= 2  # the alias is "L'Estère": its article belongs to the name, keep it in the span
    end = post.ends[j - 1]
    return PlaceMatch(key, text[start:end], start, end)


def match_places(
    text: str | PreparedText, matcher: PlaceMatcher, reference: PlaceMatcher | None = None
) -> tuple[list[PlaceMatch], list[PlaceMatch]]:
    """Hotspot mentions and reference-place candidates of one post, tokenised once.

    Mentions are ``matcher`` matches not swallowed by a longer reference name; candidates are
    ``reference`` matches that overlap no mention and are written like a proper name (a capital
    letter or a hashtag), since staff review them.
    """
    post = text if isinstance(text, PreparedText) else PreparedText(text)
    context = (matcher,) if reference is None else (matcher, reference)
    mentions = matcher._scan(post, context)
    if reference is None:
        return [_to_match(post, found) for found in mentions], []
    places = reference._scan(post, context)
    if places:
        mentions = [m for m in mentions if not any(_swallows(post, r, m) for r in places)]
        starts = {r[0]: r for r in places}
        mentions = [m for m in mentions if not matcher._qualified_elsewhere(post, m, starts, reference)]
    taken = [(found[0], found[1]) for found in mentions]
    candidates = [
        r for r in places if not any(r[0] < j and i < r[1] for i, j in taken) and _name_like(post, r[0])
    ]
    return [_to_match(post, found) for found in mentions], [_to_match(post, found) for found in candidates]


def _swallows(post: PreparedText, outer: _Found, inner: _Found) -> bool:
    """A longer reference name around a hotspot alias, with more than a number added."""
    oi, oj = outer[0], outer[1]
    ii, ij = inner[0], inner[1]
    if not (oi <= ii and ij <= oj and oj - oi > ij - ii):
        return False
    extra = post.words[oi:ii] + post.words[ij:oj]
    return not all(word.isdigit() for word in extra)


def _name_like(post: PreparedText, i: int) -> bool:
    return post.capital[i] or post.hashtag[i] >= 0
