"""Append-only records: rows are added and never changed or deleted.

`AppendOnlyModel` refuses changes and deletes in Django (the model, its querysets, its
manager); `AppendOnly` is the migration operation that makes the database refuse them too,
with a PostgreSQL trigger. A record may still be unlinked from a person or a thing being
erased (a foreign key's ON DELETE SET NULL), so the trigger lets named columns become NULL
and lets a model add conditions of its own; every other column keeps its value.
"""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.migrations.operations.base import Operation


class AppendOnlyQuerySet(models.QuerySet):
    """Refuses `update` and `delete`; `unlink` sets columns of these rows for erasure."""

    def update(self, **kwargs):
        raise PermissionDenied(self.model.append_only_message)

    def delete(self):
        raise PermissionDenied(self.model.append_only_message)

    def unlink(self, **kwargs):
        """Set columns the database lets erasure change (see `AppendOnly`)."""
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


class AppendOnly(Operation):
    """Make a table append-only on PostgreSQL: a trigger refuses every DELETE and every
    UPDATE except one that keeps each of `fixed` columns, sets each of `unlinkable` to NULL
    or leaves it, and meets every SQL condition in `also` (over NEW and OLD). The trigger
    raises `message` with SQLSTATE insufficient_privilege. Other databases rely on the
    model (`AppendOnlyModel`); the operation changes no schema state.
    """

    reversible = True
    reduces_to_sql = False

    def __init__(self, table, message, fixed, unlinkable=(), also=()):
        self.table = table
        self.message = message
        self.fixed = list(fixed)
        self.unlinkable = list(unlinkable)
        self.also = list(also)

    def deconstruct(self):
        kwargs = {"unlinkable": self.unlinkable, "also": self.also}
        return self.__class__.__qualname__, [self.table, self.message, self.fixed], kwargs

    def state_forwards(self, app_label, state):
        pass

    @property
    def function(self):
        return f"{self.table}_append_only"

    def create_sql(self):
        kept = [f"NEW.{column} = OLD.{column}" for column in self.fixed]
        unlinked = [
            f"(NEW.{column} IS NOT DISTINCT FROM OLD.{column} OR NEW.{column} IS NULL)"
            for column in self.unlinkable
        ]
        allowed = "\n        AND ".join([*kept, *unlinked, *self.also])
        message = self.message.replace("'", "''")
        return f"""
CREATE FUNCTION {self.function}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND {allowed}
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '{message}'
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER {self.function}
    BEFORE UPDATE OR DELETE ON {self.table}
    FOR EACH ROW EXECUTE FUNCTION {self.function}();
"""

    def drop_sql(self):
        return f"""
DROP TRIGGER IF EXISTS {self.function} ON {self.table};
DROP FUNCTION IF EXISTS {self.function}();
"""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(self.create_sql())

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(self.drop_sql())

    def describe(self):
        return f"Make {self.table} append-only"

    @property
    def migration_name_fragment(self):
        return f"{self.table}_append_only"
