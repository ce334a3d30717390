#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server: a new cluster in a temporary folder (owned by the
# `postgres` user, since initdb refuses root), started on a free loopback port, with a database `rota_test`.
# The command sees ROTA_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:PORT/rota_test; the server is
# stopped and its folder deleted afterwards, whether the command passed or not. Its exit code is the command's.
#   scripts/with-postgres.sh .venv/bin/pytest -q tests/web/test_storage.py
set -euo pipefail
if [ $# -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi

bindir="${PG_BINDIR:-}"
if [ -z "$bindir" ]; then
    bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    echo "with-postgres: no PostgreSQL server found (Debian package postgresql; scripts/system-deps.sh installs it)" >&2
    exit 1
fi

# As root the cluster belongs to `postgres`; as another user it belongs to that user.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
    else
        "$@"
    fi
}

root="$(mktemp -d "${TMPDIR:-/tmp}/rota-pg.XXXXXX")"
chmod 711 "$root"  # mktemp makes 0700 folders; the postgres user must be able to enter it
cluster="$root/data"
sockets="$root/sockets"
logs="$root/logs"
mkdir -p "$sockets" "$logs"
if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$sockets" "$logs"
    install -d -o postgres -g postgres "$cluster"
fi

started=""
cleanup() {
    if [ -n "$started" ]; then
        as_owner "$bindir/pg_ctl" -D "$cluster" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$root"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

as_owner "$bindir/initdb" -D "$cluster" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$root/initdb.log" 2>&1 \
    || { cat "$root/initdb.log" >&2; exit 1; }

# A free port can be taken by someone else between the check and the start: try a few.
for _attempt in 1 2 3 4 5; do
    port="$(free_port)"
    if as_owner "$bindir/pg_ctl" -D "$cluster" -l "$logs/server.log" -w -t 30 \
        -o "-k $sockets -p $port -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null; then
        started=1
        break
    fi
done
if [ -z "$started" ]; then
    echo "with-postgres: the server did not start; its log:" >&2
    cat "$logs/server.log" >&2 || true
    exit 1
fi

as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres rota_test
export ROTA_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$port/rota_test"
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2

status=0
"$@" || status=$?
exit "$status"
