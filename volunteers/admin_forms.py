from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm

from .models import Volunteer


class VolunteerAdminForm(WagtailAdminModelForm):
    """Records which coordinator approved a volunteer, and when, as the status moves on."""

    def save(self, commit=True):
        volunteer = super().save(commit=False)
        if volunteer.status not in (Volunteer.Status.APPLICANT, Volunteer.Status.LEFT) and (
            volunteer.approved_at is None
        ):
            volunteer.approved_at = timezone.now()
            volunteer.approved_by = self.for_user
        if commit:
            volunteer.save()
            self.save_m2m()
        return volunteer
