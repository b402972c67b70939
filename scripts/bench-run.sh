#!/usr/bin/env bash
# mig next to psql, Flyway and Liquibase on the same generated migrations, on a throwaway PostgreSQL 15.
#
#   scripts/bench-run.sh                  sizes 10, 1000, 10000; mig check of 1000 and 50000; tools to 1000
#   scripts/bench-run.sh --quick          smoke run: sizes 10, 100, mig check of 100, 1 repetition
#   options: --sizes 10,1000  --check-sizes 1000,50000 (or '')  --reps R (every size)
#            --reps-large R (sizes above 1000; default 3)  --with-10k-tools (Flyway and Liquibase above
#            1000 too: many minutes)  --no-tools (psql and mig only)  --mig-states cold,warm,ci[,off]
#
# It starts a throwaway PostgreSQL 15 (scripts/lib/throwaway-pg.sh: initdb + pg_ctl in a temporary
# directory, free loopback port, default durability, max_locks_per_transaction=1024 so that psql's one
# transaction of 10,000 migrations fits; removed on exit). scripts/lib/bench_gen.py writes
# N migrations with a realistic mix (tables, comments, ALTER TABLE ... ADD COLUMN, indexes, views, a few
# inserts) as Flyway files, Liquibase formatted SQL changelogs and psql drivers; mig runs the plan
# `mig import` writes from the Flyway files. Every measurement is one whole process (a user's command,
# JVM start included, no JVM flags but each launcher's own) on its own fresh database, after a sync
# (what the run before wrote is not flushed during it); the tools take turns within each
# repetition; a cell is the median of the repetitions. Columns:
#   psql one transaction            psql -X -q -v ON_ERROR_STOP=1 -f DRIVER: BEGIN, \i of every file, COMMIT
#   psql one transaction per file   the same session, BEGIN, \i FILE, COMMIT for each file
#   Flyway, Liquibase               real ones (the build's test-scope versions, through their Java API with
#                                   their defaults: scripts/lib/BenchTool.java), one transaction per migration
#   mig (STATE cache)               scripts/mig (or $MIG) with MIG_CACHE_DIR for the state: cold = a new empty
#                                   folder per run (the launcher then makes the start-up archive in the
#                                   background after the run: untimed, and finished before the next
#                                   measurement), warm = one folder per plan, filled by an untimed run first,
#                                   ci = cold on a CI server (CI=true: the launcher makes no start-up archive),
#                                   off = MIG_CACHE=off (harmless while mig has no plan cache)
# Rows: N migrations (a first run); N already applied (the same command again on that database: nothing to
# do); `mig check` of N (plan compile, no database); `mig --version` (JVM start + CLI); peak memory of the
# first runs (peak RSS of the whole process, ru_maxrss, scripts/lib/bench_measure.py). Then ratios (mig to
# psql's one transaction and to Flyway), mig's own "done in" figure, and the machine (CPUs, load at start
# and end). Every run is checked (exit code; tables and views made; mig's journal, flyway_schema_history,
# databasechangelog rows); a failed one shows as "fails" in its cell, the others go on.
# Needs /usr/lib/postgresql/15/bin (PG_BIN), java, python3, Maven offline (for the tools' classpath).
set -euo pipefail
shopt -s inherit_errexit

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
lib="$root/scripts/lib"
mig="${MIG:-$root/scripts/mig}"

sizes=(10 1000 10000); checks=(1000 50000); reps=""; reps_large=3; big_tools=false; tools=true
states=(cold warm ci)
list() { tr ',' ' ' <<<"$1"; }
usage() { echo "bench-run: $1 (see --help)" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) sizes=(10 100); checks=(100); reps=1; shift ;;
    --sizes) [ $# -ge 2 ] || usage "--sizes needs a list"; read -ra sizes <<<"$(list "$2")"; shift 2 ;;
    --check-sizes) [ $# -ge 2 ] || usage "--check-sizes needs a list"; read -ra checks <<<"$(list "$2")"; shift 2 ;;
    --reps) [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || usage "--reps needs a number"; reps=$2; shift 2 ;;
    --reps-large) [[ "${2:-}" =~ ^[1-9][0-9]*$ ]] || usage "--reps-large needs a number"; reps_large=$2; shift 2 ;;
    --with-10k-tools) big_tools=true; shift ;;
    --no-tools) tools=false; shift ;;
    --mig-states) [ $# -ge 2 ] || usage "--mig-states needs a list"; read -ra states <<<"$(list "$2")"; shift 2 ;;
    -h|--help) sed -n '2,31p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) usage "unknown argument: $1" ;;
  esac
