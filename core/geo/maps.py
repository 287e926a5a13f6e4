"""What the results map reads: the `map-points` JSON of a page, drawn by static/js/directory.js."""


def map_points(points, place=None):
    """The map's markers and centre: `points` are (latitude, longitude, name, url or None),
    and the map centres on the place searched for, if any."""
    markers = []
    for latitude, longitude, name, url in points:
        marker = {"lat": latitude, "lon": longitude, "name": name}
        if url is not None:
            marker["url"] = url
        markers.append(marker)
    centre = {"lat": place.latitude, "lon": place.longitude} if place else None
    return {"points": markers, "centre": centre}
