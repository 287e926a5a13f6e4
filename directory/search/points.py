"""Places for searches near a place, shared by indexing and the engine.

The databases' own spatial indexes find the located points in the box around a circle: an
R*Tree on SQLite (`BOX_TABLE`, kept in step with SearchPoint by triggers), a GiST index on
`ll_to_earth(latitude, longitude)` on PostgreSQL (earthdistance). SQL then keeps the points
whose haversine distance is within the radius, and the exact one of `core.geo.distance_km`
decides where rounding could tip the balance.
"""

# SQL's haversine and Python's differ by rounding only (about 1e-15 relative); anything
# within this relative margin of a limit is decided by the exact distance instead.
MARGIN = 1e-9
BOX_TABLE = "directory_searchpoint_box"  # SQLite's R*Tree of the points (migration 0001)
# earth_box's cube is measured on earthdistance's sphere (6,378,168 m), larger than
# core.geo's: a box a little wider than the radius holds the whole circle.
EARTH_BOX_SCALE = 1.01