done
for n in "${sizes[@]}" "${checks[@]}"; do [[ "$n" =~ ^[1-9][0-9]*$ ]] || usage "not a size: $n"; done
for s in "${states[@]}"; do [[ "$s" =~ ^(cold|warm|ci|off)$ ]] || usage "not a cache state: $s (cold, warm, ci, off)"; done
reps_for() { if [ -n "$reps" ]; then echo "$reps"; elif [ "$1" -gt 1000 ]; then echo "$reps_large"; else echo 5; fi; }
command -v python3 >/dev/null || { echo "bench-run: needs python3" >&2; exit 2; }
load_start="$(cut -d' ' -f1-3 /proc/loadavg)"

# psql's one transaction of 10,000 migrations takes more locks than the default 64 per connection allow
PG_SERVER_OPTS="-c max_locks_per_transaction=1024${PG_SERVER_OPTS:+ $PG_SERVER_OPTS}"
source "$lib/throwaway-pg.sh"
source "$lib/bench-report.sh"

export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres
unset PGPASSWORD PGDATABASE MIG_URL DATABASE_URL PGOPTIONS MIG_CACHE MIG_CDS CI || true
export MIG_CACHE_DIR="$work/cache/untimed"   # mig's untimed calls (import, warm-up) stay out of the user's cache
psql=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1)
q() { "${psql[@]}" -d "$1" -tA -c "$2"; }
dbseq=0
fresh_db() { dbseq=$((dbseq + 1)); db="bench_$1_$dbseq"; "$PG_BIN/createdb" "$db"; }
jdbc() { echo "jdbc:postgresql://127.0.0.1:$port/$1"; }

log "building / warming up mig"
"$mig" --version >/dev/null || die "$mig --version failed"
mig_version="$("$mig" --version | awk '{print $2}')"

if $tools; then
  log "the classpath of Flyway and Liquibase (mvn -o, versions from cli/pom.xml)"
  pom_version() { awk -v a="<artifactId>$1</artifactId>" 'index($0, a) { f = 1 } f && /<version>/ {
    gsub(/.*<version>|<\/version>.*/, ""); print; exit }' "$root/cli/pom.xml"; }
  fw_version=$(pom_version flyway-database-postgresql); lb_version=$(pom_version liquibase-core)
  mvn -B -q -o -f "$lib/bench-tools/pom.xml" dependency:build-classpath -Dflyway.version="$fw_version" \
    -Dliquibase.version="$lb_version" -Dmdep.outputFile="$work/tools-cp.txt" >"$work/mvn.log" 2>&1 \
    || { tail -20 "$work/mvn.log" >&2; die "could not resolve Flyway and Liquibase offline (--no-tools runs without them)"; }
  mkdir -p "$work/tools"
  javac -nowarn -cp "$(cat "$work/tools-cp.txt")" -d "$work/tools" "$lib/BenchTool.java" >"$work/javac.log" 2>&1 \
    || { cat "$work/javac.log" >&2; die "javac of scripts/lib/BenchTool.java failed"; }
  tools_cp="$work/tools:$(cat "$work/tools-cp.txt")"
fi

