package io.tiercache.it;

import static io.tiercache.it.CacheRig.BLOCK;
import static io.tiercache.it.CacheRig.fileBytes;
import static io.tiercache.it.CacheRig.filled;
import static io.tiercache.it.CacheRig.pattern;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.it.CacheRig.Fx;
import io.tiercache.it.CacheRig.Status;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Target-semantics §10, S1–S7, S13, S16, S17 and S20, end to end: one packaged daemon, each scenario
 * on its own device and files, tables and status through the CLI, data through NBD with qemu-io,
 * nbdsh and fio, and the backing files read directly.
 */
class CacheScenariosIT {
    @RegisterExtension
    static final CacheRig rig = new CacheRig();

    /** S1: refused tables fail with EINVAL and the ctr error and leave no device; the accepted ones work. */
    @Test
    void s01_constructorValidation() throws Exception {
        Fx fx = rig.fixture("s01");
        String[][] refused = {
            {"0 0 smq 0", "Invalid data block size"},
            {"32 0 smq 0", "Invalid data block size"},
            {"63 0 smq 0", "Invalid data block size"},
            {"96 0 smq 0", "Invalid data block size"},
            {"2097216 0 smq 0", "Invalid data block size"},
            {"abc 0 smq 0", "Invalid data block size"},
            {"2097152 0 smq 0", "Data block size is larger than the cache device"},
            {"128 1 writefoobar smq 0", "Unrecognised cache feature requested"},
            {"128 2 writeback writethrough smq 0", "Duplicate cache io_mode features requested"},
            {"128 2 writeback writeback smq 0", "Duplicate cache io_mode features requested"},
            {"128 4 metadata2 writeback metadata2 metadata2 smq 0", "Invalid number of cache feature arguments"},
            {"128 0 time_traveller 0", "Error creating cache's policy"},
            {"128 0 smq 1 migration_threshold", "Error setting cache policy's config values"},
            {"128 0 smq 2 random_threshold 4", "Error setting cache policy's config values"},
            {"128 1 migration_threshold smq 0", "Unrecognised cache feature requested"},
            {"128 0", "Insufficient args"},
        };
        String prefix = "0 " + fx.sectors() + " cache " + fx.meta() + " " + fx.cache() + " " + fx.origin() + " ";
        for (String[] r : refused) {
            long mark = rig.logMark();
            rig.fails("reload", "Invalid argument", "create", "s01", "--table", prefix + r[0]);
            assertThat(rig.logSince(mark)).as(r[0]).contains("table: s01: cache: " + r[1]);
            assertThat(rig.exists(fx)).as("no device after '%s'", r[0]).isFalse();
        }
        for (String ok : List.of("64 0 smq 0", "128 0 smq 0", "192 0 smq 0",
                "128 0 mq 4 sequential_threshold 1024 random_threshold 8", "128 0 smq 2 migration_threshold 0",
                "128 3 metadata2 passthrough no_discard_passdown smq 0")) {
            CacheRig.writeFile(fx.meta(), 0, new byte[4 << 20]);
            rig.cli("create", "s01", "--table", prefix + ok).ok();
            assertThat(rig.status(fx).mode()).as(ok).isEqualTo("rw");
            rig.cli("remove", "s01").ok();
        }
        CacheRig.sized(fx.cache(), 1L << 30);
        CacheRig.writeFile(fx.meta(), 0, new byte[4 << 20]);
        rig.cli("create", "s01", "--table", prefix + "2097152 0 smq 0").ok();
        Status s = rig.status(fx);
        assertThat(List.of(s.blockSize(), s.total())).containsExactly(2097152L, 1L);
        rig.cli("remove", "s01").ok();
    }

    /** S2: the fresh status line, the table echo and the targets list, through the real launcher too. */
    @Test
    void s02_freshStatusTableTargets() throws Exception {
        Fx fx = rig.fixture("s02");
        rig.create(fx, "0 default 0");
        String status = rig.launcher("status", "s02").ok().out();
        assertThat(status).matches("0 32768 cache 8 [1-9][0-9]*/1024 128 0/128 0 0 0 0 0 0 0 1 writeback "
                + "2 migration_threshold 2048 smq 0 rw - \n");
        assertThat(rig.status(fx).line() + "\n").isEqualTo(status);
        assertThat(rig.table(fx)).isEqualTo(fx.table("0 default 0") + "\n").endsWith(" 128 0 default 0\n");
        assertThat(rig.launcher("targets").ok().out()).contains("cache            v2.4.0\n");
        rig.cli("remove", "s02").ok();

        Fx mq = rig.fixture("s02mq");
        rig.create(mq, "2 metadata2 no_discard_passdown mq 0");
        Status s = rig.status(mq);
        assertThat(s.features()).containsExactly("metadata2", "writeback", "no_discard_passdown");
        assertThat(s.line()).contains(" 3 metadata2 writeback no_discard_passdown 2 migration_threshold 2048 mq 10 "
                + "random_threshold 0 sequential_threshold 0 discard_promote_adjustment 0 read_promote_adjustment 0 "
                + "write_promote_adjustment 0 rw - ");
    }

