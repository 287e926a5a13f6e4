"""Service areas drawn as shapes: GeoJSON read, checked and made valid, and point in polygon.

An area of the kind `ServiceArea.POLYGON` keeps its shape in `extent` as one GeoJSON
geometry, a Polygon or a MultiPolygon in longitude, latitude order (RFC 7946). What an editor
or a feed gives may be a Polygon, a MultiPolygon, a Feature, a FeatureCollection or a
GeometryCollection: `read_area` takes the areal part of it, repairs a shape that is not valid
(rings that cross themselves, say) with shapely's `make_valid`, and refuses what holds no area
at all (points, lines, rings of no size) or is not GeoJSON. Its bounding box is stored beside
it, so that searches keep only the areas whose box holds the place before the exact test,
`covers`, with the shape prepared once per process.
"""

import json
import math
import threading
from collections import OrderedDict
from dataclasses import dataclass

import shapely
from django.utils.translation import gettext_lazy as _
from shapely.errors import ShapelyError
from shapely.geometry import MultiPolygon, Polygon, mapping, shape

# The bounding box as stored, on ServiceArea and SearchArea, and as `Area.box` gives it.
BOX_FIELDS = ("min_latitude", "max_latitude", "min_longitude", "max_longitude")
# Shapes kept prepared per process, with their text: the most recently used (a local
# authority's boundary generalised to 20 m is some 20 kB of text).
PREPARED_SHAPES = 256
# A shape larger than this is refused: a boundary simplified for search fits many times over.
MAX_GEOJSON_CHARS = 2_000_000
GEOMETRY_TYPES = {
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
}


class AreaError(ValueError):
    """GeoJSON that gives no area; `message` says why, in words an editor can act on."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Area:
    """A shape as stored: its GeoJSON geometry and its bounding box."""

    geojson: str
    min_latitude: float
    max_latitude: float
    min_longitude: float
    max_longitude: float

    @property
    def box(self):
        return (self.min_latitude, self.max_latitude, self.min_longitude, self.max_longitude)


def read_area(text):
    """The Area of a GeoJSON text, or AreaError saying why it is not one."""
    if len(text) > MAX_GEOJSON_CHARS:
        raise AreaError(
            _("The shape is too detailed to store: simplify it to under %(limit)s characters.")
            % {"limit": f"{MAX_GEOJSON_CHARS:,}"}
        )
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise AreaError(
            _("This is not GeoJSON: paste a Polygon or MultiPolygon, or a Feature holding one.")
        ) from None
    geometries = list(_geometries(data))
    if not geometries:
        raise AreaError(
            _("This is not GeoJSON: paste a Polygon or MultiPolygon, or a Feature holding one.")
        )
    try:
        shapes = [shapely.force_2d(shape(geometry)) for geometry in geometries]
    except (ValueError, TypeError, AttributeError, KeyError, IndexError, ShapelyError):
        raise AreaError(_("The GeoJSON has a shape whose coordinates cannot be read.")) from None
    area = _areal(shapes)
    if area is None:
        raise AreaError(
            _(
                "The shape covers no area: an area served must be a Polygon or MultiPolygon, "
                "not points or lines."
            )
        )
    min_lon, min_lat, max_lon, max_lat = area.bounds
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise AreaError(
            _(
                "The shape is outside the map: coordinates are longitude (-180 to 180) then "
                "latitude (-90 to 90)."
            )
        )
    return Area(
        geojson=json.dumps(mapping(area), separators=(",", ":")),
        min_latitude=min_lat,
        max_latitude=max_lat,
        min_longitude=min_lon,
        max_longitude=max_lon,
    )


def _geometries(data):
    """The GeoJSON geometry objects in a geometry, Feature or FeatureCollection."""
    if not isinstance(data, dict):
        return
    kind = data.get("type")
    if kind == "FeatureCollection":
        for feature in data.get("features") or []:
            yield from _geometries(feature)
    elif kind == "Feature":
        yield from _geometries(data.get("geometry"))
    elif kind in GEOMETRY_TYPES:
        yield data


def _areal(shapes):
    """The union of the polygons in these shapes, made valid; None when there is no area. One
    valid Polygon or MultiPolygon is kept as it is, its rings and their order untouched."""
    if len(shapes) == 1 and isinstance(shapes[0], Polygon | MultiPolygon):
        (only,) = shapes
        if only.is_valid and only.area > 0 and all(math.isfinite(v) for v in only.bounds):
            return only
    polygons = []
    for found in shapes:
        if not found.is_valid:
            found = shapely.make_valid(found)
        polygons.extend(_polygons(found))
    polygons = [polygon for polygon in polygons if not polygon.is_empty and polygon.area > 0]
    if not polygons:
        return None
    union = polygons[0] if len(polygons) == 1 else shapely.union_all(polygons)
    if not union.is_valid:
        union = shapely.make_valid(union)
    parts = list(_polygons(union))
    if not parts or not all(math.isfinite(value) for value in union.bounds):
        return None
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def _polygons(geometry):
    if isinstance(geometry, Polygon):
        yield geometry
    elif isinstance(geometry, MultiPolygon):
        yield from geometry.geoms
    elif hasattr(geometry, "geoms"):  # a collection: its areal members
        for member in geometry.geoms:
            yield from _polygons(member)


def normalised(text):
    """The stored form of a GeoJSON text that gives an area, or None if it gives none."""
    try:
        return read_area(text)
    except AreaError:
        return None


_prepared = OrderedDict()  # a stored extent: its shape, prepared (or None)
_prepared_lock = threading.Lock()


def _shape_of(geojson):
    """The shape of a stored extent, prepared for repeated tests; None if it is not one.
    Kept for the PREPARED_SHAPES used last."""
    with _prepared_lock:
        if geojson in _prepared:
            _prepared.move_to_end(geojson)
            return _prepared[geojson]
    area = normalised(geojson)
    geometry = None
    if area is not None:
        geometry = shape(json.loads(area.geojson))
        shapely.prepare(geometry)
    with _prepared_lock:
        _prepared[geojson] = geometry
        if len(_prepared) > PREPARED_SHAPES:
            _prepared.popitem(last=False)
    return geometry


def covers(geojson, latitude, longitude):
    """Whether the area (a stored extent) holds the place; a place on its edge counts."""
    geometry = _shape_of(geojson)
    return geometry is not None and bool(shapely.intersects_xy(geometry, longitude, latitude))
