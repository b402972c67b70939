#!/usr/bin/env bash
# The release archive: its sizes, and the start-up of its bin/mig against scripts/mig, with and
# without an AppCDS archive (docs/BENCHMARKS.md, "bench-archive.sh").
#
#   scripts/bench-archive.sh [REPS]      REPS repetitions of each (default 5), medians
#
# Needs target/mig-<version>.tar.gz (mvn -B package) and PostgreSQL 15 binaries (PG_BIN) for a
# throwaway server. Measured, wall time and user+sys CPU time in ms, median of REPS, interleaved:
#   --version     `mig --version`: JVM start + command line, no plan, no database
#   10-step run   `mig run --url ... PLAN` of 10 CREATE TABLE steps with guards and verify blocks,
#                 each repetition on a fresh database
# for scripts/mig (target/mig.jar), bin/mig of the unpacked archive, and bin/mig with
# MIG_JAVA_OPTS=-XX:SharedArchiveFile=mig.jsa, a dynamic AppCDS archive dumped in place
# (-XX:ArchiveClassesAtExit) from one 10-step run: the best case for CDS.
set -euo pipefail
shopt -s inherit_errexit

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
reps=${1:-5}
[[ "$reps" =~ ^[0-9]+$ ]] || { echo "bench-archive: REPS must be a number" >&2; exit 2; }
tarball="$(ls "$root"/target/mig-*.tar.gz 2>/dev/null | head -1)"
[ -n "$tarball" ] || { echo "bench-archive: no target/mig-*.tar.gz; run mvn -B package first" >&2; exit 2; }
zipfile="${tarball%.tar.gz}.zip"

source "$root/scripts/lib/throwaway-pg.sh"
psql=("$PG_BIN/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres)

tar xzf "$tarball" -C "$work"
home="$(ls -d "$work"/mig-*/)"
echo "archive: $(basename "$tarball") $(( $(stat -c %s "$tarball") / 1024 )) KiB," \
     "$(basename "$zipfile") $(( $(stat -c %s "$zipfile") / 1024 )) KiB," \
     "unpacked $(( $(du -sb "$home" | cut -f1) / 1024 )) KiB, $(ls "$home/lib" | wc -l) jars in lib/"

plan="$work/ten.groovy"
cat >"$plan" <<'EOF'
plan('ten') {
    (1..10).each { int i ->
        step("create t$i") {
            guard { !table("t$i").exists() }
            sql "CREATE TABLE t$i (id int PRIMARY KEY, name text NOT NULL)"
            verify { table("t$i") { columns 2 } }
        }
    }
}
EOF
n=0
fresh_url() {
  n=$((n + 1))
  "${psql[@]}" -d postgres -c "CREATE DATABASE b$n"
  url="postgres://postgres@127.0.0.1:$port/b$n"
}

fresh_url
jsa="$work/mig.jsa"
MIG_JAVA_OPTS="-XX:ArchiveClassesAtExit=$jsa -Xlog:cds=off -Xlog:cds+dynamic=off" \
  "$home/bin/mig" run --url "$url" "$plan" >/dev/null
echo "AppCDS archive: $(( $(stat -c %s "$jsa") / 1024 )) KiB, Java $(java -version 2>&1 | head -1)"

# one timed command: appends wall ms and user+sys ms to the arrays named by $1
timed() {
  local name=$1; shift
  /usr/bin/time -f '%e %U %S' -o "$work/time" "$@" >"$work/out" 2>&1 || { cat "$work/out" >&2; die "$* failed"; }
  read -r e u s <"$work/time"
  eval "${name}_wall+=($(awk -v e="$e" 'BEGIN { printf "%d", e * 1000 }'))"
  eval "${name}_cpu+=($(awk -v u="$u" -v s="$s" 'BEGIN { printf "%d", (u + s) * 1000 }'))"
}

variants=(script archive cds)
run_variant() {  # run_variant VARIANT ARGS...
  local v=$1; shift
  case "$v" in
    script) timed "$KIND$v" env MIG_CDS=off "$root/scripts/mig" "$@" ;;
    archive) timed "$KIND$v" env -u MIG_JAVA_OPTS MIG_CDS=off "$home/bin/mig" "$@" ;;
    cds) timed "$KIND$v" env MIG_JAVA_OPTS="-XX:SharedArchiveFile=$jsa" "$home/bin/mig" "$@" ;;
  esac
}
for v in "${variants[@]}"; do
  eval "version$v""_wall=(); version$v""_cpu=(); run$v""_wall=(); run$v""_cpu=()"
done
"$root/scripts/mig" --version >/dev/null  # builds target/mig.jar if it is stale, outside the timing
for r in $(seq "$reps"); do
  for v in "${variants[@]}"; do
    KIND=version run_variant "$v" --version
    fresh_url
    KIND=run run_variant "$v" run --url "$url" "$plan"
    grep -q '10 applied' "$work/out" || { cat "$work/out" >&2; die "$v: the 10-step run did not apply 10 steps"; }
  done
  log "repetition $r of $reps done"
done

printf '\n%-34s %14s %14s %14s %14s\n' "median of $reps, ms" "--version wall" "--version cpu" "10 steps wall" "10 steps cpu"
label() { case "$1" in script) echo "scripts/mig" ;; archive) echo "bin/mig" ;; cds) echo "bin/mig + AppCDS (dumped in place)" ;; esac; }
for v in "${variants[@]}"; do
  eval "vw=(\"\${version${v}_wall[@]}\"); vc=(\"\${version${v}_cpu[@]}\"); rw=(\"\${run${v}_wall[@]}\"); rc=(\"\${run${v}_cpu[@]}\")"
  printf '%-34s %14s %14s %14s %14s\n' "$(label "$v")" "$(median "${vw[@]}")" "$(median "${vc[@]}")" "$(median "${rw[@]}")" "$(median "${rc[@]}")"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
