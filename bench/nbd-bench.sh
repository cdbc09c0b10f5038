#!/usr/bin/env bash
# NBD server benchmark: the SAME file on tmpfs served by tiercache (a linear target, and a cache
# target with every block resident in a cache file on tmpfs), nbdkit's file plugin and qemu-nbd,
# each over TCP and a unix socket, measured with fio's nbd engine. The servers take turns on every
# row (A B C D A B C D ...) so that machine noise hits all of them alike.
# Then the slow-origin run: the file behind a 5 ms delay (tiercache: a delay target under a cache
# target with smq; nbdkit: its cache filter, cache-on-read=true, over its delay filter), both warmed
# with the same zipf:1.2 reads, then 4 KiB zipf:1.2 random reads at queue depth 1 and 32.
#
# Usage: bench/nbd-bench.sh            (after ./mvnw -q -B -o install -DskipTests)
# Environment: SIZE (file size, default 1G), RUNTIME (seconds per measurement, default 5),
#   ROUNDS (turns per server and row, default 2), ONLY (a regex: only rows whose name matches),
#   TIERCACHE_HOME (default distribution/target/tiercache), TIERCACHE_OPTS (extra JVM options),
#   TIERCACHE_SETTINGS (space-separated key=value settings for the daemon, e.g. nbd.zero-copy=off),
#   BENCH_DIR (where the file goes, default /dev/shm), SKIP_QEMU (non-empty: leave qemu-nbd out),
#   SKIP_SLOW (non-empty: no slow-origin run), WARM (seconds of zipf warm-up per server, default 40),
#   SLOW_CACHE (tiercache's cache size for the slow run, default SIZE, as nbdkit's cache filter has no limit).
# Needs: fio (with the nbd engine), nbdkit, qemu-nbd (qemu-utils), a JDK 25 for tiercache.
# Only the processes this script starts are stopped, by PID.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
SIZE=${SIZE:-1G}
RUNTIME=${RUNTIME:-5}
ROUNDS=${ROUNDS:-2}
ONLY=${ONLY:-.}
TIERCACHE_HOME=${TIERCACHE_HOME:-$root/distribution/target/tiercache}
BENCH_DIR=${BENCH_DIR:-/dev/shm}

need() { command -v "$1" >/dev/null || { echo "nbd-bench: $1 is missing (apt-get install $2)" >&2; exit 1; }; }
need fio fio
need nbdkit nbdkit
need qemu-nbd qemu-utils
[ -x "$TIERCACHE_HOME/bin/tiercache" ] || {
    echo "nbd-bench: no $TIERCACHE_HOME/bin/tiercache; build it: ./mvnw -q -B -o install -DskipTests" >&2; exit 1; }
fio --enghelp=nbd >/dev/null 2>&1 || { echo "nbd-bench: this fio has no nbd engine" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/nbd-bench.XXXXXX")
img="$BENCH_DIR/nbd-bench-$$.img"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    rm -f "$img" "$BENCH_DIR"/nbd-bench-$$.*
    rm -rf "$work"
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_for() { # wait_for DESCRIPTION COMMAND...: retries for 30 s
    local what=$1; shift
    for _ in $(seq 150); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
    echo "nbd-bench: $what did not come up" >&2; exit 1
}

echo "nbd-bench: writing $SIZE of random data to $img" >&2
bytes=$(numfmt --from=iec "$SIZE")
head -c "$bytes" /dev/urandom >"$img"
sectors=$((bytes / 512))

# --- servers: one TCP port and one unix socket each ---------------------------------------------
tc_port=$(free_port); nk_port=$(free_port); qn_port=$(free_port)
mkdir -p "$work/tc"
printf '%s\n' ${TIERCACHE_SETTINGS:-} >"$work/tc/tiercache.properties"
TIERCACHE_CONTROL="$work/tc/control.sock" TIERCACHE_CONF="$work/tc/tiercache.properties" \
    "$TIERCACHE_HOME/bin/tiercache" daemon --control "$work/tc/control.sock" --state "$work/tc/state" \
    --nbd-listen "127.0.0.1:$tc_port" --nbd-socket "$work/tc.sock" >"$work/tiercache.log" 2>&1 &
pids+=($!)
wait_for "tiercache" env TIERCACHE_CONTROL="$work/tc/control.sock" "$TIERCACHE_HOME/bin/tiercache" ls
TIERCACHE_CONTROL="$work/tc/control.sock" "$TIERCACHE_HOME/bin/tiercache" create bench \
    --table "0 $sectors linear $img 0" >/dev/null
tc() { TIERCACHE_CONTROL="$work/tc/control.sock" "$TIERCACHE_HOME/bin/tiercache" "$@"; }
# used cache blocks of a cache device, from its status line
used_blocks() { tc status "$1" | awk '{ for (i = 1; i <= NF; i++) if ($i == "cache") { split($(i + 4), u, "/"); print u[1]; exit } }'; }
# A cache device over the same file whose every block is in the cache: built with lru, which
# promotes every block the client announces with NBD_CMD_CACHE, then reloaded with smq (a reload
# keeps the mappings), as a user would run it.
cache_img="$BENCH_DIR/nbd-bench-$$.cache"
head -c "$bytes" /dev/zero >"$cache_img"
head -c 64M /dev/zero >"$BENCH_DIR/nbd-bench-$$.meta"
cache_table() { echo "0 $sectors cache $BENCH_DIR/nbd-bench-$$.meta $cache_img $img 128 2 metadata2 writeback $1"; }
tc create cbench --table "$(cache_table 'lru 0')" >/dev/null

for transport in tcp unix; do
    if [ $transport = tcp ]; then where=(-i 127.0.0.1 -p "$nk_port"); else where=(-U "$work/nk.sock"); fi
    nbdkit -f --exit-with-parent "${where[@]}" -e bench file "$img" >>"$work/nbdkit.log" 2>&1 &
    pids+=($!)
    if [ $transport = tcp ]; then where=(-b 127.0.0.1 -p "$qn_port"); else where=(-k "$work/qn.sock"); fi
    qemu-nbd -f raw -x bench --persistent --shared=16 --cache=writeback "${where[@]}" "$img" \
        >>"$work/qemu-nbd.log" 2>&1 &
    pids+=($!)
done
uri() { # uri SERVER TRANSPORT
    local port sock
    local export=bench
    case $1 in tiercache) port=$tc_port sock=tc ;; tc-cache) port=$tc_port sock=tc export=cbench ;;
        nbdkit) port=$nk_port sock=nk ;; qemu-nbd) port=$qn_port sock=qn ;; esac
    if [ "$2" = tcp ]; then echo "nbd://127.0.0.1:$port/$export"; else echo "nbd+unix:///$export?socket=$work/$sock.sock"; fi
}
servers=(tiercache tc-cache nbdkit qemu-nbd)
if [ -n "${SKIP_QEMU:-}" ]; then servers=(tiercache tc-cache nbdkit); fi
for s in "${servers[@]}"; do
    wait_for "$s (tcp)" nbdinfo --size "$(uri "$s" tcp)"
    wait_for "$s (unix)" nbdinfo --size "$(uri "$s" unix)"
