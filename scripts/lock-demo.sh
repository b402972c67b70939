#!/usr/bin/env bash
# What an ALTER TABLE does to live traffic when another session holds a lock, with and without
# lock_timeout: mig's default (the lock-retry schedule: 500 ms a wait, tried again), mig with
# lockTimeout '5s' (one wait: mig's default before the schedule), and a plain psql ALTER.
#
#   scripts/lock-demo.sh             30 s per case: baseline, mig default, mig 5s, psql (under 3 minutes)
#   scripts/lock-demo.sh --quick     14 s per case: mig default and mig 5s only (about 40 s)
#   scripts/lock-demo.sh --rate N    the load's rate in transactions per second (default 4000;
#                                    0: as fast as the clients go)
#
# It starts a throwaway PostgreSQL 15 (see scripts/lib/throwaway-pg.sh), and for each case
# re-creates the pgbench tables (scale 1) and runs the same timeline (full / --quick):
#   t=0      pgbench: 8 clients, 2 threads, 80% select-only and 20% simple-update transactions,
#            all on pgbench_accounts, a steady 4000 per second (-R) for 30 s / 14 s
#   t=3 / 2  a blocker session: BEGIN; SELECT aid FROM pgbench_accounts LIMIT 1; then idle in
#            transaction, holding an AccessShareLock (harmless on its own: reads and writes go on)
#   t=5 / 3  ALTER TABLE pgbench_accounts ADD COLUMN note text is launched. It needs an
#            AccessExclusiveLock, so it queues behind the blocker, and every later query on the
#            table queues behind it (the lock queue), until the ALTER gets its lock or gives up
#   t=25 / 12  the blocker commits (20 s after it began: on a busy machine the mig JVM may take
#            10 s to reach the server, and it must still find the blocker there)
# The cases: `baseline` (blocker, no ALTER), `mig default` (scripts/mig run of a one-step plan
# with mig's defaults: the lock-retry schedule), `mig 5s` (the same step with lockTimeout '5s'),
# `psql` (psql -c 'ALTER ...', no lock_timeout). For each it prints the transactions completed per second and in all, the
# seconds with none completed, the worst transaction latency, when the ALTER was seen waiting and
# how many sessions queued behind it, and what happened to the ALTER; then a table and a verdict.
#
# The load is throttled because on a small machine, load as fast as it goes takes every core, and
# the mig JVM launched at t=5 then needs about 4 s instead of 1.5 s to reach the server (measured
# on 2 cores), so its 5 s wait ends close to the blocker's own end. Latency counts from each
# transaction's scheduled start (pgbench -R), so time spent queued shows in full.
#
# Measured with pgbench's per-thread logs (--log --aggregate-interval=1: per-second count and max
# latency) and a psql session sampling pg_stat_activity every 0.2 s. Needs PostgreSQL 15 in
# PG_BIN (default /usr/lib/postgresql/15/bin) and its pgbench (PGBENCH to use another); without
# pgbench, a small Java load loop (scripts/lib/LockDemoLoad.java, pgjdbc from target/lib) runs
# the same mix instead. Exits 0 when every ALTER ended as expected (mig default and psql:
# applied after the blocker ended, exit 0; mig 5s: lock timeout, exit 1, column absent), 1 otherwise.
set -euo pipefail
shopt -s inherit_errexit

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
mig="$root/scripts/mig"

quick=false
rate=4000
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=true; shift ;;
    --rate)
      [[ "${2:-}" =~ ^[0-9]+$ ]] || { echo "lock-demo: --rate needs a number of transactions per second (0: unthrottled)" >&2; exit 2; }
      rate=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "lock-demo: unknown argument: $1 (use --quick, --rate N or --help)" >&2; exit 2 ;;
  esac
done

if $quick; then
  dur=14 block_from=2 alter_at=3 block_until=12
  cases=(migdef mig5)
else
  dur=30 block_from=3 alter_at=5 block_until=25
  cases=(baseline migdef mig5 psql)
