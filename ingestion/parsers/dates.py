"""Dates written in words in French, Spanish, Haitian Creole or English, as feed publishers write them.

feedparser reads RFC 822, W3C/ISO 8601 and a few other formats, but a French ``pubDate`` such as
``jeu., 17 sept. 2020 10:00:00 +0200`` defeats it. ``read_date`` is what the feed parser falls back to
when feedparser found no date in a field that has text. It is strict: every word must be a known day,
month, zone or filler word, so a string it cannot account for gives None rather than a guess.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta, timezone

# Accents and case are dropped before lookup: "Août", "aout" and "AOÛT" are one word.
_MONTHS = {
    # French
    **dict.fromkeys(("janvier", "janv", "jan"), 1),
    **dict.fromkeys(("fevrier", "fevr", "fev"), 2),
    **dict.fromkeys(("mars",), 3),
    **dict.fromkeys(("avril", "avr"), 4),
    **dict.fromkeys(("mai",), 5),
    **dict.fromkeys(("juin",), 6),
    **dict.fromkeys(("juillet", "juil"), 7),
    **dict.fromkeys(("aout",), 8),
    **dict.fromkeys(("septembre", "sept", "sep"), 9),
    **dict.fromkeys(("octobre", "oct"), 10),
    **dict.fromkeys(("novembre", "nov"), 11),
    **dict.fromkeys(("decembre", "dec"), 12),
    # Haitian Creole
    **dict.fromkeys(("janvye",), 1),
    **dict.fromkeys(("fevriye", "fevrye"), 2),
    **dict.fromkeys(("mas",), 3),
    **dict.fromkeys(("me",), 5),
    **dict.fromkeys(("jen",), 6),
    **dict.fromkeys(("jiye", "jiyet"), 7),
    **dict.fromkeys(("out",), 8),
    **dict.fromkeys(("septanm",), 9),
    **dict.fromkeys(("oktob",), 10),
    **dict.fromkeys(("novanm",), 11),
    **dict.fromkeys(("desanm",), 12),
    # Spanish
    **dict.fromkeys(("enero", "ene"), 1),
    **dict.fromkeys(("febrero", "feb"), 2),
    **dict.fromkeys(("marzo", "mar"), 3),
    **dict.fromkeys(("abril", "abr"), 4),
    **dict.fromkeys(("mayo", "may"), 5),
    **dict.fromkeys(("junio", "jun"), 6),
    **dict.fromkeys(("julio", "jul"), 7),
    **dict.fromkeys(("agosto", "ago"), 8),
    **dict.fromkeys(("septiembre", "setiembre", "set"), 9),
    **dict.fromkeys(("octubre",), 10),
    **dict.fromkeys(("noviembre",), 11),
    **dict.fromkeys(("diciembre", "dic"), 12),
    # English, for the layouts feedparser does not read ("Thursday 17 September 2020 at 10:00")
    **dict.fromkeys(("january",), 1),
    **dict.fromkeys(("february",), 2),
    **dict.fromkeys(("march",), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("june",), 6),
    **dict.fromkeys(("july",), 7),
    **dict.fromkeys(("august", "aug"), 8),
    **dict.fromkeys(("september",), 9),
    **dict.fromkeys(("october",), 10),
    **dict.fromkeys(("november",), 11),
    **dict.fromkeys(("december",), 12),
}
# "mar" is mardi/martes as well as March: it is a day name when another word gives the month.
_WEEKDAYS = frozenset(
    {
        *("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
        *("lun", "mar", "mer", "jeu", "ven", "sam", "dim"),
        *("lendi", "madi", "mekredi", "jedi", "vandredi", "samdi", "dimanch"),
        *("lunes", "martes", "miercoles", "jueves", "viernes", "sabado", "domingo"),
        *("mie", "jue", "vie", "sab", "dom"),
        *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
        *("mon", "tue", "wed", "thu", "fri", "sat", "sun"),
    }
)
# Words that join the parts: "le 1er mai 2020 à 10h", "17 de septiembre de 2020 a las 10:00".
_FILLERS = frozenset(
    {"le", "l", "de", "del", "a", "at", "las", "la", "the", "of", "on", "er", "ero", "st", "nd", "rd", "th"}
)
_ZONES = {
    **dict.fromkeys(("gmt", "utc", "ut", "z"), 0),
    **{"est": -300, "edt": -240, "cst": -360, "cdt": -300, "mst": -420, "mdt": -360},
    **{"pst": -480, "pdt": -420, "cet": 60, "cest": 120},
    # heure normale / avancée de l'Est, as Quebec and Haitian media write it
    **{"hne": -300, "hae": -240},
}
_MAX_OFFSET = timedelta(hours=14)
_TOKEN = re.compile(
    r"(?P<time>(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"|(?P<hhour>\d{1,2})\s?h\s?(?P<hminute>\d{2})?(?![a-z]))"
    r"|(?P<offset>[+-]\d{1,2}(?::?\d{2})?)(?!\d)"
    r"|(?P<number>\d+)"
    r"|(?P<word>[a-z]+)"
    r"|(?P<separator>[\s,.()'\u2019]+)"
)
_MAX_LENGTH = 120


def read_date(text: str) -> datetime | None:
    """An aware UTC datetime from a date written with day and month names, or None.

    Reads "jeu., 17 sept. 2020 10:00:00 +0200", "lundi 7 décembre 2026 09:30 -0500",
    "17 septanm 2020", "1er mai 2020 à 10h30", "17 de septiembre de 2020". Day, month name and
    four-digit year are required; without a time it is midnight, and without a zone UTC (as feedparser
    reads such dates). Anything it cannot account for gives None.
    """
    if not isinstance(text, str) or not text.strip() or len(text) > _MAX_LENGTH:
        return None
    folded = "".join(
        char for char in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(char)
    )
    day = year = None
    clock: tuple[int, int, int] | None = None
    offset: timedelta | None = None
    zone: int | None = None
    months: list[tuple[str, int]] = []
    position = 0
    for match in _TOKEN.finditer(folded):
        if match.start() != position:
            return None
        position = match.end()
        if match.group("separator"):
            continue
        if match.group("time"):
            if clock is not None:
                return None
            hour = match.group("hour") or match.group("hhour")
            minute = match.group("minute") or match.group("hminute") or "0"
            clock = (int(hour), int(minute), int(match.group("second") or 0))
        elif match.group("offset"):
            if offset is not None:
                return None
            offset = _offset(match.group("offset"))
            if offset is None:
                return None
        elif match.group("number"):
            digits = match.group("number")
            if len(digits) == 4 and year is None:
                year = int(digits)
            elif len(digits) <= 2 and day is None:
                day = int(digits)
            else:
                return None
        else:
            word = match.group("word")
            if word in _MONTHS:
                months.append((word, _MONTHS[word]))
            elif word in _ZONES:
                if zone is not None:
                    return None
                zone = _ZONES[word]
            elif word not in _WEEKDAYS and word not in _FILLERS:
                return None
    if position != len(folded):
        return None

    month = _month(months)
    if month is None or day is None or year is None:
        return None
    if offset is not None and zone:  # "GMT+2" is an offset from GMT; "EST +0200" is a contradiction
        return None
    tz = timezone(offset if offset is not None else timedelta(minutes=zone or 0))
    hour, minute, second = clock or (0, 0, 0)
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=tz).astimezone(UTC)
    except (ValueError, OverflowError):
        return None


def _month(words: list[tuple[str, int]]) -> int | None:
    # A word that may also be a day name ("mar") is the month only when nothing else is.
    certain = {number for word, number in words if word not in _WEEKDAYS}
    if len(certain) == 1 and len([word for word, _ in words if word not in _WEEKDAYS]) == 1:
        return certain.pop()
    if not certain and len(words) == 1:
        return words[0][1]
    return None


def _offset(value: str) -> timedelta | None:
    sign = -1 if value[0] == "-" else 1
    digits = value[1:].replace(":", "")
    hours, minutes = (digits, "0") if len(digits) <= 2 else (digits[:-2], digits[-2:])
    if int(minutes) >= 60:
        return None
    offset = sign * timedelta(hours=int(hours), minutes=int(minutes))
    return offset if abs(offset) <= _MAX_OFFSET else None
