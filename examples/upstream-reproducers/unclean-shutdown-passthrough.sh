#!/usr/bin/env bash
# Upstream reproducer (b), commit a373b3d5289e: after an unclean shutdown every cached block must be
# treated as dirty, so the cache must refuse to start in passthrough mode. See README.md.
# Exit 0: tiercache refused the unsafe transition and no data was lost; non-zero otherwise.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

echo "== 1. one image file, three linear slices, a writeback cache over them"
make_slices
start_daemon state
create_slices
tc create cache --table "$(table writeback '2 migration_threshold 0')" || exit 3
take_log

echo "== 2. write the first cache block dirty through NBD"
fio_write cache 0x50
dirty=$(status_field cache 14)
echo "# tiercache status cache"
"$TIERCACHE" --control "$CONTROL" status cache
echo "dirty blocks (status \$14): $dirty"
[ "$dirty" -gt 0 ] || { echo "expected a dirty block after the write"; exit 3; }

echo "== 3. unclean stop"
kill_daemon_unclean
cache_bytes=$(bytes_at "$DATA_OFFSET" 65536)
orig_bytes=$(bytes_at "$ORIG_OFFSET" 65536)
echo "cache device block 0 holds: $cache_bytes   origin block 0 holds: $orig_bytes"
[ "$cache_bytes" = 50 ] && [ "$orig_bytes" = 4f ] || { echo "unexpected file contents"; exit 3; }

echo "== 4. restart and try to start the cache in passthrough mode"
start_daemon state2
create_slices
take_log
out=$("$TIERCACHE" --control "$CONTROL" create cache --table "$(table passthrough 0)" 2>&1)
rc=$?
echo "# tiercache create cache --table '$(table passthrough 0)'"
echo "$out"
echo "  (exit status $rc)"
echo "-- daemon log:"
take_log
echo "$LOGGED"
if [ "$rc" -eq 0 ]; then
    unsafe "passthrough was accepted after an unclean shutdown"
else
    echo "$out" | grep -q "Invalid argument" || unsafe "expected EINVAL (Invalid argument)"
    echo "$LOGGED" | grep -q "unable to resume into passthrough mode after unclean shutdown" \
        || unsafe "the log does not say why passthrough was refused"
fi
if "$TIERCACHE" --control "$CONTROL" info cache >/dev/null 2>&1; then
    [ "$rc" -eq 0 ] || unsafe "a failed create left a device behind"
    "$TIERCACHE" --control "$CONTROL" remove cache >/dev/null 2>&1
fi

echo "== 5. the writeback table still finds the dirty block"
tc create cache --table "$(table writeback '2 migration_threshold 0')" || exit 3
expect_dirty_block_kept "the dirty block was not loaded dirty"
finish "passthrough refused after the unclean shutdown"
