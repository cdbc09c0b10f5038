package io.tiercache.spi.pdata;

import java.io.IOException;

/**
 * What a B-tree's leaf values mean to reference counting (the kernel's
 * {@code dm_btree_value_type}). When a shared leaf is shadowed every value gains a reference; when a
 * value is overwritten or removed, or an unshared leaf is deleted, it loses one. Plain data values
 * (mappings, hints, counts) do nothing.
 */
public interface ValueType {
    /** Values that are plain data. */
    ValueType PLAIN = new ValueType() {
        @Override
        public void inc(long value) {}

        @Override
        public void dec(long value) {}
    };

    /** A value gained a reference from a new copy of the leaf holding it. */
    void inc(long value) throws IOException;

    /** A value lost the reference the tree held on it. */
    void dec(long value) throws IOException;

    /** Values that are metadata block numbers, each holding one reference on its block. */
    static ValueType blockReferences(TransactionManager tm) {
        return new ValueType() {
            @Override
            public void inc(long value) throws IOException {
                tm.inc(value);
            }

            @Override
            public void dec(long value) throws IOException {
                tm.dec(value);
            }
        };
    }
}
