from tests.actiongroups.helpers import personas, reference  # noqa: F401
