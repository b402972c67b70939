# Sourced by scripts/bench-run.sh: formats what it measured (the arrays T, MEM, INPROC: "KEY" ->
# " ms ms ..." / " KiB ..."; FAIL and SKIP: "KEY" -> the cell's text; KEY is "TOOL|ROW", ROW one of
# run:N, noop:N, check:N, version) as markdown tables on stdout.
# shellcheck shell=bash

secs() { awk -v ms="$1" 'BEGIN { printf "%.2f", ms / 1000 }'; }
thousands() { sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$1"; }
med_of() {  # med_of ARRAY KEY: the median of the values under KEY, or nothing
  local -n arr=$1
  local v="${arr[$2]:-}"
  [ -n "${v// /}" ] || return 0
  # shellcheck disable=SC2086
  median $v
}
cell() {  # cell KEY [mem]: a table cell
  local m
  if [ -n "${FAIL[$1]:-}" ] && [ "${2:-}" = mem ]; then echo "fails"; return; fi
  if [ -n "${FAIL[$1]:-}" ]; then echo "${FAIL[$1]}"; return; fi
  if [ "${2:-}" = mem ]; then m=$(med_of MEM "$1"); else m=$(med_of T "$1"); fi
  if [ -n "$m" ] && [ "${2:-}" = mem ]; then awk -v k="$m" 'BEGIN { printf "%.0f MiB", k / 1024 }'
  elif [ -n "$m" ]; then echo "$(secs "$m") s"
  elif [ -n "${SKIP[$1]:-}" ]; then echo "${SKIP[$1]}"
  else echo "–"; fi
}
ratio() {  # ratio KEY_A KEY_B: median(A) / median(B) as "1.23×", or "–"
  local a b
  [ -z "${FAIL[$1]:-}" ] && [ -z "${FAIL[$2]:-}" ] || { echo "–"; return; }
  a=$(med_of T "$1"); b=$(med_of T "$2")
  if [ -n "$a" ] && [ -n "$b" ] && [ "$b" -gt 0 ]; then awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f×", a / b }'; else echo "–"; fi
}
runs_of() { local v="${T[$1]:-}"; wc -w <<<"$v" | tr -d ' '; }

report() {
  local cols=(psql1 psqln) heads=("psql one transaction" "psql one transaction per file") row label t s c n runs
  if $tools; then cols+=(flyway liquibase); heads+=("Flyway $fw_version" "Liquibase $lb_version"); fi
  for s in "${states[@]}"; do cols+=("mig-$s"); heads+=("mig ($s cache)"); done
  local rows=() labels=()
  for n in "${sizes[@]}"; do rows+=("run:$n" "noop:$n"); labels+=("$(thousands "$n") migrations" "$(thousands "$n") already applied (no-op)"); done
  for n in "${checks[@]}"; do rows+=("check:$n"); labels+=("\`mig check\` of $(thousands "$n")"); done
  rows+=(version); labels+=("\`mig --version\`")
  for n in "${sizes[@]}"; do rows+=("mem:$n"); labels+=("peak memory, $(thousands "$n") migrations"); done

  echo
  echo "## mig $mig_version next to psql$($tools && echo ", Flyway and Liquibase"): whole-process wall time, median of the runs"
  echo
  printf '| work |'; printf ' %s |' "${heads[@]}"; echo ' runs |'
  printf '|---|'; for _ in "${heads[@]}"; do printf -- '---|'; done; echo '---|'
  for i in "${!rows[@]}"; do
    row=${rows[$i]}; label=${labels[$i]}; runs=0
    printf '| %s |' "$label"
    for t in "${cols[@]}"; do
      case "$row" in
        mem:*) c=$(cell "$t|run:${row#mem:}" mem) ;;
        noop:*|check:*|version) if [[ "$t" == psql* ]] || { [[ "$row" != noop:* ]] && [[ "$t" != mig-* ]]; }; then c="–"; else c=$(cell "$t|$row"); fi ;;
        *) c=$(cell "$t|$row") ;;
      esac
      n=$(runs_of "$t|${row/mem/run}"); [ "$n" -gt "$runs" ] && runs=$n
      printf ' %s |' "$c"
    done
    echo " $runs |"
  done

  echo
  echo "ratios of the medians (mig to psql's one transaction$($tools && echo ", and to Flyway")):"
  echo
  printf '| work |'; for s in "${states[@]}"; do printf ' mig (%s) / psql one transaction |' "$s"; $tools && printf ' mig (%s) / Flyway |' "$s"; done; echo
  printf '|---|'; for s in "${states[@]}"; do printf -- '---|'; $tools && printf -- '---|'; done; echo
  for i in "${!rows[@]}"; do
    row=${rows[$i]}
    [[ "$row" == run:* || "$row" == noop:* ]] || continue
    printf '| %s |' "${labels[$i]}"
    for s in "${states[@]}"; do
      printf ' %s |' "$(ratio "mig-$s|$row" "psql1|$row")"
      $tools && printf ' %s |' "$(ratio "mig-$s|$row" "flyway|$row")"
    done
    echo
  done

  echo
  echo "mig's own figures (medians, ms): 'done in' of its summary line (0.1 s resolution: connecting, lock, journal,"
  echo "steps; no JVM start, no plan compile), and plan load = mig check - mig --version:"
  for s in "${states[@]}"; do
    printf '  %-5s' "$s:"
    for row in "${rows[@]}"; do
      [[ "$row" == run:* || "$row" == noop:* ]] || continue
      c=$(med_of INPROC "mig-$s|$row")
      printf ' %s %s: %s;' "${row%%:*}" "${row#*:}" "${c:-–}"
    done
    for n in "${checks[@]}"; do
      c=$(med_of T "mig-$s|check:$n"); v=$(med_of T "mig-$s|version")
      if [ -n "$c" ] && [ -n "$v" ]; then printf ' plan load %s: %s;' "$n" "$((c - v))"; fi
    done
    echo
  done

  echo
  echo "machine: $(nproc) CPUs ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), load average at start $load_start, at end $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "PostgreSQL $pgversion (throwaway server on 127.0.0.1, default durability, $PG_SERVER_OPTS); $(java -version 2>&1 | head -1); $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "mig: $mig (cache states: cold = new empty MIG_CACHE_DIR per run, warm = filled by an untimed run first, ci = cold with CI=true, off = MIG_CACHE=off)"
  if [[ " ${states[*]} " == *" warm "* ]]; then
    printf 'warm cache folders at the end (what mig keeps in MIG_CACHE_DIR; empty if it keeps nothing):'
    for n in $(printf '%s\n' "${sizes[@]}" "${checks[@]}" | sort -nu); do
      [ -d "$work/cache/warm-$n" ] || { printf ' %s: no folder;' "$n"; continue; }
      printf ' %s: %s files, %s KiB;' "$n" "$(find "$work/cache/warm-$n" -type f | wc -l)" "$(du -sk "$work/cache/warm-$n" | cut -f1)"
    done
    echo
  fi
  if $tools; then
    echo "Flyway $fw_version and Liquibase $lb_version: their Java API with their defaults (scripts/lib/BenchTool.java), a fresh JVM per run$($big_tools || echo "; above 1,000 migrations only with --with-10k-tools")"
  fi
}
