#!/usr/bin/env bash
# Install PostgreSQL + PostGIS from Debian's packages, start the cluster on localhost:5432 and
# make the test database that tests/test_store.py writes to. Idempotent: every step checks
# first, so it is safe to run again on a machine where it already ran (or where the server
# stopped, e.g. after a restart). There is no systemd here: the cluster is started with
# postgresql-common's pg_ctlcluster.
#
# Progress goes to stderr; stdout gets exactly one line, CYGEO_TEST_PG=<url>, so that a caller
# can do (two lines, so that `set -e` sees a failure; `export "$(...)"` would hide it)
#   pg_env=$(bash .ci/postgres.sh)
#   export "$pg_env"
# Run as root (CI does). As another user it only checks that the database is already usable.
set -euo pipefail

PG_ROLE=cygeo
PG_PASSWORD=cygeo
PG_DB=cygeo_test
PG_PORT=5432
URL="postgresql://${PG_ROLE}:${PG_PASSWORD}@localhost:${PG_PORT}/${PG_DB}"

log() { echo "postgres.sh: $*" >&2; }
die() { echo "postgres.sh: error: $*" >&2; exit 1; }

ready() {  # the server answers and the test role can log in to the test database with PostGIS
  command -v pg_isready >/dev/null && pg_isready -q -h localhost -p "$PG_PORT" \
    && PGPASSWORD="$PG_PASSWORD" psql -X -q -h localhost -p "$PG_PORT" -U "$PG_ROLE" -d "$PG_DB" \
         -tAc "SELECT postgis_lib_version()" >/dev/null 2>&1
}

if [ "$(id -u)" != 0 ]; then
  if ready; then
    log "not root, but ${PG_DB} on localhost:${PG_PORT} is already usable"
    echo "CYGEO_TEST_PG=${URL}"
    exit 0
  fi
  die "run as root (sudo bash .ci/postgres.sh): it installs packages and starts the server"
fi

export DEBIAN_FRONTEND=noninteractive
cd /  # the postgres user cannot read every working directory; psql would warn

installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }

# 1. Packages: the server first, then the PostGIS build for its major version.
updated=no
apt_install() {
  if [ "$updated" = no ]; then
    log "apt-get update"
    apt-get update -qq >&2
    updated=yes
  fi
  log "apt-get install $*"
  local apt_log
  apt_log=$(mktemp)
  # dpkg's progress is long; show it only when the install fails.
  apt-get install -y -qq --no-install-recommends "$@" >"$apt_log" 2>&1 \
    || { cat "$apt_log" >&2; rm -f "$apt_log"; die "apt-get install $* failed (output above)"; }
  rm -f "$apt_log"
}

installed postgresql || apt_install postgresql
# The major version that the 'postgresql' metapackage installed (15 on Debian 12).
PG_MAJOR=$(dpkg-query -W -f='${Depends}' postgresql | grep -o 'postgresql-[0-9][0-9]*' | head -n1 | cut -d- -f2)
[ -n "$PG_MAJOR" ] || die "cannot tell which PostgreSQL major version the 'postgresql' package installed"
POSTGIS_PKG="postgresql-${PG_MAJOR}-postgis-3"
if ! installed "$POSTGIS_PKG"; then
  if ! apt-cache show "$POSTGIS_PKG" >/dev/null 2>&1; then
    [ "$updated" = yes ] || { apt-get update -qq >&2; updated=yes; }
  fi
  if ! apt-cache show "$POSTGIS_PKG" >/dev/null 2>&1; then
    # Another PostGIS major version (e.g. a future postgis-4): take what apt offers for this server.
    POSTGIS_PKG=$(apt-cache search --names-only "^postgresql-${PG_MAJOR}-postgis-[0-9]+$" | awk '{print $1}' | sort -V | tail -n1)
    [ -n "$POSTGIS_PKG" ] || die "no PostGIS package for PostgreSQL ${PG_MAJOR}; see 'apt-cache search postgis'"
  fi
  installed "$POSTGIS_PKG" || apt_install "$POSTGIS_PKG"
