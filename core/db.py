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
    """Refuses `update`, `delete` and `bulk_create` as an upsert; `unlink` sets only the
    columns erasure may change, to the values it may give them (the model's `unlinkable`)."""

    def update(self, **kwargs):
        raise PermissionDenied(self.model.append_only_message)

    def delete(self):
        raise PermissionDenied(self.model.append_only_message)

    def bulk_create(
        self, objs, batch_size=None, ignore_conflicts=False, update_conflicts=False, **kw
    ):
        # An upsert would rewrite the rows whose keys it meets.
        if update_conflicts:
            raise PermissionDenied(self.model.append_only_message)
        return super().bulk_create(objs, batch_size, ignore_conflicts, **kw)

    def unlink(self, **kwargs):
        """Set columns of these rows as erasure does (see `AppendOnly`): each named in the
        model's `unlinkable`, to the value given there."""
        unlinkable = self.model.unlinkable
        if any(
            name not in unlinkable or unlinkable[name] != value for name, value in kwargs.items()
        ):
            raise PermissionDenied(self.model.append_only_message)
        return super().update(**kwargs)


class UnlinkingQuerySet(AppendOnlyQuerySet):
    """The base manager's: Django's deletion sets a deleted row's foreign keys to NULL with
    `update` on it (on_delete=SET_NULL), which here may only unlink."""

    def update(self, **kwargs):
        return self.unlink(**kwargs)


class AppendOnlyModel(models.Model):
    """A record whose rows are added and never changed or deleted.

    Subclasses set `append_only_message`, the translated sentence the refusal carries, and
    `unlinkable`, the columns erasure may set and the value it sets each to (a foreign key
    with on_delete=SET_NULL is named here with None). A subclass's Meta inherits this one's,
    so that Django's base manager refuses changes too.
    """

    append_only_message = ""
    unlinkable = {}

    objects = AppendOnlyQuerySet.as_manager()
    unlinking = UnlinkingQuerySet.as_manager()

    class Meta:
        abstract = True
        default_manager_name = "objects"
        base_manager_name = "unlinking"

    def save(self, *args, **kwargs):
        # Saving a new instance that carries a stored row's key would update that row.
        if not self._state.adding or (
            self.pk is not None and type(self)._base_manager.filter(pk=self.pk).exists()
        ):
            raise PermissionDenied(self.append_only_message)
        kwargs["force_insert"] = True
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
