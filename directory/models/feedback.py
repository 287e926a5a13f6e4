"""'Suggest an edit' and 'report closed' messages from the public about a service."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ServiceFeedback(models.Model):
    """A message about a service, sent to its organisation's editors."""

    class Kind(models.TextChoices):
        EDIT = "edit", _("Something needs changing")
        CLOSED = "closed", _("The service has closed")

    service = models.ForeignKey(
        "directory.Service", on_delete=models.CASCADE, related_name="feedback"
    )
    kind = models.CharField(_("what is wrong"), max_length=10, choices=Kind.choices)
    message = models.TextField(_("message"), max_length=2000)
    email = models.EmailField(
        _("your email (optional)"), blank=True, help_text=_("Only if you would like a reply.")
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        verbose_name = _("feedback about a service")
        verbose_name_plural = _("feedback about services")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.service}"
