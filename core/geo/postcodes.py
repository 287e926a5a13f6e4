"""UK postcode formats: full postcodes, districts ("SW1A") and areas ("SW")."""

import re

# The outward code as in the UK Government Data Standards postcode pattern (the same
# alternatives as the widely used regex from the Cabinet Office's BS 7666 schema).
_OUTWARD = r"(?:[A-Z][0-9]{1,2}|[A-Z][A-HJ-Y][0-9]{1,2}|[A-Z][0-9][A-Z]|[A-Z][A-HJ-Y][0-9][A-Z]?)"
_INWARD = r"[0-9][A-Z]{2}"
_FULL = re.compile(rf"(?:GIR0AA|{_OUTWARD}{_INWARD})")
_DISTRICT = re.compile(_OUTWARD)
_AREA_OF = re.compile(r"[A-Z]+")
_SPACES = re.compile(r"\s+")

# Every geographic postcode area in the UK, the Channel Islands and the Isle of Man.
_AREAS = """
    AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL DN DT
    DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT KW KY L
    LA LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR RG RH RM S
    SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA WC WD WF WN WR
    WS WV YO ZE
"""
POSTCODE_AREAS = frozenset(_AREAS.split())


def _squash(text):
    return _SPACES.sub("", text).upper()


def normalise_postcode(text):
    """ "sw1a1aa" -> "SW1A 1AA"; None if the text is not a UK postcode in form."""
    if not isinstance(text, str):
        return None
    squashed = _squash(text)
    if not _FULL.fullmatch(squashed):
        return None
    return f"{squashed[:-3]} {squashed[-3:]}"


def normalise_district(text):
    """ "se13" -> "SE13"; None if the text is not a postcode district (outward code) in form."""
    if not isinstance(text, str):
        return None
    squashed = _squash(text)
    return squashed if _DISTRICT.fullmatch(squashed) else None


def normalise_area(text):
    """ "sw" -> "SW"; None unless the text is one of the UK's postcode areas."""
    if not isinstance(text, str):
        return None
    squashed = _squash(text)
    return squashed if squashed in POSTCODE_AREAS else None


def district_of(postcode):
    """The district of a normalised postcode: "SW1A 1AA" -> "SW1A"."""
    return postcode.split(" ", 1)[0]


def area_of(code):
    """The area of a normalised postcode or district: "SW1A 1AA" -> "SW"."""
    return _AREA_OF.match(code).group(0)
