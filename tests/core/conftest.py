from tests.processes import processes, shared_database  # noqa: F401
from tests.volunteers.conftest import terms  # noqa: F401
