#!/usr/bin/env bash
# Upstream reproducer (a), commit 322586745bd1: a passthrough table loaded (inactive) while the
# writeback table is still live and writing must not be resumed while any block is dirty.
# Exit 0: tiercache refused the unsafe transition and no data was lost; non-zero otherwise.
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

echo "== 1. one image file, three linear slices, a writeback cache over them"
make_slices
start_daemon state
create_slices
tc create cache --table "$(table writeback '2 migration_threshold 0')" || exit 3
take_log

echo "== 2. preload the passthrough table while the writeback table is live (as lvconvert does)"
tc reload cache --table "$(table passthrough 0)" || unsafe "reload should succeed: the constructor checks nothing"

echo "== 3. keep writing through the live writeback table"
fio_write cache 0x50
dirty=$(status_field cache 14)
echo "dirty blocks (status \$14): $dirty"
[ "$dirty" -gt 0 ] || { echo "expected a dirty block after the write"; exit 3; }

echo "== 4. resume: the passthrough table must not go live with a dirty block"
out=$("$TIERCACHE" --control "$CONTROL" resume cache 2>&1); rc=$?
echo "# tiercache resume cache"; echo "$out"; echo "  (exit status $rc)"
take_log; echo "-- daemon log:"; echo "$LOGGED"
if [ "$rc" -eq 0 ]; then
    unsafe "the passthrough table was resumed with dirty blocks"
else
    echo "$out" | grep -q "Device or resource busy" || unsafe "expected EBUSY (Device or resource busy)"
    echo "$LOGGED" | grep -q "cannot enter passthrough mode unless all blocks are clean" \
        || unsafe "the log does not say why the resume was refused"
    echo "$LOGGED" | grep -q "could not load cache mappings" || unsafe "the log does not show the failed mapping load"
fi
tc info cache
tc status cache

echo "== 5. resume again without a new table"
out=$("$TIERCACHE" --control "$CONTROL" resume cache 2>&1); rc=$?
echo "# tiercache resume cache"; echo "$out"; echo "  (exit status $rc)"
take_log; echo "-- daemon log:"; echo "$LOGGED"
if [ "$rc" -eq 0 ]; then
    unsafe "a second resume brought the refused passthrough table live"
else
    echo "$out" | grep -q "Invalid argument" || unsafe "expected EINVAL (Invalid argument)"
    echo "$LOGGED" | grep -q "unable to resume cache due to missing proper cache table reload" \
        || unsafe "the log does not explain the second refusal"
fi

echo "== 6. reload the writeback table and resume: the data is all there"
tc reload cache --table "$(table writeback '2 migration_threshold 0')" || unsafe "reloading writeback failed"
tc resume cache || unsafe "resuming writeback failed"
expect_dirty_block_kept "the dirty block is gone"
finish "passthrough refused while blocks were dirty"
