"""Coordinates for locations, from their address, through `core.geo`."""

from core.geo import GeocodeError, geocode


def coordinates_for(address):
    """(latitude, longitude) for an address's postcode or town; raises GeocodeError."""
    text = address.geocoding_text()
    if not text:
        raise GeocodeError(message="", suggestions=[])
    place = geocode(text)
    return place.latitude, place.longitude


def fill_coordinates(location):
    """Give a location without coordinates those of its address. Returns True if it did."""
    if location.has_coordinates or location.location_type == "virtual":
        return False
    address = location.physical_address
    if address is None:
        return False
    try:
        location.latitude, location.longitude = coordinates_for(address)
    except GeocodeError:
        return False
    return True
