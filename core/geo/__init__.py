"""Geocoding for the whole site: text -> Place, distances, bounding boxes, postcodes.

Other apps use only what is listed in __all__.
"""

from .distance import bounding_box, distance_km
from .maps import map_points
from .postcodes import normalise_postcode
from .service import GeocodeError, Nearby, Place, describe_point, geocode

__all__ = [
    "GeocodeError",
    "Nearby",
    "Place",
    "bounding_box",
    "describe_point",
    "distance_km",
    "geocode",
    "map_points",
    "normalise_postcode",
]
