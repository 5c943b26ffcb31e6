from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .access import has_case_reach


def enforcement(request: HttpRequest) -> dict[str, Any]:
    """Whether the navigation links the enforcement cases: asked only when a page shows the link, and for an
    account with a role answered without a query (an officer without a role is looked up once)."""
    user = getattr(request, "user", None)
    reach = SimpleLazyObject(
        lambda: has_case_reach(user) if user is not None and user.is_authenticated else False
    )
    return {"enforcement_reach": reach}
