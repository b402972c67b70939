#!/usr/bin/env bash
# What changing every row of a big table does to the application's writes: a plain UPDATE of the
# whole table against mig's batched `backfill`, under the same pgbench write traffic.
#
#   scripts/backfill-demo.sh                 10,000,000 rows (about 10 minutes on 2 cores)
#   scripts/backfill-demo.sh --rows N        another table size (--quick: 1,000,000 rows)
#   scripts/backfill-demo.sh --rate N        the writes per second of the load (default 500)
#   scripts/backfill-demo.sh --batch N       the backfill's batchSize (default 10000)
#   scripts/backfill-demo.sh --pause D       the backfill's pause between batches (default 20ms)
#   scripts/backfill-demo.sh --no-update     leaves out the plain UPDATE (to compare backfill settings)
#
# It starts a throwaway PostgreSQL 15 (scripts/lib/throwaway-pg.sh) and, for each case, creates
# orders(id bigint primary key, customer_id int, amount int, tenant_id int) with N rows (tenant_id
# null), runs VACUUM ANALYZE and a CHECKPOINT, then starts the load: pgbench, 4 clients, 2 threads,
# a steady N writes per second (-R), each one transaction `UPDATE orders SET amount = amount + 1
# WHERE id = <random id>`, its latency counted from its scheduled start (so time spent queued shows
# in full). After 5 s of load the change is launched and the load goes on until 5 s after it ended:
#   baseline   no change: 30 s of load alone
#   update     psql -c "UPDATE orders SET tenant_id = customer_id % 1000 WHERE tenant_id IS NULL"
#              (one transaction over every row, as a plain migration step would run it)
#   backfill   scripts/mig run of a one-step plan: backfill { table 'orders'; set the same;
#              where the same; batchSize; pause }, with mig's defaults otherwise
# For each it prints, over the load's transactions scheduled while the change ran (the baseline:
# the whole 30 s): their number, the worst latency, the 99th percentile, the share that waited more
# than 1 s, and the longest pause of the writes (the longest time in which no write completed);
# the change's own time, and for the backfill its batches and mean batch time. Then a table and a
# verdict against the target of issue 18: the worst write latency during the backfill stays under
# 2 x the baseline's worst plus one batch's time.
#
# Server settings are PostgreSQL's defaults but max_wal_size=4GB; BACKFILL_DEMO_PG_OPTS adds others
# ("-c shared_buffers=2GB"). Also printed per case: what the load's active sessions waited on
# (pg_stat_activity sampled every 0.1 s), which says where the latency went (WAL flushes, locks, CPU).
#
# Measured with pgbench's per-transaction logs (--log). The load is stopped by ending its sessions
# (pg_terminate_backend) once the change is done, so pgbench reports its clients as aborted: that is
# expected. Needs PostgreSQL 15 and pgbench in PG_BIN (default /usr/lib/postgresql/15/bin).
# Exits 0 when both changes left every row with its tenant_id, 1 otherwise.
set -euo pipefail
shopt -s inherit_errexit

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
mig="$root/scripts/mig"

rows=10000000 rate=500 batch=10000 pause=20ms cases=(baseline update backfill)
usage_error() { echo "backfill-demo: $1 (see --help)" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) rows=1000000; shift ;;
    --no-update) cases=(baseline backfill); shift ;;
    --rows) [[ "${2:-}" =~ ^[0-9]+$ ]] && [ "$2" -ge 10000 ] || usage_error "--rows needs a number of rows, at least 10000"; rows=$2; shift 2 ;;
    --rate) [[ "${2:-}" =~ ^[0-9]+$ ]] && [ "$2" -gt 0 ] || usage_error "--rate needs a number of writes per second"; rate=$2; shift 2 ;;
    --batch) [[ "${2:-}" =~ ^[0-9]+$ ]] && [ "$2" -gt 0 ] || usage_error "--batch needs a number of keys per batch"; batch=$2; shift 2 ;;
    --pause) [[ "${2:-}" =~ ^[0-9]+(ms|s)$ ]] || usage_error "--pause needs a duration such as 20ms or 1s"; pause=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) usage_error "unknown argument: $1" ;;
  esac
done
clients=4 threads=2 lead=5 tail_s=5 base_s=30

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PGBENCH=${PGBENCH:-$PG_BIN/pgbench}
[ -x "$PGBENCH" ] || { echo "backfill-demo: ERROR: pgbench is required (not found at $PGBENCH; set PGBENCH or PG_BIN)" >&2; exit 1; }
echo "backfill-demo: building / checking mig (scripts/mig --version)" >&2
"$mig" --version >/dev/null || { echo "backfill-demo: ERROR: scripts/mig --version failed" >&2; exit 1; }

jobs_pids=()
before_stop() {
  local pid
  for pid in "${jobs_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${jobs_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
PG_SERVER_OPTS="-c max_wal_size=4GB ${BACKFILL_DEMO_PG_OPTS:-}"  # the same checkpoints for both changes: none forced by WAL volume mid-run
source "$root/scripts/lib/throwaway-pg.sh"
log() { echo "backfill-demo: $*" >&2; }
die() { echo "backfill-demo: ERROR: $*" >&2; exit 1; }

export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres PGDATABASE=demo
unset PGPASSWORD MIG_URL DATABASE_URL PGOPTIONS PGSERVICE || true
psql=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1)
"$PG_BIN/createdb" demo
url="postgres://postgres@127.0.0.1:$port/demo"