fi
clients=8 threads=2 scale=1
warmup=1  # pgbench runs this many seconds before t=0, left out of the figures (connections, first transactions)

# ---- what is needed, checked before anything starts ---------------------------------------------
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
if [ ! -x "$PG_BIN/initdb" ] || [ ! -x "$PG_BIN/psql" ]; then
  echo "lock-demo: ERROR: no PostgreSQL 15 server binaries at $PG_BIN (initdb, pg_ctl, psql)." >&2
  echo "lock-demo: install them (Debian/Ubuntu: apt-get install postgresql-15) or set PG_BIN to their folder." >&2
  exit 1
fi
PGBENCH=${PGBENCH:-$PG_BIN/pgbench}
load=pgbench
if [ ! -x "$PGBENCH" ]; then
  if [ -f "$root/scripts/lib/LockDemoLoad.java" ]; then
    load=java
    echo "lock-demo: no pgbench at $PGBENCH: using the Java load loop scripts/lib/LockDemoLoad.java instead" >&2
    echo "lock-demo: (install pgbench, Debian/Ubuntu: apt-get install postgresql-15 or postgresql-contrib, or set PGBENCH, for the reference figures)" >&2
  else
    echo "lock-demo: ERROR: pgbench is required (not found at $PGBENCH; set PGBENCH to its path)." >&2
    exit 1
  fi
fi
command -v java >/dev/null || { echo "lock-demo: ERROR: java is not on PATH (mig needs Java 17)" >&2; exit 1; }

echo "lock-demo: building / checking mig (scripts/mig --version)" >&2
"$mig" --version >/dev/null || { echo "lock-demo: ERROR: scripts/mig --version failed" >&2; exit 1; }
if [ "$load" = java ]; then
  pgjdbc="$(ls "$root"/target/lib/postgresql-*.jar 2>/dev/null | head -1 || true)"
  [ -n "$pgjdbc" ] || { echo "lock-demo: ERROR: no pgjdbc jar in target/lib for the Java load loop" >&2; exit 1; }
fi

# ---- the server, and stopping our background jobs on exit ---------------------------------------
jobs_pids=()
blocker_open=false
before_stop() {  # called by the library's exit handler before it stops the server
  if $blocker_open; then exec 7>&- || true; blocker_open=false; fi
  local pid
  for pid in "${jobs_pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${jobs_pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
}
source "$root/scripts/lib/throwaway-pg.sh"
log() { echo "lock-demo: $*" >&2; }
die() { echo "lock-demo: ERROR: $*" >&2; exit 1; }

export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres PGDATABASE=lockdemo
unset PGPASSWORD MIG_URL DATABASE_URL PGOPTIONS PGSERVICE || true
psql=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1)
"$PG_BIN/createdb" lockdemo
url="postgres://postgres@127.0.0.1:$port/lockdemo"

# The plans: one step each, the same ALTER; the second sets the step's lockTimeout (one wait of 5 s).
cat >"$work/lock-demo.groovy" <<'EOF'
plan('lock-demo') {
    step('add pgbench_accounts.note') {
        sql 'ALTER TABLE pgbench_accounts ADD COLUMN note text'
    }
}
EOF
cat >"$work/lock-demo-5s.groovy" <<'EOF'
plan('lock-demo-5s') {
    step('add pgbench_accounts.note') {
        lockTimeout '5s'
        sql 'ALTER TABLE pgbench_accounts ADD COLUMN note text'
    }
}
EOF
alter_sql='ALTER TABLE pgbench_accounts ADD COLUMN note text'

case_label() {
  case "$1" in
    baseline) echo "baseline: blocker, no ALTER" ;;
    migdef) echo "mig, default lock-retry schedule" ;;
    mig5) echo "mig, lockTimeout '5s'" ;;
    psql) echo "psql ALTER, no lock_timeout" ;;
  esac
}

