# Sourced by the benchmark scripts: starts a throwaway PostgreSQL 15 server (initdb + pg_ctl, as
# the `postgres` OS user when run as root) in a temporary directory on a free loopback port, with
# default durability settings, and removes everything on exit (also on failure or Ctrl-C).
#
# Needs PG_BIN (default /usr/lib/postgresql/15/bin); PG_SERVER_OPTS (default none) adds server settings
# ("-c name=value ..."). Sets: work (the temporary directory), port,
# pgversion; defines log, die, as_pg, now_ns, ms_since, median. A script that starts background
# jobs may define a function `before_stop`: the exit handler calls it before stopping the server.
# shellcheck shell=bash

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_USER_OS=${PG_USER_OS:-postgres}

log() { echo "bench: $*" >&2; }
die() { echo "bench: ERROR: $*" >&2; exit 1; }

[ -x "$PG_BIN/initdb" ] || die "no PostgreSQL 15 at $PG_BIN"
command -v java >/dev/null || die "java is not on PATH"

# Run a command as the postgres OS user when we are root (postgres refuses to run as root).
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u "$PG_USER_OS" -- "$@"
  else
    "$@"
  fi
}

work="$(mktemp -d -t mig-bench.XXXXXX)"
pgdata="$work/data"
started=false
cleanup() {
  local rc=$?
  if declare -F before_stop >/dev/null; then before_stop || true; fi
  if $started; then
    as_pg "$PG_BIN/pg_ctl" -D "$pgdata" -m immediate -w stop >/dev/null 2>&1 \
      || log "could not stop the server; see $work/server.log"
  fi
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A free loopback port: ask the kernel for one; fall back to probing with bash /dev/tcp.
free_port() {
  if command -v python3 >/dev/null; then
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
    return
  fi
  local p
  for p in $(seq 54321 54999); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  die "no free port found"
}

now_ns() { date +%s%N; }
ms_since() { echo $(( ($(now_ns) - $1) / 1000000 )); }
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }

# ---- the server ---------------------------------------------------------------------------------
if [ "$(id -u)" = 0 ]; then chown "$PG_USER_OS" "$work"; fi
chmod 700 "$work"
log "initdb in $pgdata"
as_pg "$PG_BIN/initdb" -D "$pgdata" -U postgres --auth=trust --encoding=UTF8 --locale=C >"$work/initdb.log" 2>&1 \
  || { cat "$work/initdb.log" >&2; die "initdb failed"; }

port=""
for attempt in 1 2 3 4 5; do
  port="$(free_port)"
  if as_pg "$PG_BIN/pg_ctl" -D "$pgdata" -l "$work/server.log" -w -t 30 \
       -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$work ${PG_SERVER_OPTS:-}" start >/dev/null 2>&1; then
    started=true
    break
  fi
  log "server did not start on port $port (attempt $attempt); trying another port"
  tail -5 "$work/server.log" >&2 || true
done
$started || die "could not start PostgreSQL; see the log above"
pgversion="$("$PG_BIN/psql" -X -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAc 'SHOW server_version' | awk '{print $1}')"
log "PostgreSQL $pgversion on 127.0.0.1:$port"

