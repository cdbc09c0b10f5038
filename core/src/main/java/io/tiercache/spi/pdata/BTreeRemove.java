package io.tiercache.spi.pdata;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Removal from a {@link BTree}, top-down like the kernel's dm-btree-remove: before descending into a
 * child that holds only the minimum ({@code max_entries / 3}) it is topped up from a sibling or
 * merged with it, so taking one entry out of the leaf never leaves a node below the minimum. A root
 * left with a single child is replaced by that child.
 */
final class BTreeRemove {
    private final BTree tree;
    private final TransactionManager tm;

    BTreeRemove(BTree tree) {
        this.tree = tree;
        this.tm = tree.tm();
    }

    /** Removes {@code key}, which must be present; returns the new root. */
    long remove(long root, long key) throws IOException {
        Block node = tree.shadowNode(root);
        long newRoot = node.location();
        while (!BTreeNode.isLeaf(node.data())) {
            int i = Math.max(0, BTreeNode.lowerBound(node.data(), key));
            Block child = prepareChild(node, i);
            if (node.location() == newRoot && BTreeNode.nrEntries(node.data()) == 1) {
                // One level less: the only child becomes the root and inherits the root's reference.
                tm.dec(node.location());
                newRoot = child.location();
            }
            node = child;
        }
        ByteBuffer n = node.data();
        int i = BTreeNode.search(n, key);
        if (i < 0) {
            throw tree.validator().corrupt(node.location(), "key " + Long.toUnsignedString(key)
                    + " found by lookup but missing on the removal path");
        }
        long value = BTreeNode.value(n, i);
        BTreeNode.deleteAt(n, i);
        tree.valueType().dec(value);
        return newRoot;
    }

    /** Shadows child {@code i} and makes sure it can lose an entry; returns the node holding its entries. */
    private Block prepareChild(Block parent, int i) throws IOException {
        Block child = tree.shadowChild(parent, i);
        int min = BTreeNode.maxEntries(child.data()) / 3;
        if (BTreeNode.nrEntries(child.data()) > min || BTreeNode.nrEntries(parent.data()) == 1) {
            return child;
        }
        if (i > 0) {
            Block left = tree.shadowChild(parent, i - 1);
            return rebalance(parent, i - 1, left, child, false);
        }
        Block right = tree.shadowChild(parent, i + 1);
        return rebalance(parent, i, child, right, true);
    }

    /**
     * Rebalances the siblings at {@code leftIndex} and {@code leftIndex + 1}: merges them when the
     * sibling of the child is at the minimum too (the sum then fits one node), otherwise moves
     * entries from the sibling to the child. Returns the node now holding the child's entries.
     */
    private Block rebalance(Block parent, int leftIndex, Block left, Block right, boolean childIsLeft)
            throws IOException {
        ByteBuffer l = left.data();
        ByteBuffer r = right.data();
        ByteBuffer p = parent.data();
        if (BTreeNode.valueSize(l) != BTreeNode.valueSize(r) || BTreeNode.isLeaf(l) != BTreeNode.isLeaf(r)) {
            throw tree.validator().corrupt(right.location(), "sibling of block " + left.location() + " has another node type");
        }
        int nl = BTreeNode.nrEntries(l);
        int nr = BTreeNode.nrEntries(r);
        int max = Math.min(BTreeNode.maxEntries(l), BTreeNode.maxEntries(r));
        int min = max / 3;
        int nChild = childIsLeft ? nl : nr;
        int nSibling = childIsLeft ? nr : nl;
        if (nSibling <= min && nl + nr <= max) {
            BTreeNode.copyEntries(r, 0, l, nl, nr);
            BTreeNode.setNrEntries(l, nl + nr);
            BTreeNode.deleteAt(p, leftIndex + 1);
            // The right node's references to its children now belong to the left node.
            tm.dec(right.location());
            return left;
        }
        int move = Math.min((nl + nr + 1) / 2 - nChild, nSibling - min);
        if (move <= 0) {
            return childIsLeft ? left : right;
        }
        if (childIsLeft) {
            BTreeNode.copyEntries(r, 0, l, nl, move);
            BTreeNode.setNrEntries(l, nl + move);
            BTreeNode.dropFront(r, move);
        } else {
            BTreeNode.shiftRight(r, move);
            BTreeNode.copyEntries(l, nl - move, r, 0, move);
            BTreeNode.setNrEntries(r, nr + move);
            BTreeNode.truncate(l, nl - move);
        }
        BTreeNode.setKey(p, leftIndex + 1, BTreeNode.key(r, 0));
        return childIsLeft ? left : right;
    }
}
