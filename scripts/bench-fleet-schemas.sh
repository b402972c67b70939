#!/usr/bin/env bash
# One plan over many tenant schemas of one database: mig run --fleet-schemas against psql, on a
# throwaway PostgreSQL 15.
#
#   scripts/bench-fleet-schemas.sh              1,000 schemas x 10 steps, --parallel 4 and 8
#   scripts/bench-fleet-schemas.sh --quick      50 schemas x 5 steps, --parallel 4
#   options: --tenants N  --steps S  --parallel 4,8
#
# It starts a throwaway PostgreSQL 15 (scripts/lib/throwaway-pg.sh), writes a plan of S steps, each a
# table, an index and a comment in its own transaction, written unqualified (the tenant's schema is
# first on the search path), and the same SQL as a psql driver with BEGIN/COMMIT around each step.
# Each column gets its own database with N fresh schemas tenant_1..N. Rows:
#   first run       the plan applied to every schema
#   already applied the same command again: every tenant up to date (mig only)
# Columns:
#   psql loop       for each schema: psql -f DRIVER with PGOPTIONS=-csearch_path=tenant_i (one process each)
#   psql session    one psql process: SET search_path and the driver, schema after schema
#   mig fleet -pP   scripts/mig run PLAN --fleet-schemas 'tenant_*' --url DB --parallel P (one JVM)
# Cells are wall time (whole process, after a sync) and peak RSS (ru_maxrss: for a loop, its largest
# process). The mig cache and start-up archive are warm (an untimed run first). Every run is checked:
# the journal must hold N x S applied rows (mig), the database N x S tables t_* (psql).
set -euo pipefail
shopt -s inherit_errexit

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
lib="$root/scripts/lib"
mig="${MIG:-$root/scripts/mig}"

tenants=1000; steps=10; parallels=(4 8)
usage() { echo "bench-fleet-schemas: $1 (see --help)" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) tenants=50; steps=5; parallels=(4); shift ;;
    --tenants) [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || usage "--tenants needs a number"; tenants=$2; shift 2 ;;
    --steps) [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || usage "--steps needs a number"; steps=$2; shift 2 ;;
    --parallel) [ $# -ge 2 ] || usage "--parallel needs a list"; read -ra parallels <<<"$(tr ',' ' ' <<<"$2")"; shift 2 ;;
    -h|--help) sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) usage "unknown argument: $1" ;;
  esac
done
for p in "${parallels[@]}"; do [[ "$p" =~ ^[1-9][0-9]*$ ]] || usage "not a parallelism: $p"; done
command -v python3 >/dev/null || { echo "bench-fleet-schemas: needs python3" >&2; exit 2; }
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"

PG_SERVER_OPTS="-c max_connections=200${PG_SERVER_OPTS:+ $PG_SERVER_OPTS}"
source "$lib/throwaway-pg.sh"

source "$lib/fleet-bench.sh"

plan="$work/saas.groovy"; driver="$work/saas.sql"
write_plan saas "$steps" "$plan" "$driver"

# a fresh database NAME with N schemas tenant_1..N
make_db() {
  "${psql[@]}" -d postgres -c "CREATE DATABASE $1" >/dev/null
  for i in $(seq "$tenants"); do echo "CREATE SCHEMA tenant_$i;"; done | "${psql[@]}" -d "$1" >/dev/null
}
check_db() {
  local db=$1 kind=$2 n
  if [ "$kind" = mig ]; then
    n=$("${psql[@]}" -d "$db" -tA -c "SELECT count(*) FROM mig.steps WHERE status = 'applied' AND tenant LIKE 'tenant\_%'")
  else
    n=$("${psql[@]}" -d "$db" -tA -c "SELECT count(*) FROM pg_tables WHERE schemaname LIKE 'tenant\_%' AND tablename LIKE 't\_%'")
  fi
  [ "$n" = $((tenants * steps)) ]
}
url() { echo "postgresql://postgres@127.0.0.1:$port/$1"; }

log "warming the plan cache and start-up archive (untimed)"
"${psql[@]}" -d postgres -c "CREATE DATABASE warmup" >/dev/null
"${psql[@]}" -d warmup -c "CREATE SCHEMA tenant_w" >/dev/null
"$mig" run "$plan" --fleet-schemas 'tenant_*' --url "$(url warmup)" >/dev/null
wait_cds
"$mig" run "$plan" --fleet-schemas 'tenant_*' --url "$(url warmup)" >/dev/null

declare -A first again
cols=("psql loop" "psql session")
log "psql loop over $tenants schemas"
make_db psqlloop
first["psql loop"]=$(measure psql_loop bash -c "for i in \$(seq $tenants); do PGOPTIONS=-csearch_path=tenant_\$i ${psql[*]} -d psqlloop -f '$driver' || exit 1; done")
check_db psqlloop psql || first["psql loop"]="fails"
again["psql loop"]="–"

log "one psql session over $tenants schemas"
make_db psqlone
for i in $(seq "$tenants"); do echo "SET search_path TO tenant_$i;"; cat "$driver"; done >"$work/all.sql"
first["psql session"]=$(measure psql_session "${psql[@]}" -d psqlone -f "$work/all.sql")
check_db psqlone psql || first["psql session"]="fails"
again["psql session"]="–"

for p in "${parallels[@]}"; do
  col="mig fleet -p$p"; cols+=("$col")
  log "mig fleet --parallel $p over $tenants schemas"
  make_db "fleet$p"
  first[$col]=$(measure "fleet${p}_first" "$mig" run "$plan" --fleet-schemas 'tenant_*' --url "$(url "fleet$p")" --parallel "$p")
  check_db "fleet$p" mig || first[$col]="fails"
  again[$col]=$(measure "fleet${p}_again" "$mig" run "$plan" --fleet-schemas 'tenant_*' --url "$(url "fleet$p")" --parallel "$p")
done

print_table "$tenants schemas of one database x $steps steps"