# ---- timing helpers -----------------------------------------------------------------------------
sleep_until() {  # sleep_until EPOCH_NS
  local left=$(( ($1 - $(now_ns)) / 1000000 ))
  [ "$left" -gt 0 ] && sleep "$((left / 1000)).$(printf '%03d' $((left % 1000)))"
  return 0
}
secs() { awk -v ns="$1" 'BEGIN { printf "%.1f", ns / 1e9 }'; }  # ns -> seconds, one decimal

column_exists() {
  "${psql[@]}" -tA -c "SELECT count(*) FROM pg_attribute WHERE attrelid = 'pgbench_accounts'::regclass AND attname = 'note' AND NOT attisdropped"
}

start_load() {  # start_load CASE: starts the traffic in the background, sets load_pid
  if [ "$load" = pgbench ]; then
    local throttle=()
    [ "$rate" -gt 0 ] && throttle=(-R "$rate")
    "$PGBENCH" -n -c "$clients" -j "$threads" -T "$((warmup + dur))" "${throttle[@]}" -b simple-update@1 -b select-only@4 \
      --log --aggregate-interval=1 --log-prefix="$work/$1.agg" >"$work/$1.load.out" 2>&1 &
  else
    java -cp "$pgjdbc" "$root/scripts/lib/LockDemoLoad.java" "jdbc:postgresql://127.0.0.1:$port/lockdemo?user=postgres" \
      "$clients" "$((warmup + dur))" "$rate" "$work/$1.agg.java" "$work/$1.ready" >"$work/$1.load.out" 2>&1 &
  fi
  load_pid=$!
  jobs_pids+=("$load_pid")
  if [ "$load" = java ]; then  # wait until its clock starts (compiled, connected)
    local i
    for ((i = 0; i < 600; i++)); do
      [ -f "$work/$1.ready" ] && return 0
      kill -0 "$load_pid" 2>/dev/null || break
      sleep 0.05
    done
    tail -20 "$work/$1.load.out" >&2
    die "the Java load loop did not start"
  fi
}

