"""The starter taxonomy for end-of-life, bereavement and community support services.

Names are marked for translation, so the interface shows them in the visitor's language;
`ensure_starter_taxonomy()` creates or updates them (used by load_demo and available to
`manage.py shell`). Codes are stable identifiers used in URLs and the API.
"""

from django.db import transaction
from django.utils.translation import gettext_noop as _

from core import page_cache
from directory.models import Taxonomy, TaxonomyTerm

TAXONOMY_NAME = "Compassionate Communities services"
TAXONOMY_URI = "https://compassionate-communities.example/taxonomy/services"

STARTER_TERMS = [
    (
        "bereavement",
        _("Bereavement support"),
        _("Help after someone has died."),
        [
            (
                "bereavement-counselling",
                _("Bereavement counselling"),
                _("One-to-one or group counselling for grief."),
            ),
            (
                "childrens-grief",
                _("Children and young people's grief"),
                _("Support for bereaved children, young people and their families."),
            ),
            (
                "suicide-bereavement",
                _("Suicide bereavement"),
                _("Support for people bereaved by suicide."),
            ),
            (
                "baby-loss",
                _("Baby and pregnancy loss"),
                _("Support after miscarriage, stillbirth or the death of a baby."),
            ),
            (
                "bereavement-groups",
                _("Bereavement groups and cafés"),
                _("Meeting others who are grieving."),
            ),
        ],
    ),
    (
        "end-of-life-care",
        _("End-of-life care"),
        _("Care for people who are dying."),
        [
            (
                "hospice",
                _("Hospices"),
                _("Hospice care at home, in a day centre or an inpatient unit."),
            ),
            ("palliative-care", _("Palliative care"), _("Specialist care to ease symptoms.")),
            (
                "advance-care-planning",
                _("Planning ahead"),
                _("Help to plan future care, make a will or a lasting power of attorney."),
            ),
        ],
    ),
    (
        "carers",
        _("Support for carers"),
        _("Help for people looking after someone."),
        [
            ("respite", _("A break for carers"), _("Someone to sit with the person you care for.")),
            ("carers-groups", _("Carers' groups"), _("Meeting other carers.")),
        ],
    ),
    (
        "practical-help",
        _("Practical help"),
        _("Everyday tasks and paperwork."),
        [
            ("funerals", _("Funerals"), _("Arranging a funeral and help with its costs.")),
            (
                "after-a-death",
                _("Paperwork after a death"),
                _("Registering a death, benefits, probate and housing."),
            ),
            ("transport", _("Transport"), _("Lifts to appointments and to the hospice.")),
            ("befriending", _("Befriending"), _("Regular visits or calls from a volunteer.")),
        ],
    ),
    (
        "emotional-support",
        _("Emotional support"),
        _("Someone to talk to."),
        [
            ("helplines", _("Helplines"), _("Telephone and text support.")),
            (
                "faith-support",
                _("Faith and spiritual support"),
                _("Chaplains, faith leaders and spiritual care."),
            ),
            (
                "mental-health",
                _("Mental health support"),
                _("Support for mental health and crisis."),
            ),
        ],
    ),
]


@page_cache.purged_once()
@transaction.atomic
def ensure_starter_taxonomy():
    """Create or update the starter taxonomy; returns it. Safe to run again. The public
    pages are purged once for all its terms, after they are committed."""
    taxonomy, _created = Taxonomy.objects.update_or_create(
        name=TAXONOMY_NAME,
        defaults={
            "description": "Categories of end-of-life, bereavement and community support.",
            "uri": TAXONOMY_URI,
            "version": "1.0",
        },
    )
    for code, name, description, children in STARTER_TERMS:
        parent, _c = TaxonomyTerm.objects.update_or_create(
            taxonomy=taxonomy,
            code=code,
            defaults={"name": name, "description": description, "parent": None},
        )
        for child_code, child_name, child_description in children:
            TaxonomyTerm.objects.update_or_create(
                taxonomy=taxonomy,
                code=child_code,
                defaults={"name": child_name, "description": child_description, "parent": parent},
            )
    return taxonomy
