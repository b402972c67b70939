#!/usr/bin/env bash
# Benchmark of `mig run` against the machine's PostgreSQL 15, next to psql applying the same SQL.
#
#   scripts/bench-run.sh            full run: N = 1, 100, 1000 steps, 3 repetitions, medians
#   scripts/bench-run.sh --quick    smoke run: N = 1, 100, 1 repetition
#
# It starts a throwaway PostgreSQL 15 server (initdb + pg_ctl, run as the `postgres` OS user) in
# a temporary directory on a free loopback port, with default durability settings, and removes
# everything on exit (also on failure or Ctrl-C). Every applying run gets a fresh database.
#
# Measured (wall time, milliseconds, median of the repetitions):
#   psql      one `psql -X -q -v ON_ERROR_STOP=1 -f FILE` applying N steps, one transaction per step
#   mig       `scripts/mig run --url postgres://postgres@127.0.0.1:PORT/DB PLAN` applying N steps
#   in-proc   mig's own figure from its summary line `done in X s` (0.1 s resolution; it covers
#             connecting, the lock, the journal and the steps, not JVM start or plan compilation)
#   jvm       `scripts/mig --version` (JVM start + CLI, no plan, no database)
#   check     `scripts/mig check PLAN` for the largest plan (JVM start + plan compilation, no database)
#   no-op     `scripts/mig run` of the largest plan again on the database where it is applied
# overhead/step = (mig - psql - jvm) / N
set -euo pipefail
shopt -s inherit_errexit

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
mig="$root/scripts/mig"

sizes=(1 100 1000)
reps=3
quick=false
for arg in "$@"; do
  case "$arg" in
    --quick) quick=true; sizes=(1 100); reps=1 ;;
    -h|--help) sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-run: unknown argument: $arg (use --quick or --help)" >&2; exit 2 ;;
  esac
done
largest=${sizes[${#sizes[@]}-1]}

source "$root/scripts/lib/throwaway-pg.sh"

export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres
unset PGPASSWORD PGDATABASE MIG_URL DATABASE_URL PGOPTIONS || true
psql=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1)
dbseq=0
db=""
fresh_db() {  # sets $db to the name of a new, empty database
  dbseq=$((dbseq + 1))
  db="bench_$1_$dbseq"
  "$PG_BIN/createdb" "$db"
}
url() { echo "postgres://postgres@127.0.0.1:$port/$1"; }

# ---- plans and SQL ------------------------------------------------------------------------------
gen() {  # gen N: writes $work/plan-N.groovy and $work/sql-N.sql
  local n=$1 i ddl
  {
    echo "plan('bench-$n') {"
    for ((i = 1; i <= n; i++)); do
      echo "    step('create t_$i') {"
      echo "        sql 'CREATE TABLE t_$i (id bigint PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())'"
      echo "    }"
    done
    echo "}"
  } >"$work/plan-$n.groovy"
  {
    for ((i = 1; i <= n; i++)); do
      echo "BEGIN;"
      echo "CREATE TABLE t_$i (id bigint PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());"
      echo "COMMIT;"
    done
  } >"$work/sql-$n.sql"
}

# ---- measurements -------------------------------------------------------------------------------
# Each sets the global `ms` (wall time) and, for mig runs, `inproc` (mig's own figure, ms).
ms=0
inproc=0
mig_run() {  # mig_run N DB EXPECT_APPLIED
  local n=$1 db=$2 expect=$3 t0 out rc=0 summary
  out="$work/mig-$n-$db.out"
  t0=$(now_ns)
  "$mig" run --url "$(url "$db")" "$work/plan-$n.groovy" >"$out" 2>&1 || rc=$?
  ms=$(ms_since "$t0")
  summary="$(grep -E '^(done|stopped|verification failed)' "$out" | tail -1 || true)"
  if [ $rc -ne 0 ] || [ -z "$summary" ]; then
    { echo "--- mig run of $n steps on $db exited $rc; last lines of its output:"; tail -30 "$out"; } >&2
    die "mig run failed (N=$n)"
  fi
  case "$summary" in
    "done in "*": $expect applied, "*) ;;
    *) die "mig run N=$n: unexpected summary: $summary (expected $expect applied)" ;;
  esac
  inproc=$(awk '{ for (i = 1; i < NF; i++) if ($i == "in") { printf "%d", $(i+1) * 1000; exit } }' <<<"$summary")
  rm -f "$out"
  # sanity (not timed): the tables and the journal tell the same story
  local tables journal history
  tables=$(count_tables "$db")
  journal=$("${psql[@]}" -d "$db" -tA -c "SELECT count(*) FROM mig.steps WHERE plan = 'bench-$n' AND status = 'applied'")
  history=$("${psql[@]}" -d "$db" -tA -c "SELECT count(*) FROM mig.history WHERE plan = 'bench-$n'")
  [ "$tables" = "$n" ] && [ "$journal" = "$n" ] && [ "$history" = "$n" ] \
    || die "mig run N=$n on $db: $tables tables, $journal applied journal rows, $history history rows (expected $n each)"
}
count_tables() {
  "${psql[@]}" -d "$1" -tA -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 't\_%'"
}
psql_run() {  # psql_run N DB
  local t0 count
  t0=$(now_ns)
  "${psql[@]}" -d "$2" -f "$work/sql-$1.sql" >"$work/psql.out" 2>&1 \
    || { cat "$work/psql.out" >&2; die "psql failed (N=$1)"; }
  ms=$(ms_since "$t0")
  # sanity (not timed): all tables are there
  count=$(count_tables "$2")
  [ "$count" = "$1" ] || die "psql N=$1: found $count tables"
}