    /** S3 on {@code fx}: one full-block write of P at 0 is an overwrite promotion into cblock 0. */
    private static void overwritePromotion(Fx fx) throws Exception {
        rig.create(fx, "0 smq 2 migration_threshold 0");
        rig.qemuIo(fx, "write -P 0x50 0 64k");
        Status s = rig.status(fx);
        assertThat(List.of(s.promotions(), s.used(), s.dirty())).containsExactly(1L, 1L, 1L);
        assertThat(s.hitsAndMisses()).containsOnly(0L);
    }

    /** S3 + S4: a clean cached block 0 holding P. */
    private static void cleanBlockZero(Fx fx) throws Exception {
        overwritePromotion(fx);
        rig.message(fx, "migration_threshold", "2048");
        rig.await(fx, "dirty = 0", Duration.ofSeconds(30), s -> s.dirty() == 0);
    }

    @Test
    void s03_writebackOverwritePromotion() throws Exception {
        Fx fx = rig.fixture("s03");
        overwritePromotion(fx);
        rig.qemuIo(fx, "read -P 0x50 0 64k");
        assertThat(fileBytes(fx.origin(), 0, BLOCK)).as("origin still O").isEqualTo(pattern(0, BLOCK));
        assertThat(fileBytes(fx.cache(), 0, BLOCK)).as("cblock 0 holds P").isEqualTo(filled(BLOCK, 'P'));
        assertThat(rig.status(fx).readHits()).isEqualTo(1);
        rig.qemuIo(fx, "write -P 0x51 4096 4k");
        Status s = rig.status(fx);
        assertThat(List.of(s.writeHits(), s.dirty())).containsExactly(1L, 1L);
        rig.qemuIo(fx, "read -P 0x51 4096 4k");
        assertThat(rig.status(fx).readHits()).isEqualTo(2);
    }

    @Test
    void s04_writebackCleansWhenIdleWithDirtyEvent() throws Exception {
        Fx fx = rig.fixture("s04");
        overwritePromotion(fx);
        rig.qemuIo(fx, "write -P 0x51 4096 4k");
        Thread.sleep(3000); // the control (20 s in §10, shortened): threshold 0 never writes back
        assertThat(rig.status(fx).dirty()).isEqualTo(1);
        rig.message(fx, "migration_threshold", "2048");
        long events = rig.events(fx);
        Status s = rig.await(fx, "dirty = 0", Duration.ofSeconds(30), st -> st.dirty() == 0);
        assertThat(s.used()).isEqualTo(1);
        assertThat(rig.events(fx)).isGreaterThan(events);
        assertThat(fileBytes(fx.origin(), 0, BLOCK)).isEqualTo(rig.read(fx, 0, BLOCK));
        assertThat(fileBytes(fx.origin(), 0, 8192)).isEqualTo(concat(filled(4096, 'P'), filled(4096, 'Q')));
    }

    @Test
    void s05_writethrough() throws Exception {
        Fx fx = rig.fixture("s05");
        cleanBlockZero(fx);
        rig.reloadResume(fx, "1 writethrough smq 0");
        Status before = rig.status(fx);
        rig.qemuIo(fx, "write -P 0x51 0 4k");
        assertThat(fileBytes(fx.origin(), 0, 4096)).isEqualTo(filled(4096, 'Q'));
        Status s = rig.status(fx);
        assertThat(s.writeHits()).isEqualTo(before.writeHits() + 1);
        assertThat(s.dirty()).isZero();
        rig.qemuIo(fx, "read -P 0x51 0 4k");
        rig.qemuIo(fx, "write -P 0x4d 10M 4k");
        s = rig.status(fx);
        assertThat(s.writeMisses()).isEqualTo(before.writeMisses() + 1);
        assertThat(s.dirty()).isZero();
        assertThat(fileBytes(fx.origin(), 10L << 20, 4096)).isEqualTo(filled(4096, 'M'));
    }

