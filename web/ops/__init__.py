"""Operations: `GET /healthz` for load balancers and service managers, `GET /metrics` for Prometheus.

Neither needs a login; both are cheap. Every figure of /metrics is read from the database at scrape time, so any of
several web processes behind one address answers the same (docs/operations.md).
"""
