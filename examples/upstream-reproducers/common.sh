# Shared helpers for the upstream reproducers (sourced, not run).
# Each script gets its own temp folder, NBD port and control socket, and stops only the daemon it
# started, by PID.
set -u

: "${TIERCACHE:=${TIERCACHE_HOME:+$TIERCACHE_HOME/bin/tiercache}}"
: "${TIERCACHE:=$(command -v tiercache || true)}"
if [ -z "$TIERCACHE" ] || [ ! -x "$TIERCACHE" ]; then
    echo "set TIERCACHE=/path/to/bin/tiercache or TIERCACHE_HOME (or put tiercache on PATH)" >&2
    exit 2
fi
for tool in fio; do
    command -v "$tool" >/dev/null || { echo "this reproducer needs $tool" >&2; exit 2; }
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tiercache-repro.XXXXXX")
CONTROL="$WORK/control.sock"
PORT=${PORT:-$(( 20000 + RANDOM % 20000 ))}
LOG="$WORK/daemon.log"
DAEMON_PID=
UNSAFE=0

cleanup() {
    if [ -n "$DAEMON_PID" ] && kill -0 "$DAEMON_PID" 2>/dev/null; then
        # Remove the devices top-down first (the cache commits to cmeta while it stops), then
        # stop the daemon; if it does not stop within 30 s, kill it.
        for dev in cache corig cdata cmeta; do
            "$TIERCACHE" --control "$CONTROL" remove "$dev" >/dev/null 2>&1
        done
        kill -TERM "$DAEMON_PID" 2>/dev/null
        for _ in $(seq 1 300); do kill -0 "$DAEMON_PID" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$DAEMON_PID" 2>/dev/null && { echo "(the daemon did not stop on SIGTERM: killing pid $DAEMON_PID)"; kill -KILL "$DAEMON_PID"; }
        wait "$DAEMON_PID" 2>/dev/null
    fi
    if [ "${KEEP:-0}" = 1 ]; then echo "(kept $WORK)"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

# Runs `tiercache ARGS...` against this script's daemon, echoing the command and what it printed.
tc() {
    echo "# tiercache $*"
    "$TIERCACHE" --control "$CONTROL" "$@"
    local rc=$?
    [ "$rc" -eq 0 ] || echo "  (exit status $rc)"
    return $rc
}

# start_daemon [STATE]: a fresh state folder per boot, so a restart starts with no devices, like a
# machine after a reboot (the upstream reproducer recreates its devices).
start_daemon() {
    "$TIERCACHE" --control "$CONTROL" daemon --nbd-listen "127.0.0.1:$PORT" --state "$WORK/${1:-state}" >>"$LOG" 2>&1 &
    DAEMON_PID=$!
    for _ in $(seq 1 600); do
        "$TIERCACHE" --control "$CONTROL" ls >/dev/null 2>&1 && { echo "# daemon started (pid $DAEMON_PID, nbd port $PORT)"; return 0; }
        kill -0 "$DAEMON_PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "the daemon did not start; its log:" >&2
    cat "$LOG" >&2
    exit 3
}

kill_daemon_unclean() {
    echo "# kill -KILL $DAEMON_PID   (unclean stop: no suspend, no remove)"
    kill -KILL "$DAEMON_PID"
    wait "$DAEMON_PID" 2>/dev/null
    DAEMON_PID=
}

# Field N of `status NAME` in dmsetup's numbering ($1 start, $2 length, $3 target, $4...).
status_field() {
    "$TIERCACHE" --control "$CONTROL" status "$1" | awk -v f="$2" '{print $f}'
}

# take_log: sets LOGGED to the daemon's device-mapper lines since the last call (what `dmesg`
# would show). Not in a $(...) subshell, so that LOG_SEEN advances.
LOG_SEEN=0
LOGGED=
take_log() {
    local n
    n=$(wc -l <"$LOG")
    LOGGED=$(sed -n "$((LOG_SEEN + 1)),${n}p" "$LOG" | grep -E 'device-mapper' || true)
    LOG_SEEN=$n
}

# fio's nbd engine: a direct 64 KiB write of byte PATTERN at offset 0 of device NAME.
fio_write() {
    echo "# fio --ioengine=nbd --uri=nbd://127.0.0.1:$PORT/$1 --rw=write --bs=64k --size=64k --buffer_pattern=$2"
    fio --name=repro --ioengine=nbd --uri="nbd://127.0.0.1:$PORT/$1" --rw=write --bs=64k --size=64k \
        --offset=0 --buffer_pattern="$2" --output="$WORK/fio.out" >/dev/null 2>&1 \
        || { echo "fio failed:"; cat "$WORK/fio.out"; exit 3; }
}

# One image file holding the three slices, as the upstream reproducer's loop device:
# cmeta = 4 MiB, cdata = 64 MiB, corig = 128 MiB; origin pre-filled with 'O' (0x4f).
IMG="$WORK/disk.img"
META_SECTORS=8192
DATA_SECTORS=131072
ORIG_SECTORS=262144
make_slices() {
    truncate -s $(( (META_SECTORS + DATA_SECTORS + ORIG_SECTORS) * 512 )) "$IMG"
    head -c $((ORIG_SECTORS * 512)) /dev/zero | tr '\0' 'O' \
        | dd of="$IMG" bs=1M seek=$(( (META_SECTORS + DATA_SECTORS) / 2048 )) conv=notrunc status=none
}
create_slices() {
    tc create cmeta --table "0 $META_SECTORS linear $IMG 0" || exit 3
    tc create cdata --table "0 $DATA_SECTORS linear $IMG $META_SECTORS" || exit 3
    tc create corig --table "0 $ORIG_SECTORS linear $IMG $((META_SECTORS + DATA_SECTORS))" || exit 3
}
table() {
    echo "0 $ORIG_SECTORS cache cmeta cdata corig 128 2 metadata2 $1 smq $2"
}

# Bytes LEN at byte OFFSET of the image, as one hex byte per distinct value (e.g. "50" or "4f").
bytes_at() {
    dd if="$IMG" bs=4096 skip=$(( $1 / 4096 )) count=$(( $2 / 4096 )) status=none | od -An -v -tx1 | tr -s ' \n' '\n' \
        | grep -v '^$' | sort -u | tr '\n' ' ' | sed 's/ $//'
}
DATA_OFFSET=$((META_SECTORS * 512))
ORIG_OFFSET=$(( (META_SECTORS + DATA_SECTORS) * 512 ))

unsafe() {
    echo "UNSAFE: $*"
    UNSAFE=1
}

# The end of both reproducers: the writeback table holds the one dirty block (status $14), the
# metadata is rw without needs_check, and offset 0 still reads the 0x50 written at the start.
# $1: what it means when the dirty block is missing.
expect_dirty_block_kept() {
    local status_now dirty
    status_now=$("$TIERCACHE" --control "$CONTROL" status cache)
    echo "$status_now"
    dirty=$(echo "$status_now" | awk '{print $14}')
    echo "dirty blocks (status \$14): $dirty"
    [ "$dirty" = 1 ] || unsafe "$1"
    echo "$status_now" | grep -q ' rw - *$' || unsafe "metadata not rw or needs_check set: $status_now"
    fio --name=verify --ioengine=nbd --uri="nbd://127.0.0.1:$PORT/cache" --rw=read --bs=64k --size=64k --offset=0 \
        --verify=pattern --verify_pattern=0x50 --output="$WORK/fio-verify.out" >/dev/null 2>&1 \
        && echo "offset 0 reads back the written data" || unsafe "offset 0 does not read back the written data"
}

# finish WHAT: the verdict line, and exit 1 if anything unsafe was seen.
finish() {
    if [ "$UNSAFE" -ne 0 ]; then
        echo "RESULT: FAIL - tiercache accepted an unsafe transition or lost data"
        exit 1
    fi
    echo "RESULT: OK - $1; no data lost"
}
