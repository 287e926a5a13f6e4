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


# Cells: a grid of latitude and longitude, CELL_LAT by CELL_LON degrees (about 2.2 by 2 km
# in England). Each point carries its cell's number (SearchPoint.cell) and SearchCell counts
# the points of each cell (kept by triggers: on PostgreSQL, once per statement from the rows
# it wrote, directory migration 0002; on SQLite, once per point, 0001), so that a search near
# a place adds up the cells wholly inside its circle and reads the points of the cells across
# its edge only.
CELL_LAT = 0.02
CELL_LON = 0.03
CELL_ROW = 20_000  # cell numbers per row of cells (a band of latitude): more than 360 / CELL_LON
CELL_PAD = 1e-9  # degrees added around a cell when deciding that it lies inside a circle


def cell_of(latitude, longitude):
    """The number of the cell a point lies in (SearchPoint.cell)."""
    row = math.floor(latitude / CELL_LAT) + 5_000
    column = math.floor(longitude / CELL_LON) + 10_000
    return row * CELL_ROW + column


def cells_near(latitude, longitude, radius_km, distance):
    """How the circle covers the grid: ([(first, last)], [(south, north, west, east,
    first, last)]): the ranges of numbers of the cells wholly within the circle (every
    point of them within `radius_km`, by `distance`, a function of two points:
    `core.geo.distance_km`), one per row of cells; and the rest of the circle's bounding
    box, as stretches of latitude and longitude within one row of cells, each with the
    range of numbers of the cells it holds (first..last, possibly empty).

    Along a parallel, the distance grows with the difference of longitude, and along a
    meridian it has no maximum inside a stretch, so a cell's farthest point is a corner:
    the cells inside are found from the parallels' half-widths within the radius and their
    outermost corners checked with `distance` itself."""
    from core.geo import bounding_box

    south, north, west, east = bounding_box(latitude, longitude, radius_km)
    first_row, last_row = math.floor(south / CELL_LAT), math.floor(north / CELL_LAT)
    first_column, last_column = math.floor(west / CELL_LON), math.floor(east / CELL_LON)
    limit = radius_km * (1 - 1e-6)
    phi0 = math.radians(latitude)

    def half_width(lat):
        """Degrees of longitude either side of the centre within `limit` on this parallel."""
        phi = math.radians(lat)
        cosine = (math.cos(limit / EARTH_RADIUS_KM) - math.sin(phi) * math.sin(phi0)) / (
            math.cos(phi) * math.cos(phi0)
        )
        return math.degrees(math.acos(cosine)) if -1 <= cosine <= 1 else -1.0

    def inside(row, column):
        lats = (row * CELL_LAT - CELL_PAD, (row + 1) * CELL_LAT + CELL_PAD)
        lons = (column * CELL_LON - CELL_PAD, (column + 1) * CELL_LON + CELL_PAD)
        return all(distance(latitude, longitude, a, o) <= limit for a in lats for o in lons)

    full, edge = [], []
    for row in range(first_row, last_row + 1):
        base = (row + 5_000) * CELL_ROW + 10_000
        half = min(
            half_width(row * CELL_LAT - CELL_PAD), half_width((row + 1) * CELL_LAT + CELL_PAD)
        )
        low = math.ceil((longitude - half + CELL_PAD) / CELL_LON)
        high = math.floor((longitude + half - CELL_PAD) / CELL_LON) - 1
        low, high = max(low, first_column), min(high, last_column)
        while low <= high and not inside(row, low):
            low += 1
        while low <= high and not inside(row, high):
            high -= 1
        bottom, top = max(south, row * CELL_LAT), min(north, (row + 1) * CELL_LAT)
        if half < 0 or low > high:
            edge.append((bottom, top, west, east, base + first_column, base + last_column))
            continue
        full.append((base + low, base + high))
        # Either side of the cells inside: the points found there that lie in them after
        # all (the spatial indexes' boxes are a little larger) are left out by cell.
        edge.append((bottom, top, west, low * CELL_LON, base + first_column, base + low - 1))
        edge.append((bottom, top, (high + 1) * CELL_LON, east, base + high + 1, base + last_column))
    return full, edge
