# What scripts/bench-fleet.sh and scripts/bench-fleet-schemas.sh share: sourced after
# throwaway-pg.sh (which sets $work, $port, $PG_BIN, log). Sets the environment for mig and psql,
# writes the plan of S steps and the same SQL as a psql driver, measures a command, prints the table.

export PGHOST=127.0.0.1 PGPORT=$port PGUSER=postgres
unset PGPASSWORD PGDATABASE MIG_URL DATABASE_URL PGOPTIONS MIG_CACHE MIG_CDS CI || true
export MIG_CACHE_DIR="$work/cache"
psql=("$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1)

# write_plan NAME STEPS PLAN DRIVER: S steps, each a table, an index and a comment in its own transaction
write_plan() {
  local name=$1 steps=$2 plan=$3 driver=$4 s
  {
    echo "plan('$name') {"
    for s in $(seq "$steps"); do
      echo "    step('step $s') {"
      printf '        sql "CREATE TABLE t_%s (id bigint PRIMARY KEY, tenant text NOT NULL, note text); CREATE INDEX t_%s_tenant ON t_%s (tenant); COMMENT ON TABLE t_%s IS '"'"'step %s'"'"'"\n' "$s" "$s" "$s" "$s" "$s"
      echo "    }"
    done
    echo "}"
  } >"$plan"
  for s in $(seq "$steps"); do
    echo "BEGIN; CREATE TABLE t_$s (id bigint PRIMARY KEY, tenant text NOT NULL, note text); CREATE INDEX t_${s}_tenant ON t_$s (tenant); COMMENT ON TABLE t_$s IS 'step $s'; COMMIT;"
  done >"$driver"
}

wait_cds() { while compgen -G "$MIG_CACHE_DIR/*/cds/*.lock" >/dev/null; do sleep 0.2; done; }

# measure NAME CMD...: prints "SECONDS MIB" or "fails"
measure() {
  local name=$1 rc ms kib; shift
  wait_cds; sync
  read -r rc ms kib < <(python3 "$lib/bench_measure.py" "$work/$name.out" "$@")
  if [ "$rc" != 0 ]; then echo "fails"; log "$name exited $rc: $(tail -3 "$work/$name.out" | tr '\n' ' ')"; return; fi
  printf '%.2f %d\n' "$(bc -l <<<"$ms / 1000")" $((kib / 1024))
}

cell() { if [ "$1" = fails ] || [ "$1" = "–" ]; then echo "$1"; else read -r s m <<<"$1"; echo "$s s, $m MiB"; fi; }

# print_table TITLE: the columns of array cols, the rows of associative arrays first and again
print_table() {
  local header="| work |" rule="|---|" row c
  echo
  echo "## $1 (PostgreSQL $pgversion, $(nproc) CPUs, load $load_start -> $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ))"
  echo
  for c in "${cols[@]}"; do header+=" $c |"; rule+="---|"; done
  echo "$header"; echo "$rule"
  row="| first run |"; for c in "${cols[@]}"; do row+=" $(cell "${first[$c]}") |"; done; echo "$row"
  row="| already applied |"; for c in "${cols[@]}"; do row+=" $(cell "${again[$c]}") |"; done; echo "$row"
}