# ---- generated migrations and plans -------------------------------------------------------------
prepare() {  # prepare N [--flyway-only]: $work/mN/{flyway,liquibase,psql-*.sql,expected,plan.groovy}
  local d="$work/m$1" imported
  if [ ! -f "$d/expected" ] || { [ $# -lt 2 ] && [ ! -f "$d/psql-one.sql" ]; }; then
    rm -rf "$d"
    log "writing $1 migrations"
    python3 "$lib/bench_gen.py" "$1" "$d" "${@:2}" || die "bench_gen.py failed"
  fi
  [ -f "$d/plan.groovy" ] && return 0
  log "mig import of $1 migrations"
  if "$mig" import "$d/flyway" --out "$d/plan.groovy" >"$d/import.out" 2>&1; then
    imported=$(sed -n 's/^imported \([0-9]*\) .*/\1/p' "$d/import.out")
    [ "$imported" = "$1" ] || { log "mig import made $imported steps of $1 migrations"; rm -f "$d/plan.groovy"; return 1; }
  else  # it writes the plan, then loads it: mig run and check will say what is wrong with it, in their cells
    { log "mig import of $1 migrations exited non-zero; last lines:"; tail -5 "$d/import.out" | cut -c1-300; } >&2
    [ -f "$d/plan.groovy" ] || return 1
  fi
}

# ---- one measurement ----------------------------------------------------------------------------
declare -A T MEM FAIL INPROC SKIP
rc=0; ms=0; kib=0
measure() {  # measure OUT CMD...: sets rc, ms, kib
  local line waited=0
  # a start-up archive that a previous mig run's launcher is making in the background (after that
  # run ended, while its .lock folder is there) is finished first, not during this run's timing
  while compgen -G "$work/cache/*/cds/*.lock" >/dev/null && [ "$waited" -lt 600 ]; do
    sleep 0.1; waited=$((waited + 1))
  done
  # what the previous run wrote (a 20 MB start-up archive, a database's files) is flushed first,
  # not during this run's timing
  sync
  line="$(python3 "$lib/bench_measure.py" "$@")" || die "bench_measure.py failed on: ${*:2}"
  read -r rc ms kib <<<"$line"
}
mig_env() {  # mig_env STATE N: the environment of one mig measurement in that cache state
  case "$1" in
    cold) echo "MIG_CACHE_DIR=$(mktemp -d "$work/cache/cold.XXXXXX")" ;;
    warm) echo "MIG_CACHE_DIR=$work/cache/warm-$2" ;;
    ci) echo "CI=true MIG_CACHE_DIR=$(mktemp -d "$work/cache/ci.XXXXXX")" ;;
    off) echo "MIG_CACHE=off MIG_CACHE_DIR=$(mktemp -d "$work/cache/off.XXXXXX")" ;;
  esac
}
mkdir -p "$work/cache"
cmd=()
tool_cmd() {  # tool_cmd TOOL N DB: sets cmd (the first run and the no-op are the same command)
  local d="$work/m$2" t=$1
  case "$t" in
    psql1) cmd=("${psql[@]}" -d "$3" -f "$d/psql-one.sql") ;;
    psqln) cmd=("${psql[@]}" -d "$3" -f "$d/psql-each.sql") ;;
    flyway) cmd=(java -cp "$tools_cp" BenchTool flyway "$(jdbc "$3")" postgres "$d/flyway") ;;
    liquibase) cmd=(java -cp "$tools_cp" BenchTool liquibase "$(jdbc "$3")" postgres "$d/liquibase" master.xml) ;;
    mig-*) read -ra cmd <<<"env -u MIG_CACHE $(mig_env "${t#mig-}" "$2")"
           cmd+=("$mig" run --url "postgres://postgres@127.0.0.1:$port/$3" "$d/plan.groovy") ;;
  esac
}
check_run() {  # check_run TOOL N DB OUT FIRST(true|false): prints what is wrong, nothing when all is right
  local t=$1 n=$2 db=$3 out=$4 first=$5 exp objects want summary got
  read -r exp objects <<<"$(cat "$work/m$n/expected")"; want=$((exp + objects))
  got=$(q "$db" "SELECT count(*) FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace WHERE s.nspname = 'public'
               AND ((c.relkind = 'r' AND c.relname LIKE 't\_%') OR (c.relkind = 'v' AND c.relname LIKE 'v\_%'))")
  [ "$got" = "$want" ] || { echo "$got tables and views, expected $want"; return; }
  case "$t" in
    mig-*) summary="$(grep -E '^(done|stopped|verification failed)' "$out" | tail -1 || true)"
           if $first; then want=$n; else want=0; fi
           [[ "$summary" == "done in "*": $want applied, "* ]] || { echo "summary '$summary', expected $want applied"; return; }
           got=$(q "$db" "SELECT count(*) FROM mig.steps WHERE status = 'applied'")
           [ "$got" = "$n" ] || echo "$got applied steps in mig's journal" ;;
    flyway) if $first; then want=$n; else want=0; fi
            grep -qx "flyway ran $want migrations" "$out" || { echo "flyway did not say it ran $want migrations"; return; }
            got=$(q "$db" "SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL")
            [ "$got" = "$n" ] || echo "$got rows in flyway_schema_history" ;;
    liquibase) got=$(q "$db" "SELECT count(*) FROM databasechangelog")
               [ "$got" = "$n" ] || echo "$got rows in databasechangelog" ;;
  esac
}
first_error() {  # first_error OUT: ": " and the first error line of a failed run's output, for its cell
  local e
  e="$(grep -m1 -iE 'error|exception' "$1" || tail -1 "$1" || true)"
  [ -z "$e" ] || printf ': %s' "$(sed "s#$work/##g" <<<"$e" | tr -d '|`' | cut -c1-100)"
}
timed() {  # timed KEY TOOL N DB FIRST: one measured run of TOOL, checked and recorded under KEY; rc 1 if it failed
  local key=$1 t=$2 n=$3 db=$4 first=$5 out wrong
  out="$work/out/${key//[:|]/_}.$dbseq.out"
  mkdir -p "$work/out"
  tool_cmd "$t" "$n" "$db"
  measure "$out" "${cmd[@]}"
  if [ "$rc" != 0 ]; then wrong="exit $rc"; else wrong="$(check_run "$t" "$n" "$db" "$out" "$first")" || wrong="the check after it failed"; fi
  if [ -n "$wrong" ]; then
    FAIL[$key]="fails ($wrong$(first_error "$out"))"
    { log "$key: $wrong; last lines of its output:"; tail -8 "$out" | cut -c1-300; } >&2
    return 1
  fi
  T[$key]+=" $ms"; MEM[$key]+=" $kib"
  [[ "$t" == mig-* ]] && INPROC[$key]+=" $(awk '/^done in / { printf "%d", $3 * 1000 }' "$out")"
  rm -f "$out"
}

