"""The directory's data, in the shape of Open Referral HSDS 3.0 and its UK profile."""

from .feedback import ServiceFeedback
from .imports import HSDSImport
from .location import Address, Location, LocationAccessibility
from .organization import Organization
from .pages import DirectoryPage, directory_page_for
from .search_index import IndexVersion, SearchArea, SearchPoint, ServiceCategory, ServiceTerm
from .service import (
    Contact,
    CostOption,
    Phone,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceLanguage,
)
from .sources import FeedSource, ServiceOrigin
from .taxonomy import Taxonomy, TaxonomyTerm, filed_under

__all__ = [
    "Address",
    "Contact",
    "CostOption",
    "DirectoryPage",
    "FeedSource",
    "HSDSImport",
    "IndexVersion",
    "Location",
    "LocationAccessibility",
    "Organization",
    "Phone",
    "Schedule",
    "SearchArea",
    "SearchPoint",
    "Service",
    "ServiceArea",
    "ServiceAtLocation",
    "ServiceCategory",
    "ServiceFeedback",
    "ServiceLanguage",
    "ServiceOrigin",
    "ServiceTerm",
    "Taxonomy",
    "TaxonomyTerm",
    "filed_under",
    "directory_page_for",
]
