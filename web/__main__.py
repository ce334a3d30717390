"""`python -m web`: serve the app with uvicorn on 127.0.0.1 (PORT overrides 8000), printing how to log in."""

from __future__ import annotations

import os
import sys

import uvicorn

from web.app import create_app
from web.settings import Settings


def main() -> None:
    settings = Settings()
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "8000"))
    app = create_app(settings)
    print(f"rota: serving http://{host}:{port}/ (data in {settings.data_dir.resolve()})", flush=True)
    if settings.admin_password:
        print(f"rota: log in as {settings.admin_user!r} with ROTA_ADMIN_PASSWORD.", flush=True)
    else:
        print(
            f"rota: log in as {settings.admin_user!r}: on first start its one-time password is printed above; "
            "set ROTA_ADMIN_PASSWORD to choose it yourself.", flush=True,
        )
    uvicorn.run(app, host=host, port=port, log_level="info")


if __name__ == "__main__":
    main()
    sys.exit(0)