change_sql="UPDATE orders SET tenant_id = customer_id % 1000 WHERE tenant_id IS NULL"
cat >"$work/backfill.groovy" <<EOF
plan('backfill-demo') {
    step('backfill orders.tenant_id') {
        backfill {
            table 'orders'
            set 'tenant_id = customer_id % 1000'
            where 'tenant_id IS NULL'
            batchSize $batch
            pause '$pause'
        }
        verify { expect('every order has its tenant') { value('SELECT count(*) FROM orders WHERE tenant_id IS NULL') == 0 } }
    }
}
EOF
cat >"$work/load.sql" <<'EOF'
\set id random(1, :rows)
UPDATE orders SET amount = amount + 1 WHERE id = :id;
EOF

label() {
  case "$1" in
    baseline) echo "baseline: the load alone" ;;
    update) echo "plain UPDATE, one transaction" ;;
    backfill) echo "mig backfill, batchSize $batch, pause $pause" ;;
    batches) echo "  the same, while its batches ran" ;;
  esac
}

make_table() {
  log "case $(label "$1"): creating orders with $rows rows"
  "${psql[@]}" >"$work/$1.init.out" 2>&1 <<EOF || { cat "$work/$1.init.out" >&2; die "could not create the table"; }
SET client_min_messages = warning;
DROP TABLE IF EXISTS orders;
DROP SCHEMA IF EXISTS mig CASCADE;
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int NOT NULL, amount int NOT NULL, tenant_id int);
INSERT INTO orders SELECT g, ((g * 7919) % 100000)::int, 0, NULL FROM generate_series(1::bigint, $rows) g;
VACUUM ANALYZE orders;
CHECKPOINT;
EOF
}

stop_load() {  # ends the load's sessions: pgbench then ends with its clients aborted (exit 2)
  "${psql[@]}" -tA -c "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'pgbench'" >/dev/null
  wait "$1" || true
}

declare -A N WORST P99 SLOW GAP TOOK BATCHES BATCH_MS OK
run_case() {
  local c=$1 load_pid t_start t_end rc=0
  make_table "$c"
  rm -f "$work/$c".log*
  "$PGBENCH" -n -c "$clients" -j "$threads" -T 36000 -R "$rate" -D rows="$rows" -f "$work/load.sql" \
    --log --log-prefix="$work/$c.log" >"$work/$c.load.out" 2>&1 &
  load_pid=$!
  jobs_pids+=("$load_pid")
  # what the load's sessions wait on, sampled every 0.1 s (printed per case: where the latency goes)
  PGAPPNAME="backfill-demo monitor" "$PG_BIN/psql" -X -tA >"$work/$c.waits" 2>&1 <<<"SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') FROM pg_stat_activity WHERE application_name = 'pgbench' AND state = 'active' \\watch 0.1" &
  local mon_pid=$!
  jobs_pids+=("$mon_pid")
  sleep "$lead"
  kill -0 "$load_pid" 2>/dev/null || { cat "$work/$c.load.out" >&2; die "pgbench did not start"; }
  t_start=$(now_ns)
  case "$c" in
    baseline) sleep "$base_s" ;;
    update) PGAPPNAME="backfill-demo update" "${psql[@]}" -c "$change_sql" >"$work/$c.change.out" 2>&1 || rc=$? ;;
    backfill) "$mig" run --url "$url" "$work/backfill.groovy" >"$work/$c.change.out" 2>&1 || rc=$? ;;
  esac
  t_end=$(now_ns)
  [ "$c" = baseline ] || sleep "$tail_s"
  stop_load "$load_pid"
  kill "$mon_pid" 2>/dev/null || true
  wait "$mon_pid" 2>/dev/null || true
  jobs_pids=()

  TOOK[$c]=$(awk -v ns=$((t_end - t_start)) 'BEGIN { printf "%.1f", ns / 1e9 }')
  OK[$c]=true
  if [ "$c" != baseline ]; then
    local left
    left=$("${psql[@]}" -tA -c "SELECT count(*) FROM orders WHERE tenant_id IS NULL")
    if [ "$rc" != 0 ] || [ "$left" != 0 ]; then
      OK[$c]=false
      log "case $c: exit $rc, $left rows without a tenant_id; its output:"
      sed -e 's/^/  | /' "$work/$c.change.out" >&2
    fi
  fi
  # the figures: transactions scheduled while the change ran (start = completion - latency)
  local fig
  fig=$(cat "$work/$c".log* | python3 "$root/scripts/lib/write_pauses.py" "$t_start" "$t_end")
  IFS='|' read -r N[$c] WORST[$c] P99[$c] SLOW[$c] GAP[$c] <<<"$fig"
  BATCHES[$c]="-" BATCH_MS[$c]="-"
  if [ "$c" = backfill ]; then
    # the batches' own window, from the journal: the progress row is written by the first batch
    # and finished with the last, so the window starts one batch before started_at
    local b_from b_to pause_ms
    pause_ms=$(awk -v p="$pause" 'BEGIN { if (p ~ /ms$/) print p + 0; else print (p + 0) * 1000 }')
    IFS='|' read -r b_from b_to BATCHES[$c] <<<"$("${psql[@]}" -tA -c "SELECT (extract(epoch FROM started_at) * 1e9)::bigint, (extract(epoch FROM finished_at) * 1e9)::bigint, batches FROM mig.progress")"
    BATCH_MS[$c]=$(( (b_to - b_from) / 1000000 / (${BATCHES[$c]} > 1 ? ${BATCHES[$c]} - 1 : 1) - pause_ms ))
    b_from=$(( b_from - BATCH_MS[$c] * 1000000 ))
    TOOK[batches]=$(awk -v ns=$((b_to - b_from)) 'BEGIN { printf "%.1f", ns / 1e9 }')
    fig=$(cat "$work/$c".log* | python3 "$root/scripts/lib/write_pauses.py" "$b_from" "$b_to")
    IFS='|' read -r N[batches] WORST[batches] P99[batches] SLOW[batches] GAP[batches] <<<"$fig"
  fi

  echo
  echo "== $(label "$c")"
  [ "$c" = baseline ] || { echo "   the change took ${TOOK[$c]} s (exit $rc)$([ -s "$work/$c.change.out" ] && echo ", its output:")"; sed -e 's/^/   | /' "$work/$c.change.out" | tail -12; }
  echo "   writes scheduled while it ran: ${N[$c]}; worst latency ${WORST[$c]} ms; p99 ${P99[$c]} ms; waited over 1 s: ${SLOW[$c]}%; longest pause of the writes: ${GAP[$c]} ms"
  echo "   the load's active sessions, sampled every 0.1 s, were in: $(grep -v '^$' "$work/$c.waits" | grep -v '^Sat\|^Sun\|^Mon\|^Tue\|^Wed\|^Thu\|^Fri' | sort | uniq -c | sort -rn | head -5 | awk '{ printf "%s%s x%d", (NR > 1 ? ", " : ""), $2, $1 }')"
  [ "$c" != backfill ] || echo "   while its ${BATCHES[$c]} batches ran (${TOOK[batches]} s, about ${BATCH_MS[$c]} ms a batch): writes ${N[batches]}; worst latency ${WORST[batches]} ms; p99 ${P99[batches]} ms; waited over 1 s: ${SLOW[batches]}%; longest pause ${GAP[batches]} ms"
}