done

echo "nbd-bench: promoting every block of the cache device" >&2
blocks=$((bytes / 65536))
PATH=/usr/bin:/bin:$PATH nbdsh -u "$(uri tc-cache unix)" -c "
for off in range(0, $bytes, 1 << 24):
    h.cache(min(1 << 24, $bytes - off), off)"
for _ in $(seq 600); do [ "$(used_blocks cbench)" -ge "$blocks" ] && break; sleep 0.5; done
[ "$(used_blocks cbench)" -ge "$blocks" ] || { echo "nbd-bench: only $(used_blocks cbench)/$blocks blocks cached" >&2; exit 1; }
tc reload cbench --table "$(cache_table 'smq 0')" >/dev/null
tc suspend cbench && tc resume cbench
echo "nbd-bench: cache device: $(tc status cbench)" >&2

# --- measurements ------------------------------------------------------------------------------
# run_fio URI RW BS DEPTH SECONDS: prints IOPS (reads + writes) and MiB/s, from fio's terse output.
run_fio() {
    fio --name=bench --ioengine=nbd --uri="$1" --rw="$2" --bs="$3" --iodepth="$4" --size="$SIZE" \
        --time_based --runtime="$5" --ramp_time=1 --randrepeat=0 --norandommap \
        --output-format=terse --terse-version=3 2>"$work/fio.err" \
        | awk -F';' '$1 == 3 { printf "%.0f %.1f\n", $8 + $49, ($7 + $48) / 1024 }'
}

echo "nbd-bench: warming up every server (JIT, page cache)" >&2
for s in "${servers[@]}"; do
    for t in tcp unix; do run_fio "$(uri "$s" $t)" randrw 4k 32 2 >/dev/null; done
done

rows=("4k-randread-qd1 randread 4k 1" "4k-randread-qd32 randread 4k 32" "4k-randwrite-qd1 randwrite 4k 1"
      "4k-randwrite-qd32 randwrite 4k 32" "1m-read-qd8 read 1m 8" "1m-write-qd8 write 1m 8")

printf '%-18s %-5s %-6s %10s %8s %10s %8s %10s %10s %8s\n' row via unit tiercache tc/nk tc-cache cc/nk nbdkit \
    qemu-nbd qn/nk
