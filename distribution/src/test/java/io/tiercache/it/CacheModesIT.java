package io.tiercache.it;

import static io.tiercache.it.CacheRig.BLOCK;
import static io.tiercache.it.CacheRig.PASSTHROUGH;
import static io.tiercache.it.CacheRig.WRITEBACK_T0;
import static io.tiercache.it.CacheRig.fileBytes;
import static io.tiercache.it.CacheRig.filled;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.core.device.FileDevice;
import io.tiercache.core.tools.Tools;
import io.tiercache.it.CacheRig.Fx;
import io.tiercache.it.CacheRig.Status;
import io.tiercache.spi.pdata.CacheSuperblock;
import io.tiercache.spi.pdata.TransactionManager;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Target-semantics §10, S8, S10, S11, S18 and S22 (mode switches, the 2026 fixes, needs_check), and
 * what a clean {@code remove} leaves on disk as judged by thin-provisioning-tools 0.9 and 1.1; one
 * packaged daemon, data through NBD.
 */
class CacheModesIT {

    @RegisterExtension
    static final CacheRig rig = new CacheRig();

    @Test
    void s08_passthroughRefusedWithDirtyMappingsAfterCleanStop() throws Exception {
        Fx fx = rig.fixture("s08");
        rig.create(fx, "0 smq 2 migration_threshold 0");
        rig.qemuIo(fx, "write -P 0x50 0 64k");
        assertThat(rig.status(fx).dirty()).isEqualTo(1);
        rig.cli("remove", "s08").ok();

        long mark = rig.logMark();
        rig.fails("resume", "Device or resource busy", "create", "s08", "--table", fx.table("1 passthrough smq 0"));
        assertThat(rig.logSince(mark)).contains("s08: cannot enter passthrough mode unless all blocks are clean")
                .contains("could not load cache mappings");
        assertThat(rig.exists(fx)).isFalse();

        mark = rig.logMark();
        rig.fails("resume", "Invalid argument", "create", "s08", "--table", fx.table("1 passthrough smq 0"));
        assertThat(rig.logSince(mark)).contains("s08: unable to resume into passthrough mode after unclean shutdown")
                .doesNotContain("cannot enter passthrough mode");
        assertThat(rig.exists(fx)).isFalse();

        rig.create(fx, "0 smq 2 migration_threshold 0");
        Status s = rig.status(fx);
        assertThat(List.of(s.mode(), s.needsCheck(), s.dirty())).containsExactly("rw", false, 1L);
        rig.qemuIo(fx, "read -P 0x50 0 64k");
    }

    @Test
    void s10_passthroughPreloadedWhileWritesContinue() throws Exception {
        Fx fx = rig.fixture("s10");
        rig.create(fx, WRITEBACK_T0);
        rig.cli("reload", "s10", "--table", fx.table(PASSTHROUGH)).ok();
        rig.qemuIo(fx, "write -P 0x50 0 64k");
        assertThat(rig.status(fx).dirty()).isEqualTo(1);

        long mark = rig.logMark();
        rig.fails("resume", "Device or resource busy", "resume", "s10");
        assertThat(rig.logSince(mark)).contains("cannot enter passthrough mode unless all blocks are clean")
                .contains("could not load cache mappings");
        assertThat(rig.cli("info", "s10").ok().out()).contains("State:             SUSPENDED\n")
                .contains("Tables present:    LIVE\n");
        assertThat(rig.table(fx)).isEqualTo(fx.table(PASSTHROUGH) + "\n");
        Status s = rig.status(fx);
        assertThat(List.of(s.mode(), s.needsCheck())).containsExactly("rw", false);

        mark = rig.logMark();
        rig.fails("resume", "Invalid argument", "resume", "s10");
        assertThat(rig.logSince(mark)).contains("unable to resume cache due to missing proper cache table reload")
                .doesNotContain("unclean shutdown");

        rig.cli("reload", "s10", "--table", fx.table(WRITEBACK_T0)).ok();
        rig.cli("resume", "s10").ok();
        s = rig.status(fx);
        assertThat(List.of(s.dirty(), s.needsCheck(), s.mode())).containsExactly(1L, false, "rw");
        rig.qemuIo(fx, "read -P 0x50 0 64k");
    }