    /** S6: three passes of fio writing then verifying the whole device in 64 KiB requests. */
    @Test
    void s06_passthroughNeverPromotes() throws Exception {
        Fx fx = rig.fixture("s06");
        rig.create(fx, "1 passthrough smq 0");
        for (int pass = 0; pass < 3; pass++) {
            Proc fio = Proc.run(rig.dir, List.of("fio", "--name=pass" + pass, "--ioengine=nbd", "--uri="
                    + rig.daemon.uri("s06"), "--rw=write", "--bs=64k", "--size=16m", "--iodepth=4",
                    "--verify=pattern", "--verify_pattern=0x" + (61 + pass), "--do_verify=1",
                    "--output=" + rig.dir.resolve("fio-s06-" + pass + ".out"))).ok();
            assertThat(fio.out() + fio.err()).doesNotContain("verify:").doesNotContain("error=");
        }
        Status s = rig.status(fx);
        assertThat(List.of(s.promotions(), s.used(), s.dirty(), s.demotions())).containsOnly(0L);
        assertThat(s.readHits() + s.writeHits()).isZero();
        for (long off = 0; off < 16L << 20; off += 1 << 20) {
            assertThat(fileBytes(fx.origin(), off, 1 << 20)).as("origin at %d", off).isEqualTo(filled(1 << 20, 0x63));
        }
    }

    @Test
    void s07_passthroughReadsOriginAndWriteHitInvalidates() throws Exception {
        Fx fx = rig.fixture("s07");
        cleanBlockZero(fx);
        rig.reloadResume(fx, "1 passthrough smq 0");
        assertThat(rig.status(fx).used()).isEqualTo(1);
        CacheRig.writeFile(fx.cache(), 0, filled(4096, 'X'));
        Status before = rig.status(fx);
        rig.qemuIo(fx, "read -P 0x50 0 4k");
        Status s = rig.status(fx);
        assertThat(List.of(s.readHits(), s.used())).containsExactly(before.readHits() + 1, 1L);
        rig.qemuIo(fx, "write -P 0x52 0 4k");
        s = rig.status(fx);
        assertThat(List.of(s.used(), s.demotions(), s.writeHits())).containsExactly(0L, 1L, before.writeHits() + 1);
        assertThat(fileBytes(fx.origin(), 0, 4096)).isEqualTo(filled(4096, 'R'));
        assertThat(fileBytes(fx.origin(), 4096, BLOCK - 4096)).isEqualTo(filled(BLOCK - 4096, 'P'));
        rig.qemuIo(fx, "read -P 0x52 0 4k");
        rig.qemuIo(fx, "write -P 0x53 0 4k");
        assertThat(rig.status(fx).writeMisses()).isEqualTo(before.writeMisses() + 1);
    }

    @Test
    void s13_messages() throws Exception {
        Fx fx = rig.fixture("s13");
        rig.create(fx, "0 smq 0");
        rig.message(fx, "migration_threshold", "4096");
        assertThat(rig.status(fx).migrationThreshold()).isEqualTo(4096);
        assertThat(rig.table(fx)).isEqualTo(fx.table("0 smq 0") + "\n");
        for (List<String> bad : List.of(List.of("migration_threshold", "abc"), List.of("migration_threshold", "-1"),
                List.of("migration_threshold"), List.of("foo", "1"), List.of("random_threshold", "5"),
                List.of("a", "b", "c"))) {
            List<String> args = new java.util.ArrayList<>(List.of("message", "s13", "0"));
            args.addAll(bad);
            rig.fails("message", "Invalid argument", args.toArray(String[]::new));
        }
        rig.fails("message", "Operation not permitted", "message", "s13", "0", "invalidate_cblocks", "0");
        assertThat(rig.status(fx).migrationThreshold()).isEqualTo(4096);
        rig.reloadResume(fx, "1 writethrough smq 0");
        rig.fails("message", "Operation not permitted", "message", "s13", "0", "invalidate_cblocks", "0");

        Fx mq = rig.fixture("s13mq");
        rig.create(mq, "1 writethrough mq 0");
        rig.message(mq, "random_threshold", "5");
        assertThat(rig.status(mq).policyArgs()).containsExactly("random_threshold", "0", "sequential_threshold", "0",
                "discard_promote_adjustment", "0", "read_promote_adjustment", "0", "write_promote_adjustment", "0");
    }

