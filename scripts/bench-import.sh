#!/usr/bin/env bash
# Benchmark of `mig import` for every format it reads, against the machine's PostgreSQL 15.
#
#   scripts/bench-import.sh                          N = 200 migrations per format, adoption of 1000
#   scripts/bench-import.sh --size N --adopt M       N migrations per format, adoption of M (0: none)
#
# For each format (flyway, golang-migrate, dbmate, goose, prisma, popx, sqlx, sqitch, liquibase,
# plain) the test generator (src/test/groovy/dev/mig/imports/MigrationHistory + WriteHistories)
# writes a history of N migrations in that tool's layout, with a manifest of the order and the
# transaction mode in which the tool runs each one. Then, on a throwaway PostgreSQL 15 server
# (scripts/lib/throwaway-pg.sh; removed on exit), it times (wall time, seconds, JVM start included):
#   import s   `scripts/mig import DIR --out PLAN --skip-code-migrations` (goose's history holds a
#              Go migration and Flyway's a Java one: they only update rows, so nothing later needs them)
#   mig run s  `scripts/mig run --url ... PLAN` on a fresh database A
#   psql s     one `psql -X -v ON_ERROR_STOP=1` session applying the same migrations on a fresh
#              database B, in the manifest's order: a `tx` one as `psql -1 -f FILE` would (BEGIN,
#              \i FILE, COMMIT), an `autocommit` one as `psql -f FILE` would (\i FILE alone). FILE
#              is what the tool sends: the whole file, or its Up section / changeset / deploy script.
# and compares `pg_dump --schema-only --no-owner --exclude-schema=mig` of A and B ("same schema").
# Adoption: real Flyway (the test-scoped dependency, via FlywayMigrate) migrates a generated Flyway
# history of M migrations; an event trigger then logs any DDL outside mig's schema into a table;
# `mig import DIR --adopt URL` is timed, and pg_dump of everything outside mig's schema (schema and
# data, flyway_schema_history and the DDL log included) must be byte for byte what it was before.
# Not run by the test suite; needs /usr/lib/postgresql/15/bin (PG_BIN), java and Maven (offline).
set -euo pipefail
shopt -s inherit_errexit

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
mig="$root/scripts/mig"

size=200
adopt=1000
while [ $# -gt 0 ]; do
  case "$1" in
    --size) [ $# -ge 2 ] && [[ "$2" =~ ^[1-9][0-9]*$ ]] || { echo "bench-import: --size needs a number >= 1" >&2; exit 2; }
            size=$2; shift 2 ;;
    --adopt) [ $# -ge 2 ] && [[ "$2" =~ ^[0-9]+$ ]] || { echo "bench-import: --adopt needs a number (0: no adoption)" >&2; exit 2; }
            adopt=$2; shift 2 ;;
    -h|--help) sed -n '2,24p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench-import: unknown argument: $1 (use --size N, --adopt M or --help)" >&2; exit 2 ;;
  esac
done
formats=(flyway golang-migrate dbmate goose prisma popx sqlx sqitch liquibase plain)

source "$root/scripts/lib/throwaway-pg.sh"

export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres
unset PGPASSWORD PGDATABASE MIG_URL DATABASE_URL PGOPTIONS || true
psql=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1)
url() { echo "postgres://postgres@127.0.0.1:$port/$1"; }
secs() { awk -v ms="$1" 'BEGIN { printf "%.2f", ms / 1000 }'; }

log "building / warming up mig"
"$mig" --version >/dev/null || die "scripts/mig --version failed"

log "compiling the test generator (mvn -o test-compile) and reading its classpath"
(cd "$root" && mvn -B -q -o test-compile dependency:build-classpath -pl cli -am -Dmdep.outputFile="$work/cp.txt") \
  >"$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; die "the test build failed"; }
cp="$root/target/test-classes:$root/target/classes:$(cat "$work/cp.txt")"

log "writing $size migrations per format"
java -cp "$cp" dev.mig.imports.WriteHistories "$work/h" "$size" || die "WriteHistories failed"

