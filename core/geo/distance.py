"""Distances on the Earth's surface, treated as a sphere (good to about 0.5% in the UK)."""

import math

EARTH_RADIUS_KM = 6371.0088  # the mean radius (IUGG), as geopy uses


def distance_km(lat1, lon1, lat2, lon2):
    """The great-circle distance between two points in kilometres (haversine formula)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def bounding_box(lat, lon, radius_km):
    """(min_lat, max_lat, min_lon, max_lon) holding every point within radius_km of a point.

    The longitude half-width is the exact one for a circle on a sphere,
    asin(sin(d) / cos(lat)), which is wider than d / cos(lat) far from the equator. When
    the circle reaches a pole, or crosses the 180th meridian, the box spans all longitudes,
    so that a plain BETWEEN on indexed columns never misses a point.
    """
    if radius_km < 0:
        raise ValueError("radius_km must not be negative")
    angular = radius_km / EARTH_RADIUS_KM
    dlat = math.degrees(angular)
    min_lat, max_lat = lat - dlat, lat + dlat
    if min_lat <= -90 or max_lat >= 90 or angular >= math.pi / 2:
        return max(min_lat, -90.0), min(max_lat, 90.0), -180.0, 180.0
    dlon = math.degrees(math.asin(math.sin(angular) / math.cos(math.radians(lat))))
    min_lon, max_lon = lon - dlon, lon + dlon
    if min_lon < -180 or max_lon > 180:
        return min_lat, max_lat, -180.0, 180.0
    return min_lat, max_lat, min_lon, max_lon