    /** S16 (a, c, d): discards pass down (a hole in the origin file) and make the next write a promotion. */
    @Test
    void s16_discards() throws Exception {
        Fx fx = rig.fixture("s16");
        rig.create(fx, "0 smq 2 migration_threshold 0");
        rig.nbdsh(fx, "h.trim(65536, 131072)").ok();
        assertThat(fileBytes(fx.origin(), 128 << 10, BLOCK)).as("the origin got the discard (a hole)")
                .isEqualTo(new byte[BLOCK]);
        assertThat(fileBytes(fx.origin(), 192 << 10, 512)).isEqualTo(pattern(192 << 10, 512));
        assertThat(rig.status(fx).used()).isZero();

        rig.nbdsh(fx, "h.trim(65536, 5 * 65536)").ok();
        rig.write(fx, 5L * BLOCK + 4096, filled(4096, 'D'));
        Status s = rig.status(fx);
        assertThat(List.of(s.promotions(), s.dirty())).containsExactly(1L, 1L);
        assertThat(s.hitsAndMisses()).containsOnly(0L);
        assertThat(rig.read(fx, 5L * BLOCK + 4096, 4096)).isEqualTo(filled(4096, 'D'));

        // (c) libnbd checks bounds itself; with that off the server's answer is seen.
        Proc past = rig.nbdsh(fx, """
                h.set_strict_mode(0)
                try:
                    h.trim(8192, h.get_size() - 4096)
                    print('accepted')
                except nbd.Error as e:
                    print('refused', e.errno)
                """).ok();
        assertThat(past.out()).isEqualTo("refused EINVAL\n");
    }

    /** S16 (b): with no_discard_passdown the origin file keeps its data. */
    @Test
    void s16_noDiscardPassdown() throws Exception {
        Fx fx = rig.fixture("s16b");
        rig.create(fx, "1 no_discard_passdown smq 0");
        assertThat(rig.status(fx).features()).containsExactly("writeback", "no_discard_passdown");
        rig.nbdsh(fx, "h.trim(65536, 131072)").ok();
        assertThat(fileBytes(fx.origin(), 128 << 10, BLOCK)).isEqualTo(pattern(128 << 10, BLOCK));
    }

    /** S17: the last 100 sectors are a partial block: straight to the origin, never counted or promoted. */
    @Test
    void s17_partialTailBlock() throws Exception {
        Fx fx = rig.fixture("s17", 8, CacheRig.ORIGIN_SECTORS + 100, CacheRig.ORIGIN_SECTORS + 100);
        rig.create(fx, "0 smq 0");
        long tail = CacheRig.ORIGIN_SECTORS * 512;
        Status before = rig.status(fx);
        rig.write(fx, tail + 512, filled(4096, 'T'));
        assertThat(fileBytes(fx.origin(), tail + 512, 4096)).isEqualTo(filled(4096, 'T'));
        Proc reads = rig.nbdsh(fx, "bad = sum(1 for i in range(100) if h.pread(512, " + tail + ") != bytes.fromhex('"
                + java.util.HexFormat.of().formatHex(pattern(tail, 512)) + "'))\nh.pread(51200, " + tail
                + ")\nprint(bad)").ok();
        assertThat(reads.out()).isEqualTo("0\n");
        Status s = rig.status(fx);
        assertThat(s.hitsAndMisses()).isEqualTo(before.hitsAndMisses());
        assertThat(List.of(s.used(), s.promotions())).containsOnly(0L);
    }

    /** S20: hit/miss counters survive a clean remove and create; promotions/demotions do not; dirty reloads. */
    @Test
    void s20_countersPersistence() throws Exception {
        Fx fx = rig.fixture("s20");
        rig.create(fx, "0 smq 2 migration_threshold 0");
        rig.nbdsh(fx, """
                h.pwrite(b'P' * 65536, 0)
                h.pread(4096, 0)
                h.pread(4096, 10 * 65536)
                h.pwrite(b'w' * 512, 0)
                h.pwrite(b'w' * 512, 20 * 65536)
                """).ok();
        Status before = rig.status(fx);
        assertThat(before.hitsAndMisses()).containsExactly(1L, 1L, 1L, 1L);
        rig.cli("remove", "s20").ok();
        rig.create(fx, "0 smq 2 migration_threshold 0");
        Status after = rig.status(fx);
        assertThat(after.hitsAndMisses()).isEqualTo(before.hitsAndMisses());
        assertThat(List.of(after.promotions(), after.demotions())).containsOnly(0L);
        assertThat(after.dirty()).isEqualTo(before.dirty()).isEqualTo(1);
        assertThat(rig.read(fx, 0, 512)).isEqualTo(filled(512, 'w'));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