# ---- the runs -----------------------------------------------------------------------------------
run_tools=(psql1 psqln); noop_tools=()
if $tools; then run_tools+=(flyway liquibase); noop_tools+=(flyway liquibase); fi
for s in "${states[@]}"; do run_tools+=("mig-$s"); noop_tools+=("mig-$s"); done

for n in "${sizes[@]}"; do
  plan_ok=true; prepare "$n" || plan_ok=false
  these=()
  for t in "${run_tools[@]}"; do
    if [[ "$t" == mig-* ]] && ! $plan_ok; then
      FAIL[$t|run:$n]="fails (mig import wrote no plan)"
    elif [[ "$t" =~ ^(flyway|liquibase)$ ]] && [ "$n" -gt 1000 ] && ! $big_tools; then
      SKIP[$t|run:$n]="not run (--with-10k-tools)"; SKIP[$t|noop:$n]="not run (--with-10k-tools)"
    else these+=("$t"); fi
  done
  if $plan_ok && [[ " ${states[*]} " == *" warm "* ]]; then
    log "N=$n: filling the warm cache (an untimed mig run)"
    fresh_db warmup
    MIG_CACHE_DIR="$work/cache/warm-$n" "$mig" run --url "postgres://postgres@127.0.0.1:$port/$db" \
      "$work/m$n/plan.groovy" >"$work/warmup.out" 2>&1 || log "N=$n: the warm-up run failed (exit $?)"
    "$PG_BIN/dropdb" "$db"
  fi
  r_n=$(reps_for "$n")
  for ((r = 1; r <= r_n; r++)); do
    unset DB; declare -A DB; line=""; rep_dbs=()
    for t in "${these[@]}"; do
      fresh_db "${t//-/_}"; DB[$t]=$db; rep_dbs+=("$db")
      if timed "$t|run:$n" "$t" "$n" "$db" true; then line+=" $t $(secs "$ms")"; else line+=" $t FAILED"; unset "DB[$t]"; fi
    done
    for t in "${noop_tools[@]}"; do
      [ -n "${DB[$t]:-}" ] || continue
      if timed "$t|noop:$n" "$t" "$n" "${DB[$t]}" false; then line+=" | no-op $t $(secs "$ms")"; else line+=" | no-op $t FAILED"; fi
    done
    log "N=$n rep $r/$r_n:$line"
    for db in "${rep_dbs[@]}"; do "$PG_BIN/dropdb" "$db" || log "could not drop $db"; done
  done
done

for n in "${checks[@]}"; do
  prepare "$n" --flyway-only || { for s in "${states[@]}"; do FAIL[mig-$s|check:$n]="fails (mig import wrote no plan)"; done; continue; }
  if [[ " ${states[*]} " == *" warm "* ]]; then
    MIG_CACHE_DIR="$work/cache/warm-$n" "$mig" check "$work/m$n/plan.groovy" >/dev/null 2>&1 || true
  fi
  r_n=$(reps_for "$n")
  for ((r = 1; r <= r_n; r++)); do
    line=""
    for s in "${states[@]}"; do
      read -ra cmd <<<"env -u MIG_CACHE $(mig_env "$s" "$n")"
      measure "$work/check.out" "${cmd[@]}" "$mig" check "$work/m$n/plan.groovy"
      if [ "$rc" = 0 ]; then T[mig-$s|check:$n]+=" $ms"; line+=" $s $(secs "$ms")"
      else FAIL[mig-$s|check:$n]="fails (exit $rc$(first_error "$work/check.out"))"; line+=" $s FAILED"
           { log "mig check of $n ($s): exit $rc; last lines of its output:"; tail -5 "$work/check.out" | cut -c1-300; } >&2; fi
    done
    log "mig check of $n, rep $r/$r_n:$line"
  done
done

for ((r = 1; r <= $(reps_for 1); r++)); do
  for s in "${states[@]}"; do
    read -ra cmd <<<"env -u MIG_CACHE $(mig_env "$s" version)"
    measure "$work/version.out" "${cmd[@]}" "$mig" --version
    if [ "$rc" = 0 ]; then T[mig-$s|version]+=" $ms"; MEM[mig-$s|version]+=" $kib"; else FAIL[mig-$s|version]="fails (exit $rc)"; fi
  done
done

report
