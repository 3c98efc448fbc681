from ninja import NinjaAPI

from nhiemvu.feedback.api import router as feedback_router

from . import directory, documents, errors, intake, tasks
from .auth import AUTH

api = NinjaAPI(
    title="nhiemvu API",
    version="1",
    description=(
        "Task tracking for Decision 131/2025/QĐ-UBND. Session auth for the pages; "
        "`Authorization: Bearer <token>` for integrations. Errors are RFC 9457 problem details."
    ),
    auth=AUTH,
    openapi_url="/openapi.json",
    docs_url="/docs",
    urls_namespace="api",
)
errors.install(api)
api.add_router("", directory.router)
api.add_router("", documents.router)
api.add_router("", intake.router)
api.add_router("", tasks.router)
api.add_router("", feedback_router)