dump() {  # pg_dump ARGS... without mig's schema and the lines that differ from dump to dump
  "$PG_BIN/pg_dump" --no-owner --exclude-schema=mig "$@" \
    | grep -v -e '^-- Dumped' -e '^\\restrict' -e '^\\unrestrict' || true
}

rows=()
all_same=true
for f in "${formats[@]}"; do
  dir="$work/h/$f"
  plan="$work/plans/$f/plan.groovy"
  manifest="$work/h/$f.manifest"
  expected=$(wc -l <"$manifest")

  t0=$(now_ns)
  "$mig" import "$dir" --out "$plan" --skip-code-migrations >"$work/import-$f.out" 2>&1 \
    || { tail -30 "$work/import-$f.out" >&2; die "mig import of $f failed"; }
  import_ms=$(ms_since "$t0")
  steps=$(sed -n "s/^imported \([0-9]*\) .*/\1/p" "$work/import-$f.out")
  [ "$steps" = "$expected" ] || die "$f: mig import made $steps steps; the manifest holds $expected migrations"

  a="bench_${f//-/_}_mig"
  b="bench_${f//-/_}_psql"
  "$PG_BIN/createdb" "$a"
  "$PG_BIN/createdb" "$b"

  t0=$(now_ns)
  "$mig" run --url "$(url "$a")" "$plan" >"$work/run-$f.out" 2>&1 \
    || { tail -30 "$work/run-$f.out" >&2; die "mig run of the $f plan failed"; }
  run_ms=$(ms_since "$t0")
  journal=$("${psql[@]}" -d "$a" -tA -c "SELECT count(*) FROM mig.steps WHERE status = 'applied'")
  [ "$journal" = "$expected" ] || die "$f: mig's journal holds $journal applied steps, expected $expected"

  driver="$work/h/$f.psql-driver.sql"
  while IFS=$'\t' read -r mode file _name; do
    case "$mode" in
      tx) printf 'BEGIN;\n\\i %s\nCOMMIT;\n' "$work/h/$file" ;;
      autocommit) printf '\\i %s\n' "$work/h/$file" ;;
      *) die "$manifest: unknown mode '$mode'" ;;
    esac
  done <"$manifest" >"$driver"
  t0=$(now_ns)
  "${psql[@]}" -d "$b" -f "$driver" >"$work/psql-$f.out" 2>&1 \
    || { tail -30 "$work/psql-$f.out" >&2; die "psql applying the $f files failed"; }
  psql_ms=$(ms_since "$t0")

  dump --schema-only -d "$a" >"$work/dump-$f-mig.sql"
  dump --schema-only -d "$b" >"$work/dump-$f-psql.sql"
  grep -q '^CREATE TABLE' "$work/dump-$f-psql.sql" || die "$f: pg_dump of the psql database holds no table"
  if cmp -s "$work/dump-$f-mig.sql" "$work/dump-$f-psql.sql"; then
    same=yes
  else
    same=NO
    all_same=false
    { echo "--- $f: pg_dump differs (mig < > psql), first lines:"
      diff "$work/dump-$f-mig.sql" "$work/dump-$f-psql.sql" | head -20; } >&2
  fi
  log "$f: $steps migrations, same schema: $same, import $(secs "$import_ms") s, mig run $(secs "$run_ms") s, psql $(secs "$psql_ms") s"
  rows+=("$(printf '| %-14s | %10s | %11s | %8s | %9s | %6s |' "$f" "$steps" "$same" \
    "$(secs "$import_ms")" "$(secs "$run_ms")" "$(secs "$psql_ms")")")
done