# ---- one case -----------------------------------------------------------------------------------
declare -A TX WIN ZERO WORST SERIES WAIT QUEUE OUTCOME SHORT HELD OK
run_case() {  # run_case CASE
  local c=$1 t0 i rc state alter_pid="" alter_start=0 alter_end=0 mon_pid blocker_pid
  log "case $(case_label "$c"): preparing pgbench tables (scale $scale)"
  if [ "$load" = pgbench ]; then
    "$PGBENCH" -i -q -s "$scale" >"$work/$c.init.out" 2>&1
  else
    "${psql[@]}" -f "$work/init.sql" >"$work/$c.init.out" 2>&1
  fi || { cat "$work/$c.init.out" >&2; die "could not create the pgbench tables"; }
  "${psql[@]}" -c "CHECKPOINT" >/dev/null

  # a sampler: every 0.2 s, the sessions waiting for a lock, and whether the ALTER is one of them
  PGAPPNAME="lock-demo monitor" "$PG_BIN/psql" -X -tA -F ' ' >"$work/$c.mon" 2>&1 <<<"SELECT extract(epoch FROM clock_timestamp()), count(*) FILTER (WHERE wait_event_type = 'Lock'), count(*) FILTER (WHERE wait_event_type = 'Lock' AND query ILIKE 'ALTER TABLE%') FROM pg_stat_activity \\watch 0.2" &
  mon_pid=$!
  jobs_pids+=("$mon_pid")

  start_load "$c"
  t0=$(( $(now_ns) + warmup * 1000000000 ))

  # the blocker: a psql fed through a FIFO, so that this script decides when it commits
  sleep_until $((t0 + block_from * 1000000000))
  rm -f "$work/blocker.fifo"; mkfifo "$work/blocker.fifo"
  PGAPPNAME="lock-demo blocker" "${psql[@]}" <"$work/blocker.fifo" >"$work/$c.blocker.out" 2>&1 &
  blocker_pid=$!
  jobs_pids+=("$blocker_pid")
  exec 7>"$work/blocker.fifo"
  blocker_open=true
  echo "BEGIN; SELECT aid FROM pgbench_accounts LIMIT 1;" >&7
  for ((i = 0; i < 40; i++)); do
    state=$("${psql[@]}" -tA -c "SELECT state FROM pg_stat_activity WHERE application_name = 'lock-demo blocker'")
    [ "$state" = "idle in transaction" ] && break
    sleep 0.05
  done
  [ "$state" = "idle in transaction" ] || die "the blocker session did not start (state: '$state'); see $work/$c.blocker.out"

  # the ALTER
  sleep_until $((t0 + alter_at * 1000000000))
  alter_start=$(now_ns)
  case "$c" in
    migdef) "$mig" run --url "$url" "$work/lock-demo.groovy" >"$work/$c.alter.out" 2>&1 & alter_pid=$! ;;
    mig5) "$mig" run --url "$url" "$work/lock-demo-5s.groovy" >"$work/$c.alter.out" 2>&1 & alter_pid=$! ;;
    psql) PGAPPNAME="lock-demo psql ALTER" "${psql[@]}" -c "$alter_sql" >"$work/$c.alter.out" 2>&1 & alter_pid=$! ;;
  esac
  [ -n "$alter_pid" ] && jobs_pids+=("$alter_pid")

  # until the blocker has committed and the ALTER has ended: poll every 50 ms
  rc=""
  while :; do
    if $blocker_open && [ "$(now_ns)" -ge $((t0 + block_until * 1000000000)) ]; then
      echo "COMMIT;" >&7
      exec 7>&-
      blocker_open=false
    fi
    if [ -n "$alter_pid" ] && [ -z "$rc" ] && ! kill -0 "$alter_pid" 2>/dev/null; then
      alter_end=$(now_ns)
      rc=0; wait "$alter_pid" || rc=$?
    fi
    if ! $blocker_open && { [ -z "$alter_pid" ] || [ -n "$rc" ]; }; then break; fi
    sleep 0.05
  done
  wait "$blocker_pid" || die "the blocker session failed; see $work/$c.blocker.out"
  wait "$load_pid" || { tail -20 "$work/$c.load.out" >&2; die "the load ($load) failed"; }
  kill "$mon_pid" 2>/dev/null || true
  wait "$mon_pid" 2>/dev/null || true
  jobs_pids=()

  # ---- figures ----
  local files=("$work/$c".agg.*) fig
  # per-second intervals of every load thread, merged by position (after the warm-up): count and
  # max latency (us); interval k covers t=k-1..k s
  fig=$(awk -v dur="$dur" -v warmup="$warmup" -v from="$alter_at" -v until="$block_until" '
    FNR == 1 { k = -warmup }
    { k++; if (k >= 1 && k <= dur) { n[k] += $2; if ($6 > mx[k]) mx[k] = $6 } }
    END {
      for (k = 1; k <= dur; k++) {
        tot += n[k]; if (n[k] == 0) z++; if (mx[k] > w) w = mx[k]
        if (k > from && k <= until) win += n[k]
        s = s (k > 1 ? " " : "") n[k] + 0
      }
      printf "%d|%d|%d|%d|%s\n", tot, win, z, w / 1000, s
    }' "${files[@]}")
  IFS='|' read -r TX[$c] WIN[$c] ZERO[$c] WORST[$c] SERIES[$c] <<<"$fig"
  # the sampler: when the ALTER was seen waiting, and the most sessions waiting at once
  fig=$(awk -v t0="$t0" '
    NF == 3 && $3 > 0 { t = $1 - t0 / 1e9; if (first == "") first = t; last = t; if ($2 - $3 > q) q = $2 - $3 }
    END { if (first == "") printf "-|-\n"; else printf "t=%.1f-%.1f s|%d\n", first, last, q }' "$work/$c.mon")
  IFS='|' read -r WAIT[$c] QUEUE[$c] <<<"$fig"

  local col elapsed ms
  col=$(column_exists)
  elapsed=$(secs $((alter_end - alter_start)))
  OK[$c]=true
  HELD[$c]=""
  case "$c" in
    baseline)
      OUTCOME[$c]="none (no ALTER)"; SHORT[$c]="-"
      [ "$col" = 0 ] || OK[$c]=false ;;
    migdef)
      local attempts
      ms=$(sed -n 's/^ *applied .*(\([0-9]*\) ms).*/\1/p' "$work/$c.alter.out" | head -1)
      attempts=$(sed -n 's/.*after \([0-9]*\) attempts.*/\1/p' "$work/$c.alter.out" | head -1)
      if [ "$rc" = 0 ] && [ "$col" = 1 ]; then
        HELD[$c]=$elapsed
        OUTCOME[$c]="applied, exit 0, on attempt ${attempts:-1} of the lock-retry schedule (500 ms a wait), ${elapsed} s after launch: the blocker committed at t=$block_until s (ended at t=$(secs $((alter_end - t0))) s)"
        SHORT[$c]="applied on attempt ${attempts:-1} after $elapsed s, exit 0"
      else
        OUTCOME[$c]="UNEXPECTED: exit $rc, column added: $col (expected exit 0 and the column)"
        SHORT[$c]="UNEXPECTED (exit $rc)"
        OK[$c]=false
      fi ;;
    mig5)
      ms=$(sed -n 's/^ *FAILED .*(\([0-9]*\) ms).*/\1/p' "$work/$c.alter.out" | head -1)
      if [ "$rc" = 1 ] && grep -q 'SQL State: 55P03' "$work/$c.alter.out" && [ "$col" = 0 ]; then
        HELD[$c]=$(secs $((${ms:-0} * 1000000)))
        OUTCOME[$c]="mig's step failed with lock timeout (55P03) after ${HELD[$c]} s and was rolled back: exit 1, the column was not added; run it again later"
        SHORT[$c]="lock timeout after ${HELD[$c]} s, exit 1, table unchanged"
      else
        OUTCOME[$c]="UNEXPECTED: exit $rc, column added: $col (expected a lock timeout, exit 1, no column)"
        SHORT[$c]="UNEXPECTED (exit $rc)"
        OK[$c]=false
      fi ;;
    psql)
      if [ "$rc" = 0 ] && [ "$col" = 1 ]; then
        HELD[$c]=$elapsed
        OUTCOME[$c]="applied, exit 0, after waiting $elapsed s: it got its lock when the blocker committed at t=$block_until s (ended at t=$(secs $((alter_end - t0))) s)"
        SHORT[$c]="applied after $elapsed s, exit 0"
      else
        OUTCOME[$c]="UNEXPECTED: exit $rc, column added: $col (expected exit 0 and the column)"
        SHORT[$c]="UNEXPECTED (exit $rc)"
        OK[$c]=false
      fi ;;
  esac

  echo
  echo "== $(case_label "$c")"
  if [ -n "$alter_pid" ]; then
    echo "   ALTER launched at t=$alter_at s, returned after $elapsed s (exit $rc)$([ -s "$work/$c.alter.out" ] && echo ", its output:")"
    sed -e 's/^/   | /' "$work/$c.alter.out"
  fi
  echo "   transactions per second (t=0..$dur s): ${SERIES[$c]}"
  echo "   transactions: ${TX[$c]} in $dur s, ${WIN[$c]} from t=$alter_at to t=$block_until s; seconds with none: ${ZERO[$c]}; worst latency: ${WORST[$c]} ms"
  [ -z "$alter_pid" ] || echo "   ALTER seen waiting for its lock (sampled every 0.2 s): ${WAIT[$c]}; sessions queued behind it: up to ${QUEUE[$c]}"
  echo "   ALTER: ${OUTCOME[$c]}"
}

