#!/usr/bin/env bash
# One plan over many tenant databases: mig run --fleet-file against a shell loop of mig run per
# database and a shell loop of psql per database, on a throwaway PostgreSQL 15.
#
#   scripts/bench-fleet.sh                    200 databases x 20 steps, --parallel 4 and 8
#   scripts/bench-fleet.sh --quick            20 databases x 5 steps, --parallel 4
#   options: --tenants N  --steps S  --parallel 4,8  --no-loop (skip the mig loop, the slowest column)
#
# It starts a throwaway PostgreSQL 15 (scripts/lib/throwaway-pg.sh: a temporary directory, a free
# loopback port, default durability, max_connections=200) and writes a plan of S steps, each a table,
# an index and a comment in its own transaction, and the same SQL as a psql driver with BEGIN/COMMIT
# around each step. Each column gets its own N fresh databases. Rows:
#   first run       the plan applied to every tenant
#   already applied the same command again: every tenant up to date (mig only)
# Columns:
#   psql loop       for each database: psql -f DRIVER (one process per database, no journal)
#   mig loop        for each database: scripts/mig run PLAN --url URL (one JVM per database)
#   mig fleet -pP   scripts/mig run PLAN --fleet-file TENANTS --parallel P (one JVM, P tenants at a time)
# Cells are wall time (whole process, after a sync) and peak RSS (ru_maxrss: for a loop, its largest
# process). The mig cache and start-up archive are warm (filled by an untimed run first), as on a
# deploy machine after its first deploy. Every run is checked: each tenant's journal must hold S
# applied steps (and psql's databases S tables); a failed check shows as "fails".
set -euo pipefail
shopt -s inherit_errexit

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
lib="$root/scripts/lib"
mig="${MIG:-$root/scripts/mig}"

tenants=200; steps=20; parallels=(4 8); loop=true
usage() { echo "bench-fleet: $1 (see --help)" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) tenants=20; steps=5; parallels=(4); shift ;;
    --tenants) [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || usage "--tenants needs a number"; tenants=$2; shift 2 ;;
    --steps) [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || usage "--steps needs a number"; steps=$2; shift 2 ;;
    --parallel) [ $# -ge 2 ] || usage "--parallel needs a list"; read -ra parallels <<<"$(tr ',' ' ' <<<"$2")"; shift 2 ;;
    --no-loop) loop=false; shift ;;
    -h|--help) sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) usage "unknown argument: $1" ;;
  esac
done
for p in "${parallels[@]}"; do [[ "$p" =~ ^[1-9][0-9]*$ ]] || usage "not a parallelism: $p"; done
command -v python3 >/dev/null || { echo "bench-fleet: needs python3" >&2; exit 2; }
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"

PG_SERVER_OPTS="-c max_connections=200${PG_SERVER_OPTS:+ $PG_SERVER_OPTS}"
source "$lib/throwaway-pg.sh"

source "$lib/fleet-bench.sh"

# the plan and the same SQL for psql
plan="$work/fleet.groovy"; driver="$work/fleet.sql"
write_plan fleet "$steps" "$plan" "$driver"

# N fresh databases named PREFIX_1..N, and their URLs as a tenant file
make_dbs() {
  local prefix=$1
  for i in $(seq "$tenants"); do echo "CREATE DATABASE ${prefix}_$i;"; done | "${psql[@]}" -d postgres >/dev/null
  for i in $(seq "$tenants"); do echo "${prefix}_$i postgresql://postgres@127.0.0.1:$port/${prefix}_$i"; done >"$work/$prefix.tenants"
}
# every database of PREFIX has S applied steps in its journal (mig) or S tables t_* (psql)
check_dbs() {
  local prefix=$1 kind=$2 bad=0 n
  for i in $(seq "$tenants"); do
    if [ "$kind" = mig ]; then
      n=$("${psql[@]}" -d "${prefix}_$i" -tA -c "SELECT count(*) FROM mig.steps WHERE status = 'applied'" 2>/dev/null || echo 0)
    else
      n=$("${psql[@]}" -d "${prefix}_$i" -tA -c "SELECT count(*) FROM pg_tables WHERE tablename LIKE 't\_%'" 2>/dev/null || echo 0)
    fi
    [ "$n" = "$steps" ] || bad=$((bad + 1))
  done
  [ "$bad" = 0 ]
}

log "warming the plan cache and start-up archive (untimed)"
"${psql[@]}" -d postgres -c "CREATE DATABASE warmup" >/dev/null
"$mig" run "$plan" --url "postgresql://postgres@127.0.0.1:$port/warmup" >/dev/null
wait_cds
"$mig" run "$plan" --url "postgresql://postgres@127.0.0.1:$port/warmup" >/dev/null

declare -A first again
cols=("psql loop")
log "psql loop over $tenants databases"
make_dbs psqlb
first["psql loop"]=$(measure psql_first bash -c "for i in \$(seq $tenants); do ${psql[*]} -d psqlb_\$i -f '$driver' || exit 1; done")
check_dbs psqlb psql || first["psql loop"]="fails"
again["psql loop"]="–"

if $loop; then
  cols+=("mig loop")
  log "mig loop over $tenants databases"
  make_dbs loopb
  first["mig loop"]=$(measure loop_first bash -c "while read -r id url; do '$mig' run '$plan' --url \"\$url\" >/dev/null || exit 1; done <'$work/loopb.tenants'")
  check_dbs loopb mig || first["mig loop"]="fails"
  again["mig loop"]=$(measure loop_again bash -c "while read -r id url; do '$mig' run '$plan' --url \"\$url\" >/dev/null || exit 1; done <'$work/loopb.tenants'")
fi

for p in "${parallels[@]}"; do
  col="mig fleet -p$p"; cols+=("$col")
  log "mig fleet --parallel $p over $tenants databases"
  make_dbs "fleet$p"
  first[$col]=$(measure "fleet${p}_first" "$mig" run "$plan" --fleet-file "$work/fleet$p.tenants" --parallel "$p")
  check_dbs "fleet$p" mig || first[$col]="fails"
  again[$col]=$(measure "fleet${p}_again" "$mig" run "$plan" --fleet-file "$work/fleet$p.tenants" --parallel "$p")
done

print_table "$tenants databases x $steps steps"