    @Test
    void s11_safeLvmStyleSwitchToPassthrough() throws Exception {
        Fx fx = rig.fixture("s11");
        rig.create(fx, "0 smq 2 migration_threshold 0");
        long[] blocks = LongStream.range(0, 20).map(i -> 3 * i).toArray();
        rig.writeBlocks(fx, 'a', blocks);
        assertThat(rig.status(fx).dirty()).isEqualTo(20);
        rig.cli("reload", "s11", "--table", fx.table("0 cleaner 0")).ok();
        rig.cli("resume", "s11").ok();
        long events = rig.events(fx);
        rig.await(fx, "dirty = 0", Duration.ofSeconds(60), s -> s.dirty() == 0);
        assertThat(rig.events(fx)).isGreaterThan(events);
        rig.cli("reload", "s11", "--table", fx.table("1 passthrough smq 0")).ok();
        rig.cli("resume", "s11").ok();
        Status s = rig.status(fx);
        assertThat(s.used()).isEqualTo(20);
        assertThat(s.features()).containsExactly("passthrough");
        for (int i = 0; i < 20; i++) {
            long off = blocks[i] * BLOCK;
            assertThat(fileBytes(fx.origin(), off, BLOCK)).as("block %d", blocks[i]).isEqualTo(filled(BLOCK, 'a' + i))
                    .isEqualTo(rig.read(fx, off, BLOCK));
        }
    }

    /** Two nbdsh clients writing concurrently, each its own connection; returns when both exit 0. */
    private static void twoWriters(Fx fx, String script) throws Exception {
        List<CompletableFuture<Proc>> writers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            String s = "w = " + w + "\n" + script;
            writers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return rig.nbdsh(fx, s);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (CompletableFuture<Proc> f : writers) {
            f.get(60, TimeUnit.SECONDS).ok();
        }
    }

    @Test
    void s18_concurrentWritersInPassthrough() throws Exception {
        Fx fx = rig.fixture("s18");
        rig.create(fx, "0 smq 2 migration_threshold 0");
        rig.qemuIo(fx, "write -P 0x50 0 64k");
        rig.message(fx, "migration_threshold", "2048");
        rig.await(fx, "dirty = 0", Duration.ofSeconds(30), s -> s.dirty() == 0);
        rig.reloadResume(fx, "1 passthrough smq 0");
        assertThat(rig.status(fx).used()).isEqualTo(1);
        long start = System.nanoTime();
        twoWriters(fx, """
                for i in range(200):
                    h.pwrite(((w << 16) | i).to_bytes(4, 'big') * 1024, (w + 2 * (i % 8)) * 4096)
                """);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
        Status s = rig.status(fx);
        assertThat(s.used()).isZero();
        assertThat(s.demotions()).isGreaterThanOrEqualTo(1);
        for (int w = 0; w < 2; w++) {
            for (int k = 0; k < 8; k++) {
                int slot = w + 2 * k;
                byte[] last = CacheRig.stampBuffer(w << 16 | (192 + k), 4096).array();
                assertThat(rig.read(fx, slot * 4096L, 4096)).as("device slot %d", slot).isEqualTo(last);
                assertThat(fileBytes(fx.origin(), slot * 4096L, 4096)).as("origin slot %d", slot).isEqualTo(last);
            }
        }

        Fx many = rig.fixture("s18many");
        rig.create(many, "0 smq 0");
        rig.writeBlocks(many, 1, LongStream.range(0, 100).toArray());
        rig.await(many, "dirty = 0", Duration.ofSeconds(60), st -> st.dirty() == 0);
        rig.reloadResume(many, "1 passthrough smq 0");
        assertThat(rig.status(many).used()).isEqualTo(100);
        twoWriters(many, """
                for b in range(100):
                    h.pwrite(b'z' * 65536, b * 65536)
                """);
        s = rig.status(many);
        assertThat(s.used()).isZero();
        assertThat(s.demotions()).isGreaterThanOrEqualTo(100);
        assertThat(List.of(s.mode(), s.needsCheck())).containsExactly("rw", false);
        for (long b = 0; b < 100; b++) {
            assertThat(fileBytes(many.origin(), b * BLOCK, BLOCK)).as("origin block %d", b)
                    .isEqualTo(filled(BLOCK, 'z'));
        }
    }

