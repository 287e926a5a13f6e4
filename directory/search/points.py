"""Places for searches near a place, shared by indexing and the engine.

The databases' own spatial indexes find the located points in the box around a circle: an
R*Tree on SQLite (`BOX_TABLE`, kept in step with SearchPoint by triggers), a GiST index on
`ll_to_earth(latitude, longitude)` on PostgreSQL (earthdistance). SQL then keeps the points
within the radius by their squared chord to the place on the unit sphere (`chord2`, plain
arithmetic on each point's stored `unit_vector`, in the order of the haversine distances),
and the exact haversine of `core.geo.distance_km` decides where rounding could tip the
balance.
"""

import math

from core.geo.distance import EARTH_RADIUS_KM

# SQL's squared chord and Python's haversine differ by rounding only (under 1e-12 relative
# for points over a few metres apart); anything within this relative margin of a limit, or
# CHORD2_SLACK of its squared chord, is decided by the exact distance instead.
MARGIN = 1e-9
CHORD2_SLACK = 1e-18
BOX_TABLE = "directory_searchpoint_box"  # SQLite's R*Tree of the points (migration 0001)
# earth_box's cube is measured on earthdistance's sphere (6,378,168 m), larger than
# core.geo's: a box a little wider than the radius holds the whole circle.
EARTH_BOX_SCALE = 1.01


def unit_vector(latitude, longitude):
    """(x, y, z) of a point on the unit sphere, as SearchPoint stores them."""
    phi, lam = math.radians(latitude), math.radians(longitude)
    return math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi)


def chord2(km):
    """The squared chord between two points of the unit sphere this far apart on the Earth
    (`core.geo.EARTH_RADIUS_KM`): what SQL works out from two points' (x, y, z) with six
    products and sums, in the same order as their great-circle distances."""
    return (2 * math.sin(min(km / EARTH_RADIUS_KM, math.pi) / 2)) ** 2


def km_of_chord2(value):
    """The great-circle distance (km) of a squared chord: `chord2`'s inverse."""
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(max(value, 0.0)) / 2))