for t in tcp unix; do
    for row in "${rows[@]}"; do
        read -r name rw bs depth <<<"$row"
        [[ "$name $t" =~ $ONLY ]] || continue
        declare -A sum=([tiercache]=0 [tc-cache]=0 [nbdkit]=0 [qemu-nbd]=1)
        for round in $(seq "$ROUNDS"); do
            # Each round starts with another server, so that none is always first after a change.
            n=${#servers[@]}
            order=("${servers[@]:$((round % n))}" "${servers[@]:0:$((round % n))}")
            for s in "${order[@]}"; do
                read -r iops mibs < <(run_fio "$(uri "$s" $t)" "$rw" "$bs" "$depth" "$RUNTIME")
                if [ "$bs" = 1m ]; then v=$mibs; else v=$iops; fi
                sum[$s]=$(awk -v a="${sum[$s]}" -v b="$v" 'BEGIN { print a + b }')
            done
        done
        unit=$([ "$bs" = 1m ] && echo MiB/s || echo IOPS)
        awk -v n="$name" -v t="$t" -v r="$ROUNDS" -v u="$unit" -v a="${sum[tiercache]}" -v b="${sum[nbdkit]}" \
            -v c="${sum[qemu-nbd]}" -v d="${sum[tc-cache]}" 'BEGIN {
                a /= r; b /= r; c /= r; d /= r
                q = c > 1 ? sprintf("%10.0f %7.2fx", c, c / b) : sprintf("%10s %8s", "-", "-")
                printf "%-18s %-5s %-6s %10.0f %7.2fx %10.0f %7.2fx %10.0f %s\n", n, t, u, a, a / b, d, d / b, b, q
            }'
        unset sum
    done
done
echo "nbd-bench: $ROUNDS rounds of ${RUNTIME}s per server and row, $SIZE file in $BENCH_DIR; $(nproc) CPUs" >&2

# --- slow origin: a 5 ms delay under a cache, warmed with the zipf reads it is then measured on ---
[ -z "${SKIP_SLOW:-}" ] || exit 0
WARM=${WARM:-40}
slow_cache=${SLOW_CACHE:-$bytes}
head -c "$slow_cache" /dev/zero >"$BENCH_DIR/nbd-bench-$$.scache"
head -c 64M /dev/zero >"$BENCH_DIR/nbd-bench-$$.smeta"
tc create slow --table "0 $sectors delay $img 0 5" >/dev/null
tc create scache --table "0 $sectors cache $BENCH_DIR/nbd-bench-$$.smeta $BENCH_DIR/nbd-bench-$$.scache slow 128 2 \
    metadata2 writeback smq 2 migration_threshold 65536" >/dev/null
TMPDIR=$BENCH_DIR nbdkit -f --exit-with-parent -U "$work/nks.sock" -e bench --filter=cache --filter=delay \
    file "$img" delay-read=5ms delay-write=5ms cache-on-read=true >>"$work/nbdkit.log" 2>&1 &
pids+=($!)
slow_uri() { if [ "$1" = tiercache ]; then echo "nbd+unix:///scache?socket=$work/tc.sock"; else
    echo "nbd+unix:///bench?socket=$work/nks.sock"; fi; }
wait_for "nbdkit (cache over delay)" nbdinfo --size "$(slow_uri nbdkit)"
# fio scatters zipf's ranks over the file from its seed: with randrepeat=1 every run has the same
# hot set, which the warm-up has cached (a warm cache); with randrepeat=0 each run draws a new one,
# and both caches must fetch much of it from the slow origin while serving.
zipf() { # zipf URI DEPTH SECONDS RANDREPEAT: IOPS of 4 KiB zipf:1.2 random reads
    fio --name=slow --ioengine=nbd --uri="$1" --rw=randread --bs=4k --iodepth="$2" --size="$SIZE" \
        --random_distribution=zipf:1.2 --time_based --runtime="$3" --randrepeat="$4" --norandommap \
        --output-format=terse --terse-version=3 2>"$work/fio.err" | awk -F';' '$1 == 3 { printf "%.0f\n", $8 }'
}
echo "nbd-bench: slow origin: warming both caches with ${WARM}s of zipf:1.2 reads at depth 32" >&2
for s in tiercache nbdkit; do zipf "$(slow_uri $s)" 32 "$WARM" 1 >/dev/null; done
echo "nbd-bench: slow origin: tiercache cache device: $(tc status scache)" >&2
printf '\n%-26s %-5s %-6s %10s %10s %8s\n' "slow origin (5 ms)" via unit tiercache nbdkit tc/nk
for run in warm:1:1 warm:32:1 new-hot-set:32:0; do
    IFS=: read -r kind depth repeat <<<"$run"
    declare -A sum=([tiercache]=0 [nbdkit]=0)
    for round in $(seq "$ROUNDS"); do
        if [ $((round % 2)) = 1 ]; then order=(tiercache nbdkit); else order=(nbdkit tiercache); fi
        for s in "${order[@]}"; do
            v=$(zipf "$(slow_uri $s)" "$depth" "$RUNTIME" "$repeat")
            sum[$s]=$(awk -v a="${sum[$s]}" -v b="$v" 'BEGIN { print a + b }')
        done
    done
    awk -v n="4k-zipf-qd$depth-$kind" -v r="$ROUNDS" -v a="${sum[tiercache]}" -v b="${sum[nbdkit]}" 'BEGIN {
        a /= r; b /= r; printf "%-26s %-5s %-6s %10.0f %10.0f %7.2fx\n", n, "unix", "IOPS", a, b, a / b }'
    unset sum
done
echo "nbd-bench: slow origin: tiercache cache device after: $(tc status scache)" >&2