    /** S22: needs_check, set on valid metadata, blocks activation until {@code tiercache check} clears it. */
    @Test
    void s22_needsCheckBlocksActivation() throws Exception {
        Fx fx = rig.fixture("s22");
        rig.create(fx, "0 smq 0");
        rig.cli("remove", "s22").ok();
        // No CLI verb sets the flag (only the kernel does, on a metadata failure): the metadata library does.
        try (FileDevice meta = FileDevice.open(fx.meta())) {
            TransactionManager tm = TransactionManager.open(meta, TransactionManager.Options.readWrite());
            tm.writeFlags(tm.superblock().flags() | CacheSuperblock.FLAG_NEEDS_CHECK);
        }
        long mark = rig.logMark();
        rig.fails("reload", "Invalid argument", "create", "s22", "--table", fx.table("0 smq 0"));
        assertThat(rig.logSince(mark)).contains("s22: cache: Unable to get write access to metadata, please "
                + "check/repair metadata.");
        assertThat(rig.exists(fx)).isFalse();
        Proc check = rig.launcher("check", "--clear-needs-check-flag", fx.meta().toString());
        assertThat(check.exit()).as(check.err()).isZero();
        rig.create(fx, "0 smq 0");
        Status s = rig.status(fx);
        assertThat(List.of(s.mode(), s.needsCheck())).containsExactly("rw", false);
    }

    /**
     * After a clean remove, both cache_checks pass, and cache_dump (0.9 and 1.1) shows as many
     * mappings and dirty bits as the last status did, and the very blocks written: with metadata
     * version 1 and 2.
     */
    @Test
    void cleanRemovePassesCacheCheckAndDumpMatchesStatus() throws Exception {
        for (String features : List.of("0", "1 metadata2")) {
            boolean v2 = features.contains("metadata2");
            Fx fx = rig.fixture(v2 ? "rmv2" : "rmv1");
            rig.create(fx, features + " smq 2 migration_threshold 0");
            rig.writeBlocks(fx, 'a', 0, 3, 6, 9, 12, 15);
            rig.message(fx, "migration_threshold", "2048");
            rig.await(fx, "dirty = 0", Duration.ofSeconds(30), s -> s.dirty() == 0);
            rig.message(fx, "migration_threshold", "0");
            rig.qemuIo(fx, "write -P 0x78 4k 4k", "write -P 0x78 " + 9 * BLOCK + " 4k",
                    "write -P 0x79 " + 40 * BLOCK + " 64k", "write -P 0x7a " + 41 * BLOCK + " 64k");
            Status s = rig.status(fx);
            assertThat(List.of(s.used(), s.dirty())).as(s.line()).containsExactly(8L, 4L);
            rig.cli("remove", fx.name()).ok();

            Proc check09 = Proc.run(rig.dir, List.of(Tools.tools09("cache_check").toString(), fx.meta().toString()));
            assertThat(check09.exit()).as("0.9 cache_check: " + check09.out() + check09.err()).isZero();
            Proc check11 = Proc.run(rig.dir, List.of(Tools.tools11("cache_check").toString(), fx.meta().toString()));
            assertThat(check11.exit()).as("1.1 cache_check: " + check11.out() + check11.err()).isZero();
            for (Path dump : List.of(Tools.tools09("cache_dump"), Tools.tools11("cache_dump"))) {
                String xml = Proc.run(rig.dir, List.of(dump.toString(), fx.meta().toString())).ok().out();
                assertThat(count(xml, "<mapping ")).as(dump + " mappings").isEqualTo(s.used());
                // Tools 0.9's cache_dump never reads the format-2 dirty bitset: it prints every v2
                // mapping clean (shared/fixtures/metadata/README.md). Tools 1.1 reads it.
                boolean blind = v2 && dump.equals(Tools.tools09("cache_dump"));
                assertThat(count(xml, "dirty=\"true\"")).as(dump + " dirty bits").isEqualTo(blind ? 0 : s.dirty());
                assertThat(xml).contains("block_size=\"128\"").contains("nr_cache_blocks=\"128\"")
                        .contains("policy=\"smq\"");
                Matcher m = Pattern.compile("origin_block=\"(\\d+)\" dirty=\"(true|false)\"").matcher(xml);
                List<String> mapped = new ArrayList<>();
                while (m.find()) {
                    mapped.add(m.group(1) + (m.group(2).equals("true") ? "d" : ""));
                }
                assertThat(mapped).as(dump.toString()).containsExactlyInAnyOrderElementsOf(blind
                        ? List.of("0", "3", "6", "9", "12", "15", "40", "41")
                        : List.of("0d", "3", "6", "9d", "12", "15", "40d", "41d"));
            }
        }
    }

    private static long count(String text, String what) {
        return Pattern.compile(Pattern.quote(what)).matcher(text).results().count();
    }
}
