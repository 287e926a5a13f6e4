"""Places for searches near a place, shared by indexing and the engine.

The databases' own spatial indexes find the located points in the box around a circle: an
R*Tree on SQLite (`BOX_TABLE`, kept in step with SearchPoint by triggers), a GiST index on
`ll_to_earth(latitude, longitude)` on PostgreSQL (earthdistance). SQL then keeps the points
whose haversine distance is within the radius, and the exact one of `core.geo.distance_km`
decides where rounding could tip the balance.
"""

import zlib

# SQL's haversine and Python's differ by rounding only (about 1e-15 relative); anything
# within this relative margin of a limit is decided by the exact distance instead.
MARGIN = 1e-9
BOX_TABLE = "directory_searchpoint_box"  # SQLite's R*Tree of the points (migration 0004)
# earth_box's cube is measured on earthdistance's sphere (6,378,168 m), larger than
# core.geo's: a box a little wider than the radius holds the whole circle.
EARTH_BOX_SCALE = 1.01

# Each point also carries a signature of its service's search terms: one bit per term (by a
# stable hash) in two 63-bit integers. A service has every query term only if it has all
# their bits, which SQL checks with two ANDs; the few services that pass by chance (another
# term sharing a bit) are then dropped by the exact term lookup.
SIGNATURE_BITS = 63


def term_signature(terms):
    """(a, b): the bits of these terms, in two non-negative integers below 2**63."""
    halves = [0, 0]
    for term in terms:
        index = zlib.crc32(term.encode()) % (2 * SIGNATURE_BITS)
        halves[index // SIGNATURE_BITS] |= 1 << (index % SIGNATURE_BITS)
    return tuple(halves)
