"""The coordinator's web app: FastAPI pages and JSON API over the rota engine (see docs/web.md)."""