adoption=""
if [ "$adopt" -gt 0 ]; then
  log "adoption: real Flyway migrates a generated history of $adopt migrations"
  java -cp "$cp" dev.mig.imports.WriteHistories "$work/adopt" "$adopt" 8 flyway || die "WriteHistories failed"
  db=bench_adopt
  "$PG_BIN/createdb" "$db"
  t0=$(now_ns)
  java -cp "$cp" dev.mig.imports.FlywayMigrate "jdbc:postgresql://127.0.0.1:$port/$db" postgres "$work/adopt/flyway" \
    >"$work/flyway.out" 2>&1 || { tail -30 "$work/flyway.out" >&2; die "Flyway failed"; }
  flyway_ms=$(ms_since "$t0")
  ran=$(sed -n 's/^flyway ran \([0-9]*\) migrations$/\1/p' "$work/flyway.out")
  "${psql[@]}" -d "$db" >/dev/null <<'SQL'
CREATE SCHEMA bench_watch;
CREATE TABLE bench_watch.ddl_log (id serial, tag text, object text);
CREATE FUNCTION bench_watch.log_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO bench_watch.ddl_log (tag, object)
    SELECT command_tag, object_identity FROM pg_event_trigger_ddl_commands()
    WHERE schema_name IS DISTINCT FROM 'mig' AND object_identity IS DISTINCT FROM 'mig';
END $$;
CREATE EVENT TRIGGER bench_log_ddl ON ddl_command_end EXECUTE FUNCTION bench_watch.log_ddl();
SQL
  dump -d "$db" >"$work/adopt-before.sql"
  t0=$(now_ns)
  "$mig" import "$work/adopt/flyway" --out "$work/adopt/plan.groovy" --skip-code-migrations --adopt "$(url "$db")" \
    >"$work/adopt.out" 2>&1 || { tail -30 "$work/adopt.out" >&2; die "mig import --adopt failed"; }
  adopt_ms=$(ms_since "$t0")
  dump -d "$db" >"$work/adopt-after.sql"
  adopted=$(sed -n 's/^adopted \([0-9]*\) migrations from .*/\1/p' "$work/adopt.out" | head -1)
  journal=$("${psql[@]}" -d "$db" -tA -c "SELECT count(*) FROM mig.steps WHERE status = 'applied'")
  history=$("${psql[@]}" -d "$db" -tA -c "SELECT count(*) FROM mig.history WHERE outcome = 'adopted'")
  versioned=$("${psql[@]}" -d "$db" -tA -c "SELECT count(*) FROM flyway_schema_history WHERE version IS NOT NULL AND success")
  [ -n "$adopted" ] && [ "$adopted" = "$journal" ] && [ "$journal" = "$history" ] && [ "$journal" = "$versioned" ] \
    || { tail -30 "$work/adopt.out" >&2; die "adoption: $adopted adopted, $journal applied in mig's journal, $history history rows, $versioned versioned rows of Flyway's"; }
  if cmp -s "$work/adopt-before.sql" "$work/adopt-after.sql"; then untouched=yes; else untouched=NO; all_same=false
    { echo "--- adoption changed the database outside mig's schema:"; diff "$work/adopt-before.sql" "$work/adopt-after.sql" | head -20; } >&2
  fi
  adoption="adoption: real Flyway ran $ran migrations ($(secs "$flyway_ms") s); \`mig import --adopt\` of its flyway_schema_history: $(secs "$adopt_ms") s (import and adoption, JVM start included), $adopted steps adopted; the database outside mig's schema (schema, data, flyway_schema_history, DDL log) unchanged: $untouched"
  log "$adoption"
fi

echo
echo "mig $("$mig" --version | awk '{print $2}'), PostgreSQL $pgversion on 127.0.0.1 (default durability),"\
  "$(nproc) CPUs, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "wall times in seconds, one run each, JVM start included for mig; every run on a fresh database"
echo
printf '| %-14s | %10s | %11s | %8s | %9s | %6s |\n' format migrations 'same schema' 'import s' 'mig run s' 'psql s'
printf '|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..16})" "$(printf -- '-%.0s' {1..12})" "$(printf -- '-%.0s' {1..13})" \
  "$(printf -- '-%.0s' {1..10})" "$(printf -- '-%.0s' {1..11})" "$(printf -- '-%.0s' {1..8})"
printf '%s\n' "${rows[@]}"
if [ -n "$adoption" ]; then echo; echo "$adoption"; fi
$all_same || exit 1
