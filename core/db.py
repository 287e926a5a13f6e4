"""Append-only records: rows are added and never changed or deleted.

`AppendOnlyModel` refuses changes and deletes in Django (the model, its querysets, its
manager). On PostgreSQL a trigger that the model's migration makes refuses them in the
database too. A record may still be unlinked from a person or a thing being erased (a foreign
key's ON DELETE SET NULL), so the trigger lets the columns that link it become NULL and may
allow changes of its own (erasure replacing a name); every other column keeps its value.
"""

from django.core.exceptions import PermissionDenied
from django.db import models


class AppendOnlyQuerySet(models.QuerySet):
    """Refuses `update` and `delete`; `unlink` sets columns of these rows for erasure."""

    def update(self, **kwargs):
        raise PermissionDenied(self.model.append_only_message)

    def delete(self):
        raise PermissionDenied(self.model.append_only_message)

    def unlink(self, **kwargs):
        """Set columns the database lets erasure change (the table's trigger)."""
        return super().update(**kwargs)


class AppendOnlyModel(models.Model):
    """A record whose rows are added and never changed or deleted.

    Subclasses set `append_only_message`, the translated sentence the refusal carries.
    """

    append_only_message = ""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied(self.append_only_message)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied(self.append_only_message)