if [ "$load" = java ]; then  # the pgbench tables without pgbench -i
  cat >"$work/init.sql" <<EOF
DROP TABLE IF EXISTS pgbench_history, pgbench_tellers, pgbench_accounts, pgbench_branches;
CREATE TABLE pgbench_branches (bid int PRIMARY KEY, bbalance int, filler char(88)) WITH (fillfactor = 100);
CREATE TABLE pgbench_tellers (tid int PRIMARY KEY, bid int, tbalance int, filler char(84)) WITH (fillfactor = 100);
CREATE TABLE pgbench_accounts (aid int PRIMARY KEY, bid int, abalance int, filler char(84)) WITH (fillfactor = 100);
CREATE TABLE pgbench_history (tid int, bid int, aid int, delta int, mtime timestamp, filler char(22));
INSERT INTO pgbench_branches SELECT b, 0 FROM generate_series(1, $scale) b;
INSERT INTO pgbench_tellers SELECT t, (t - 1) / 10 + 1, 0 FROM generate_series(1, 10 * $scale) t;
INSERT INTO pgbench_accounts SELECT a, (a - 1) / 100000 + 1, 0, '' FROM generate_series(1, 100000 * $scale) a;
VACUUM ANALYZE;
EOF
fi

log "timeline: load t=0-$dur s; blocker t=$block_from-$block_until s; ALTER at t=$alter_at s; load: $load"
for c in "${cases[@]}"; do run_case "$c"; done

