"""Points on the sphere for searches near a place, shared by indexing and the engine.

A location is stored with its latitude band (`band`, BAND_DEGREES high) and its position on
the unit sphere (x, y, z). The straight-line (chord) distance between two such points grows
with the great-circle distance, so "within r km" is `chord² <= chord2(r)`: plain arithmetic
that both SQLite and PostgreSQL evaluate natively, where a haversine in SQL costs a Python
call per function on SQLite. The exact distance (core.geo.distance_km) is then computed
only where it decides something: near the edge of the circle, and for the page shown.
"""

import math
import zlib

from core.geo.distance import EARTH_RADIUS_KM

BAND_DEGREES = 0.02  # about 2.2 km of latitude: a 10 km search reads ten bands
# Chord lengths and the haversine differ by rounding only (about 1e-15 relative); anything
# within this relative margin of a limit is decided by the exact distance instead.
MARGIN = 1e-9


def band(latitude):
    return math.floor(latitude / BAND_DEGREES)


def bands(min_lat, max_lat):
    return list(range(band(min_lat), band(max_lat) + 1))


def unit_vector(latitude, longitude):
    phi, lam = math.radians(latitude), math.radians(longitude)
    return math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi)


def chord2(km):
    """The squared chord length on the unit sphere for a great-circle distance in km."""
    angle = min(km / EARTH_RADIUS_KM, math.pi)
    return 4 * math.sin(angle / 2) ** 2


def km_of_chord2(value):
    """The great-circle distance (km) for a squared unit chord; rounding aside, the inverse
    of chord2."""
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(max(value, 0.0)) / 2))


# Each point also carries a signature of its service's search terms: one bit per term (by a
# stable hash) in two 63-bit integers. A service has every query term only if it has all
# their bits, which SQL checks on the covering index with two ANDs; the few services that
# pass by chance (another term sharing a bit) are then dropped by the exact term lookup.
SIGNATURE_BITS = 63


def term_signature(terms):
    """(a, b): the bits of these terms, in two non-negative integers below 2**63."""
    halves = [0, 0]
    for term in terms:
        index = zlib.crc32(term.encode()) % (2 * SIGNATURE_BITS)
        halves[index // SIGNATURE_BITS] |= 1 << (index % SIGNATURE_BITS)
    return tuple(halves)
