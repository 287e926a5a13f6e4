"""Volunteers, their training and checks, help requests, offers and the contact access log."""

from .people import TermsConsent, TermsVersion, Volunteer, WeeklyAvailability
from .requests import (
    AccessLog,
    ConcernAction,
    ContactConsent,
    HelpRequest,
    HelpSeekerContact,
    Offer,
    SafeguardingConcern,
)
from .training import (
    DBSCheck,
    DBSLevel,
    TaskEligibility,
    TaskType,
    TrainingModule,
    TrainingRecord,
)

__all__ = [
    "AccessLog",
    "ConcernAction",
    "ContactConsent",
    "DBSCheck",
    "DBSLevel",
    "HelpRequest",
    "HelpSeekerContact",
    "Offer",
    "SafeguardingConcern",
    "TaskEligibility",
    "TaskType",
    "TermsConsent",
    "TermsVersion",
    "TrainingModule",
    "TrainingRecord",
    "Volunteer",
    "WeeklyAvailability",
]
