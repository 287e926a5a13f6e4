"""The directory's data, in the shape of Open Referral HSDS 3.0 and its UK profile."""

from .feedback import ServiceFeedback
from .imports import HSDSImport
from .location import Address, Location, LocationAccessibility
from .organization import Organization, Program
from .pages import DirectoryPage, directory_page_for
from .search_index import (
    IndexVersion,
    SearchArea,
    SearchCategorySet,
    SearchCell,
    SearchPoint,
    ServiceCategory,
)
from .service import (
    Contact,
    CostOption,
    Funding,
    Phone,
    RequiredDocument,
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
    "Funding",
    "HSDSImport",
    "IndexVersion",
    "Location",
    "LocationAccessibility",
    "Organization",
    "Phone",
    "Program",
    "Schedule",
    "RequiredDocument",
    "SearchArea",
    "SearchCategorySet",
    "SearchCell",
    "SearchPoint",
    "Service",
    "ServiceArea",
    "ServiceAtLocation",
    "ServiceCategory",
    "ServiceFeedback",
    "ServiceLanguage",
    "ServiceOrigin",
    "Taxonomy",
    "TaxonomyTerm",
    "filed_under",
    "directory_page_for",
]
