#!/usr/bin/env bash
# Run a command while N real solve workers (`rota worker`, queue mode) serve the PostgreSQL database that
# scripts/with-postgres.sh set up: .ci/run runs the queue tests this way, as a street office would run workers.
#   scripts/with-postgres.sh scripts/with-workers.sh 2 .venv/bin/pytest -q tests/web/solving/test_ci_workers.py
# The command sees ROTA_TEST_WORKERS=N, ROTA_TEST_WORKERS_URL (the database) and ROTA_TEST_WORKERS_QUEUE (their
# queue). The workers are stopped afterwards (SIGTERM, as systemd would) whether the command passed or not; their
# logs are printed when it failed or a worker did not stop cleanly. The exit code is the command's.
set -euo pipefail
if [ $# -lt 2 ] || ! [[ "$1" =~ ^[1-9][0-9]?$ ]]; then
    echo "usage: $0 N COMMAND [ARGS...]   (N workers, 1-99; under scripts/with-postgres.sh)" >&2
    exit 2
fi
count="$1"
shift
if [ -z "${ROTA_TEST_POSTGRES_URL:-}" ]; then
    echo "with-workers: ROTA_TEST_POSTGRES_URL is not set (run under scripts/with-postgres.sh)" >&2
    exit 2
fi
here="$(cd "$(dirname "$0")/.." && pwd)"
rota="${ROTA_COMMAND:-$here/.venv/bin/rota}"
root="$(mktemp -d "${TMPDIR:-/tmp}/rota-workers.XXXXXX")"

export ROTA_TEST_WORKERS="$count"
export ROTA_TEST_WORKERS_URL="$ROTA_TEST_POSTGRES_URL"
export ROTA_TEST_WORKERS_QUEUE="ci-solves"

pids=()
status=0
stopped_cleanly=1
cleanup() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do
        if ! wait "$pid"; then stopped_cleanly=0; fi
    done
    if [ "$status" -ne 0 ] || [ "$stopped_cleanly" -eq 0 ]; then
        for log in "$root"/worker-*.log; do echo "== $log" >&2; tail -n 60 "$log" >&2 || true; done
    fi
    rm -rf "$root"
    if [ "$status" -eq 0 ] && [ "$stopped_cleanly" -eq 0 ]; then
        echo "with-workers: a worker did not stop cleanly on SIGTERM" >&2
        exit 1
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

for n in $(seq 1 "$count"); do
    ROTA_QUEUE=procrastinate DATABASE_URL="$ROTA_TEST_WORKERS_URL" ROTA_QUEUE_NAME="$ROTA_TEST_WORKERS_QUEUE" \
        ROTA_DATA_DIR="$root/data-$n" ROTA_WORKER_CONCURRENCY=1 \
        "$rota" worker >"$root/worker-$n.log" 2>&1 &
    pids+=("$!")
done

# Ready when every worker has registered itself in the queue (its first heartbeat).
"$here/.venv/bin/python" - "$count" <<'PY' || { status=1; exit 1; }
import os, sys, time
import psycopg
from sqlalchemy.engine import make_url
want = int(sys.argv[1])
url = make_url(os.environ["ROTA_TEST_WORKERS_URL"]).set(drivername="postgresql").render_as_string(hide_password=False)
deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    try:
        with psycopg.connect(url) as connection:
            row = connection.execute("SELECT count(*) FROM procrastinate_workers").fetchone()
            if row is not None and row[0] >= want:
                print(f"with-workers: {row[0]} workers serve the queue", file=sys.stderr)
                sys.exit(0)
    except psycopg.Error:
        pass  # the workers are still creating the tables
    time.sleep(0.3)
print("with-workers: the workers did not register within 120 s", file=sys.stderr)
sys.exit(1)
PY

"$@" || status=$?
exit "$status"
