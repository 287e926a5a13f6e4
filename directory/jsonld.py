"""schema.org JSON-LD for a service page, so search engines and assistants understand it."""

from django.utils import timezone

from core.recurrence import WEEKDAYS
from directory.schedules import repeats_weekly, starts_on

DAY_URIS = {
    "MO": "https://schema.org/Monday",
    "TU": "https://schema.org/Tuesday",
    "WE": "https://schema.org/Wednesday",
    "TH": "https://schema.org/Thursday",
    "FR": "https://schema.org/Friday",
    "SA": "https://schema.org/Saturday",
    "SU": "https://schema.org/Sunday",
}


def service_jsonld(service, request, page):
    data = {
        "@context": "https://schema.org",
        "@type": "Service",
        "@id": request.build_absolute_uri(page.service_url(service, request)),
        "name": service.name,
        "description": service.description,
        "provider": {"@type": "Organization", "name": service.organization.name},
        "isAccessibleForFree": service.free,
    }
    if service.url:
        data["url"] = service.url
    if service.organization.website:
        data["provider"]["url"] = service.organization.website
    phones = [phone.number for phone in service.phones.all()]
    if phones:
        data["provider"]["telephone"] = phones[0]
    places = []
    for sal in service.service_at_locations.all():
        location = sal.location
        address = location.physical_address
        place = {"@type": "Place", "name": location.name or service.name}
        if address:
            place["address"] = {
                "@type": "PostalAddress",
                "streetAddress": ", ".join(p for p in (address.address_1, address.address_2) if p),
                "addressLocality": address.city,
                "postalCode": address.postal_code,
                "addressCountry": address.country,
            }
        if location.has_coordinates:
            place["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": location.latitude,
                "longitude": location.longitude,
            }
        places.append(place)
    if places:
        data["availableChannel"] = [
            {"@type": "ServiceChannel", "serviceLocation": place} for place in places
        ]
    hours = []
    today = timezone.localdate()
    for schedule in service.schedules.all():
        # schema.org's opening hours repeat every week; other rules are left to the page.
        # A weekly time still to start says from when; one in force until a date, until when.
        if schedule.closed or not schedule.opens_at or not repeats_weekly(schedule):
            continue
        if schedule.valid_to and schedule.valid_to < today:
            continue
        days = [DAY_URIS[d] for d in WEEKDAYS if d in (schedule.byday or "").upper().split(",")]
        if days:
            spec = {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": days,
                "opens": schedule.opens_at.strftime("%H:%M"),
                "closes": schedule.closes_at.strftime("%H:%M"),
            }
            start = starts_on(schedule)
            if start and start > today:
                spec["validFrom"] = start.isoformat()
            if schedule.valid_to:
                spec["validThrough"] = schedule.valid_to.isoformat()
            hours.append(spec)
    if hours:
        data["hoursAvailable"] = hours
    categories = [term.name for term in service.categories.all()]
    if categories:
        data["category"] = categories
    return data