fi
log "PostgreSQL ${PG_MAJOR} with ${POSTGIS_PKG}"

# 2. The cluster: Debian's packaging creates '${PG_MAJOR} main' on install; make it if it is missing.
if [ -z "$(pg_lsclusters -h | awk -v v="$PG_MAJOR" '$1 == v && $2 == "main"')" ]; then
  log "creating cluster ${PG_MAJOR}/main on port ${PG_PORT}"
  pg_createcluster "$PG_MAJOR" main --port "$PG_PORT" --locale C.UTF-8 >&2
fi
cluster_port=$(pg_lsclusters -h | awk -v v="$PG_MAJOR" '$1 == v && $2 == "main" {print $3}')
[ "$cluster_port" = "$PG_PORT" ] \
  || die "cluster ${PG_MAJOR}/main is set to port ${cluster_port}, not ${PG_PORT}; set 'port = ${PG_PORT}' in /etc/postgresql/${PG_MAJOR}/main/postgresql.conf"

# The socket directory lives on /run, which is empty after a reboot.
install -d -o postgres -g postgres -m 2775 /var/run/postgresql
status=$(pg_lsclusters -h | awk -v v="$PG_MAJOR" '$1 == v && $2 == "main" {print $4}')
if [ "$status" != online ]; then
  log "starting cluster ${PG_MAJOR}/main"
  pg_ctlcluster "$PG_MAJOR" main start >&2 \
    || { tail -n 20 "/var/log/postgresql/postgresql-${PG_MAJOR}-main.log" >&2 || true; die "the cluster did not start (log above)"; }
fi

# 3. Wait until the server accepts connections (at most 60 s).
for _ in $(seq 1 60); do
  pg_isready -q -h localhost -p "$PG_PORT" && break
  sleep 1
done
pg_isready -h localhost -p "$PG_PORT" >&2 || die "the server on localhost:${PG_PORT} is not ready after 60 s"

# 4. Role, database and extension, each only if missing (the password is set every time).
as_postgres() { runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" "$@"; }
as_postgres -d postgres <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${PG_ROLE}') THEN
    CREATE ROLE ${PG_ROLE} LOGIN;
  END IF;
END
\$\$;
ALTER ROLE ${PG_ROLE} WITH LOGIN PASSWORD '${PG_PASSWORD}';
SQL
if [ "$(as_postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '${PG_DB}'")" != 1 ]; then
  log "creating database ${PG_DB}"
  # UTF-8 whatever the machine's locale: the texts are Chinese (a C-locale cluster would
  # default to SQL_ASCII, and psycopg would return bytes).
  as_postgres -d postgres -c "CREATE DATABASE ${PG_DB} OWNER ${PG_ROLE} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0"
fi
encoding=$(as_postgres -d postgres -tAc "SELECT pg_encoding_to_char(encoding) FROM pg_database WHERE datname = '${PG_DB}'")
[ "$encoding" = UTF8 ] \
  || die "database ${PG_DB} has encoding ${encoding}, not UTF8: drop it (runuser -u postgres -- dropdb ${PG_DB}) and run this again"
as_postgres -d "$PG_DB" -c "SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS postgis"
# The test role creates and drops its own tables in the public schema.
as_postgres -d "$PG_DB" -c "GRANT ALL ON SCHEMA public TO ${PG_ROLE}"

ready || die "cannot log in as ${PG_ROLE} to ${PG_DB} on localhost:${PG_PORT} with PostGIS; see /var/log/postgresql/postgresql-${PG_MAJOR}-main.log"
log "ready: $(PGPASSWORD="$PG_PASSWORD" psql -X -h localhost -p "$PG_PORT" -U "$PG_ROLE" -d "$PG_DB" -tAc 'SELECT version()' | cut -d, -f1), PostGIS $(PGPASSWORD="$PG_PASSWORD" psql -X -h localhost -p "$PG_PORT" -U "$PG_ROLE" -d "$PG_DB" -tAc 'SELECT postgis_lib_version()')"
echo "CYGEO_TEST_PG=${URL}"