log "load: pgbench, $clients clients, $threads threads, $rate writes/s; table: $rows rows; backfill: batchSize $batch, pause $pause"
for c in "${cases[@]}"; do run_case "$c"; done

echo
echo "PostgreSQL $pgversion on 127.0.0.1, $(nproc) CPUs. orders: $rows rows. Load: pgbench, $clients clients, $rate single-row UPDATEs per second"
echo "writes: the load's transactions scheduled while the change ran (baseline: $base_s s); latency from each one's scheduled start"
echo
printf '%-44s %9s %8s %10s %9s %14s %15s\n' case 'change s' writes 'worst ms' 'p99 ms' 'waited > 1 s' 'longest pause'
for c in "${cases[@]}" batches; do
  printf '%-44s %9s %8s %10s %9s %13s%% %12s ms\n' "$(label "$c")" "$([ "$c" = baseline ] && echo - || echo "${TOOK[$c]}")" "${N[$c]}" "${WORST[$c]}" "${P99[$c]}" "${SLOW[$c]}" "${GAP[$c]}"
done
echo
echo "backfill: ${BATCHES[backfill]} batches of $batch keys, about ${BATCH_MS[backfill]} ms each (from the journal's progress row, pauses left out)."
echo "Its first row counts from the launch of scripts/mig, whose JVM start shares this machine's CPUs with the server; the second only while the batches ran."
${OK[update]:-true} && ${OK[backfill]} || { echo "verdict: UNEXPECTED: a change did not set every row's tenant_id (see above)"; exit 1; }
bound=$(( 2 * ${WORST[baseline]} + ${BATCH_MS[backfill]} ))
if [ "${WORST[batches]}" -lt "$bound" ]; then
  echo "verdict: target met: the worst write while the backfill's batches ran took ${WORST[batches]} ms, under 2 x the baseline's ${WORST[baseline]} ms + one batch's ${BATCH_MS[backfill]} ms = $bound ms$([ -z "${WORST[update]:-}" ] || echo "; during the plain UPDATE it took ${WORST[update]} ms and the writes stopped for up to ${GAP[update]} ms")"
else
  echo "verdict: target missed: the worst write while the backfill's batches ran took ${WORST[batches]} ms, over 2 x the baseline's ${WORST[baseline]} ms + one batch's ${BATCH_MS[backfill]} ms = $bound ms$([ -z "${WORST[update]:-}" ] || echo " (the plain UPDATE: ${WORST[update]} ms)")"
fi
exit 0
