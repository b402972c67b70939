#!/usr/bin/env bash
# Benchmark of a verify block over a large schema (issue 3: target under 200 ms for 1000 tables
# with 10 columns and 3 indexes each), on the machine's PostgreSQL 15.
#
#   scripts/bench-verify.sh              1000 tables, 5 repetitions, median
#   scripts/bench-verify.sh --tables N   another size
#   MIG_JAR=path/to/mig.jar scripts/bench-verify.sh   measure another build (before/after)
#
# It starts a throwaway PostgreSQL 15 server (see scripts/lib/throwaway-pg.sh), creates N tables
# (id bigint PRIMARY KEY, 9 more columns of 5 types, 2 more indexes), and runs a plan whose step
# `verify schema` (runAlways, no SQL) checks every table: its column count, index count, and the
# type and nullability of one column. The first run applies the schema; each further run applies
# nothing but re-runs that step, and the step's own duration (durationMs in the JSON report:
# its transaction, settings, verify and journal rows, no JVM start or plan compilation) is the
# figure. A second block adds primaryKey, unique and foreignKey checks (not in builds before
# catalog snapshots; skipped with MIG_JAR).
set -euo pipefail
shopt -s inherit_errexit

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
tables=1000
reps=5
while [ $# -gt 0 ]; do
  case "$1" in
    --tables) tables=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-verify: unknown argument: $1 (use --tables N or --help)" >&2; exit 2 ;;
  esac
done

source "$root/scripts/lib/throwaway-pg.sh"

if [ -n "${MIG_JAR:-}" ]; then
  mig=(java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -jar "$MIG_JAR")
  extended=false
else
  mig=("$root/scripts/mig")
  extended=true
fi

psql=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres)
"$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres verifybench
url="postgres://postgres@127.0.0.1:$port/verifybench"

# ---- the schema and the plan --------------------------------------------------------------------
{
  for ((i = 1; i <= tables; i++)); do
    echo "CREATE TABLE t_$i (id bigint PRIMARY KEY, name text NOT NULL, email varchar(200), score numeric(10,2),"
    echo "  created_at timestamptz NOT NULL DEFAULT now(), active boolean DEFAULT true, parent_id bigint REFERENCES t_$i (id),"
    echo "  tags text[], body text, slug text, UNIQUE (slug));"
    echo "CREATE INDEX t_${i}_created_idx ON t_$i (created_at);"
  done
} >"$work/schema.sql"

write_plan() {  # write_plan FILE EXTENDED
  {
    echo "plan('verify-bench') {"
    echo "    step('schema') { sqlFile '$work/schema.sql' }"
    echo "    step('verify schema') {"
    echo "        runAlways true"
    echo "        verify {"
    echo "            (1..$tables).each { i ->"
    echo "                table(\"t_\$i\") {"
    echo "                    columns 10"
    echo "                    indexes 3"
    echo "                    column('name') { type 'text'; notNull true }"
    if [ "$2" = true ]; then
      echo "                    primaryKey 'id'"
      echo "                    unique 'slug'"
      echo "                    foreignKey(column: 'parent_id', references: \"t_\$i(id)\")"
    fi
    echo "                }"
    echo "            }"
    echo "        }"
    echo "    }"
    echo "}"
  } >"$1"
}

# the step's durationMs from a JSON report
step_ms() {
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print([s["durationMs"] for s in r["steps"] if s["name"]=="verify schema"][0])' "$1"
}

measure() {  # measure PLAN LABEL: sets ms to the median step time
  local plan=$1 label=$2 r out times=()
  for ((r = 1; r <= reps; r++)); do
    out="$work/report.json"
    "${mig[@]}" run --url "$url" --report "json:$out" "$plan" >"$work/run.out" 2>&1 \
      || { tail -30 "$work/run.out" >&2; die "mig run of $label failed"; }
    grep -q 'verify schema' "$work/run.out" || { cat "$work/run.out" >&2; die "the verify step did not run"; }
    times+=("$(step_ms "$out")")
    log "$label rep $r: ${times[-1]} ms"
  done
  ms=$(median "${times[@]}")
}

write_plan "$work/basic.groovy" false
log "creating $tables tables (first run applies the schema)"
t0=$(now_ns)
"${mig[@]}" run --url "$url" "$work/basic.groovy" >"$work/first.out" 2>&1 \
  || { tail -30 "$work/first.out" >&2; die "first run failed"; }
log "schema applied in $(ms_since "$t0") ms"
counts=$("${psql[@]}" -d verifybench -tA -c "SELECT (SELECT count(*) FROM pg_tables WHERE tablename LIKE 't\_%'),
  (SELECT count(*) FROM pg_indexes WHERE tablename LIKE 't\_%'),
  (SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' AND table_name LIKE 't\_%')")
log "schema: tables|indexes|columns = $counts"

measure "$work/basic.groovy" "columns+indexes+column"
basic=$ms
if $extended; then
  write_plan "$work/extended.groovy" true
  measure "$work/extended.groovy" "+primaryKey+unique+foreignKey"
  ext=$ms
fi

echo
echo "mig verify of $tables tables (10 columns, 3 indexes each) on PostgreSQL $pgversion, median of $reps runs"
echo "  schema: tables|indexes|columns = $counts"
printf '  %-58s %6s ms\n' "columns 10; indexes 3; column('name') { type; notNull }" "$basic"
if $extended; then
  printf '  %-58s %6s ms\n' "the same + primaryKey, unique, foreignKey" "$ext"
fi
if [ "$basic" -lt 200 ]; then verdict=MET; else verdict="NOT MET"; fi
echo "  target: under 200 ms -> $verdict"