# ---- summary ------------------------------------------------------------------------------------
if [ "$rate" -gt 0 ]; then pace="a steady $rate per second"; else pace="as fast as they go"; fi
echo
if [ "$load" = pgbench ]; then how="pgbench, $clients clients, $threads threads"; else how="Java load loop, $clients clients"; fi
echo "PostgreSQL $pgversion on 127.0.0.1, $(nproc) CPUs. Load: $how, $pace, 80% select-only / 20% simple-update (scale $scale)"
echo "timeline of each case: load t=0-$dur s; blocker idle in transaction with an AccessShareLock t=$block_from-$block_until s; ALTER launched at t=$alter_at s"
echo "tx: transactions completed in the $dur s, and from t=$alter_at to t=$block_until s (ALTER launched .. blocker commits);"
echo "zero-tx s: seconds without one completed transaction; worst: the slowest transaction, from its scheduled start"
echo
printf '%-31s %8s %14s %9s %9s %15s  %s\n' case tx "tx t=$alter_at-$block_until s" 'zero-tx s' 'worst ms' 'ALTER waiting' 'ALTER'
base=${WIN[baseline]:-}
for c in "${cases[@]}"; do
  if [ -n "$base" ] && [ "$base" -gt 0 ]; then
    rel=$(awk -v a="${WIN[$c]}" -v b="$base" 'BEGIN { printf " (%d%%)", 100 * a / b }')
  else
    rel=""
  fi
  printf '%-31s %8s %14s %9s %9s %15s  %s\n' "$(case_label "$c")" "${TX[$c]}" "${WIN[$c]}$rel" "${ZERO[$c]}" "${WORST[$c]}" "${WAIT[$c]}" "${SHORT[$c]}"
done
echo

all_ok=true
for c in "${cases[@]}"; do ${OK[$c]} || all_ok=false; done
if $all_ok; then
  v="verdict: every query behind a waiting ALTER waits too, so lock_timeout bounds the outage:"
  v="$v mig's default lock-retry schedule applied the ALTER ${HELD[migdef]} s after launch (${ZERO[migdef]} s with no transaction, worst ${WORST[migdef]} ms)"
  v="$v; lockTimeout '5s' gave up after ${HELD[mig5]} s (${ZERO[mig5]} s with no transaction, worst ${WORST[mig5]} ms) and changed nothing"
  [ -z "${HELD[psql]:-}" ] || v="$v; the plain ALTER waited ${HELD[psql]} s for the blocker (${ZERO[psql]} s with no transaction, worst ${WORST[psql]} ms)"
  echo "$v"
  exit 0
fi
echo "verdict: UNEXPECTED: an ALTER did not end as this demo expects (see the ALTER column and the output above)"
exit 1
