"""schema.org Event JSON-LD for an event page, so search engines and assistants understand it."""

from django.utils.html import strip_tags

ATTENDANCE = {
    (True, False): "https://schema.org/OnlineEventAttendanceMode",
    (False, True): "https://schema.org/OfflineEventAttendanceMode",
    (True, True): "https://schema.org/MixedEventAttendanceMode",
}


def event_jsonld(event, occurrence, request, places_left=None):
    url = request.build_absolute_uri(event.url)
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": url,
        "url": url,
        "name": event.title,
        "description": event.summary or strip_tags(event.description),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": ATTENDANCE.get(
            (event.online, event.in_person), ATTENDANCE[(False, True)]
        ),
        "inLanguage": event.language,
        "isAccessibleForFree": event.free,
    }
    if occurrence is not None:
        data["startDate"] = occurrence.start.isoformat()
        data["endDate"] = occurrence.end.isoformat()
    group = event.get_parent().specific
    organizer = {
        "@type": "Organization",
        "name": group.title,
        "url": request.build_absolute_uri(group.url),
    }
    if getattr(group, "contact_email", ""):
        organizer["email"] = group.contact_email
    data["organizer"] = organizer
    locations = []
    if event.in_person:
        place = {
            "@type": "Place",
            "name": event.venue_name or event.title,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": event.address.replace("\n", ", "),
                "postalCode": event.postcode,
                "addressCountry": "GB",
            },
        }
        if event.latitude is not None:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": event.latitude,
                "longitude": event.longitude,
            }
        locations.append(place)
    if event.online:
        # The joining link stays private when the group shares it only with people who booked.
        locations.append(
            {
                "@type": "VirtualLocation",
                "url": event.online_url if event.online_link_public() else url,
            }
        )
    data["location"] = locations[0] if len(locations) == 1 else locations
    if event.capacity is not None:
        data["maximumAttendeeCapacity"] = event.capacity
        if places_left is not None:
            data["remainingAttendeeCapacity"] = places_left
    if event.free:
        data["offers"] = {"@type": "Offer", "url": url, "price": "0", "priceCurrency": "GBP"}
    elif event.cost:
        data["offers"] = {"@type": "Offer", "url": url, "description": event.cost}
    if event.capacity is not None and places_left == 0:
        data.setdefault("offers", {"@type": "Offer", "url": url})
        data["offers"]["availability"] = "https://schema.org/SoldOut"
    return data