log "building / warming up mig"
"$mig" --version >/dev/null || die "scripts/mig --version failed"

jvm_ms=()
for ((r = 1; r <= reps; r++)); do
  t0=$(now_ns); "$mig" --version >/dev/null; jvm_ms+=("$(ms_since "$t0")")
done
jvm=$(median "${jvm_ms[@]}")

declare -A PSQL MIG INPROC
for n in "${sizes[@]}"; do
  gen "$n"
  p=(); m=(); ip=()
  for ((r = 1; r <= reps; r++)); do
    fresh_db "psql$n"; psql_run "$n" "$db"; p+=("$ms")
    fresh_db "mig$n"; mig_run "$n" "$db" "$n"; m+=("$ms"); ip+=("$inproc")
    last_mig_db=$db
    log "N=$n rep $r: psql ${p[-1]} ms, mig ${m[-1]} ms (mig says ${ip[-1]} ms)"
  done
  PSQL[$n]=$(median "${p[@]}")
  MIG[$n]=$(median "${m[@]}")
  INPROC[$n]=$(median "${ip[@]}")
done

# No-op rerun of the largest plan on the database where mig applied it last.
nm=(); nip=()
for ((r = 1; r <= reps; r++)); do
  mig_run "$largest" "$last_mig_db" 0; nm+=("$ms"); nip+=("$inproc")
  log "no-op rerun of $largest rep $r: ${nm[-1]} ms (mig says ${nip[-1]} ms)"
done
noop=$(median "${nm[@]}")
noop_inproc=$(median "${nip[@]}")

# Compilation only: `mig check` of the largest plan (JVM start + compile + validate, no database).
cm=()
for ((r = 1; r <= reps; r++)); do
  t0=$(now_ns)
  "$mig" check "$work/plan-$largest.groovy" >"$work/check.out" 2>&1 \
    || { cat "$work/check.out" >&2; die "mig check failed"; }
  cm+=("$(ms_since "$t0")")
done
check=$(median "${cm[@]}")

# ---- report -------------------------------------------------------------------------------------
echo
echo "mig $("$mig" --version | awk '{print $2}'), PostgreSQL $pgversion on 127.0.0.1 (default durability), $(nproc) CPUs"
echo "wall times in ms, median of $reps run(s); every applying run on a fresh database"
echo
printf '%-6s %9s %8s %19s %18s\n' steps 'psql(ms)' 'mig(ms)' 'mig-in-process(ms)' 'overhead/step(ms)'
overhead_ok=true
worst=""
for n in "${sizes[@]}"; do
  if [ "$n" -ge 100 ]; then
    ov=$(awk -v m="${MIG[$n]}" -v p="${PSQL[$n]}" -v j="$jvm" -v n="$n" 'BEGIN { printf "%.2f", (m - p - j) / n }')
    if awk -v o="$ov" 'BEGIN { exit !(o < 3) }'; then v=MET; else v="NOT MET"; overhead_ok=false; fi
    worst="$worst N=$n: $ov ms/step ($v);"
  else
    ov="-"
  fi
  printf '%-6s %9s %8s %19s %18s\n' "$n" "${PSQL[$n]}" "${MIG[$n]}" "${INPROC[$n]}" "$ov"
done
after=$((noop - jvm))
echo
echo "where the time goes (mig's in-process figure has 0.1 s resolution):"
row() { printf '  %-72s %7s ms\n' "$1" "$2"; }
row "JVM start+CLI (mig --version)" "$jvm"
row "mig check of $largest steps (JVM + plan compile/build, no database)" "$check"
row "  plan load after JVM start (check - JVM start)" "$((check - jvm))"
row "fixed cost of a 1-step run beyond psql and JVM start" "$((MIG[1] - PSQL[1] - jvm))"
for n in "${sizes[@]}"; do
  [ "$n" -ge 100 ] || continue
  row "N=$n: psql per step (one BEGIN/CREATE/COMMIT; mostly the commit flush)" \
      "$(awk -v p="${PSQL[$n]}" -v n="$n" 'BEGIN { printf "%.2f", p / n }')"
  row "N=$n: outside mig's in-process figure (JVM start + plan load)" "$((MIG[$n] - INPROC[$n]))"
  row "N=$n: in-process (connect, lock, journal, steps) beyond psql, per step" \
      "$(awk -v i="${INPROC[$n]}" -v p="${PSQL[$n]}" -v n="$n" 'BEGIN { printf "%.2f", (i - p) / n }')"
done
echo
echo "no-op rerun of $largest steps: mig $noop ms total, JVM start+CLI $jvm ms, after JVM start $after ms (mig says $noop_inproc ms)"
echo "targets: < 3 ms/step beyond the SQL; no-op rerun of 1000 steps < 1 s after JVM start"
if $overhead_ok; then verdict=MET; else verdict="NOT MET"; fi
echo "  overhead < 3 ms/step:${worst%;} -> overall $verdict"
if [ "$largest" -ge 1000 ]; then
  if [ "$after" -lt 1000 ]; then verdict=MET; else verdict="NOT MET"; fi
  echo "  no-op rerun of 1000 steps < 1 s after JVM start: $after ms -> $verdict"
else
  echo "  no-op rerun of 1000 steps: not measured in --quick mode ($largest steps: $after ms after JVM start)"
fi
