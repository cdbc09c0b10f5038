package io.tiercache.it;

import static io.tiercache.it.CacheRig.BLOCK;
import static io.tiercache.it.CacheRig.PASSTHROUGH;
import static io.tiercache.it.CacheRig.WRITEBACK_T0;
import static io.tiercache.it.CacheRig.fileBytes;
import static io.tiercache.it.CacheRig.filled;
import static io.tiercache.it.CacheRig.pattern;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.it.CacheRig.Fx;
import io.tiercache.it.CacheRig.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Target-semantics §10 crash cases, S9, S12 and S14: the daemon's JVM is SIGKILLed (no suspend, no
 * remove) and a new daemon started on the same state folder, which re-creates the recorded devices
 * as boot-time activation would. Data goes through NBD (qemu-io, nbdsh).
 */
class CacheCrashIT {

    @RegisterExtension
    static final CacheRig rig = new CacheRig();

    /** S9, upstream reproducer (b): an unclean stop, then a passthrough create must fail. */
    @Test
    void s09_uncleanShutdownThenPassthrough() throws Exception {
        Fx fx = rig.fixture("s09");
        CacheRig.writeFile(fx.meta(), 0, new byte[4096]);
        rig.create(fx, WRITEBACK_T0);
        rig.qemuIo(fx, "write -P 0x50 0 64k");
        assertThat(rig.status(fx).dirty()).isEqualTo(1); // also commits the mapping, not the dirty bit
        // The user's next step is a passthrough create, not the recorded writeback table: forget it.
        rig.daemon.kill();
        Files.delete(rig.dir.resolve("state/devices/s09.table"));
        rig.restart();
        assertThat(rig.exists(fx)).isFalse();
        assertThat(fileBytes(fx.cache(), 0, BLOCK)).isEqualTo(filled(BLOCK, 'P'));
        assertThat(fileBytes(fx.origin(), 0, BLOCK)).isEqualTo(pattern(0, BLOCK));

        long mark = rig.logMark();
        rig.fails("resume", "Invalid argument", "create", "s09", "--table", fx.table(PASSTHROUGH));
        assertThat(rig.logSince(mark)).contains("cache: s09: unable to resume into passthrough mode after unclean "
                + "shutdown");
        assertThat(rig.exists(fx)).isFalse();

        rig.create(fx, WRITEBACK_T0);
        Status s = rig.status(fx);
        assertThat(List.of(s.mode(), s.needsCheck())).containsExactly("rw", false);
        assertThat(s.dirty()).as("loaded dirty because of the crash").isEqualTo(1);
        rig.qemuIo(fx, "read -P 0x50 0 64k");
        assertThat(fileBytes(fx.origin(), 0, BLOCK)).as("the origin was never half-overwritten")
                .isEqualTo(pattern(0, BLOCK));
    }

    /** S12: clean blocks come back dirty after a crash; writing them back changes nothing. */
    @Test
    void s12_uncleanStopLoadsEverythingDirty() throws Exception {
        Fx fx = rig.fixture("s12");
        rig.create(fx, "0 smq 2 migration_threshold 0");
        long[] blocks = {0, 5, 10, 15, 20, 25, 30, 35};
        rig.writeBlocks(fx, 'a', blocks);
        rig.message(fx, "migration_threshold", "2048");
        rig.await(fx, "dirty = 0", Duration.ofSeconds(30), s -> s.dirty() == 0);
        rig.status(fx); // a commit
        rig.crashAndRestart();

        assertThat(rig.table(fx)).as("re-created with the recorded table").isEqualTo(fx.table(
                "0 smq 2 migration_threshold 0") + "\n");
        Status s = rig.status(fx);
        assertThat(List.of(s.used(), s.dirty())).containsExactly(8L, 8L);
        for (int i = 0; i < blocks.length; i++) {
            rig.qemuIo(fx, "read -P " + ('a' + i) + " " + blocks[i] * BLOCK + " 64k");
        }
        byte[] origin = fileBytes(fx.origin(), 0, 36 * BLOCK);
        rig.message(fx, "migration_threshold", "2048");
        rig.await(fx, "dirty = 0", Duration.ofSeconds(30), st -> st.dirty() == 0);
        assertThat(fileBytes(fx.origin(), 0, 36 * BLOCK)).isEqualTo(origin);
        assertThat(rig.status(fx).used()).isEqualTo(8);
    }

    /**
     * A 64 KiB write of P at 0 by nbdsh, then (if {@code flush}) an NBD FLUSH; once nbdsh says so,
     * while it still holds the connection, the daemon is SIGKILLed and restarted.
     */
    private static void writeThenCrash(Fx fx, boolean flush) throws Exception {
        Path out = rig.dir.resolve(fx.name() + ".nbdsh.out");
        String script = "h.pwrite(b'P' * 65536, 0)\n" + (flush ? "h.flush()\n" : "")
                + "print('done', flush=True)\nimport time\ntime.sleep(30)\n";
        Proc.requireProgram("nbdsh");
        ProcessBuilder pb = new ProcessBuilder("nbdsh", "-u", rig.daemon.uri(fx.name()), "-c", script)
                .redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().putAll(CacheRig.nbdshEnv());
        Process client = pb.start();
        try {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.readString(out, StandardCharsets.UTF_8).contains("done")) {
                if (!client.isAlive() || System.nanoTime() > end) {
                    throw new AssertionError("nbdsh: " + Files.readString(out, StandardCharsets.UTF_8));
                }
                Thread.sleep(2);
            }
            rig.daemon.kill(); // within a few ms of the acknowledgement: the poll above is every 2 ms
        } finally {
            client.destroyForcibly();
        }
        rig.restart();
    }

    /** S14: a FLUSH makes the promotion durable. */
    @Test
    void s14_flushMakesPromotionDurable() throws Exception {
        Fx fx = rig.fixture("s14");
        rig.create(fx, "0 smq 2 migration_threshold 0");
        writeThenCrash(fx, true);
        Status s = rig.status(fx);
        assertThat(List.of(s.used(), s.dirty())).containsExactly(1L, 1L);
        rig.qemuIo(fx, "read -P 0x50 0 64k");
    }

    /** S14 variant: without a FLUSH the block reads entirely P or entirely O, never a mixture. */
    @Test
    void s14_withoutFlushNoTornBlock() throws Exception {
        Fx fx = rig.fixture("s14nf");
        rig.create(fx, "0 smq 2 migration_threshold 0");
        writeThenCrash(fx, false);
        Status s = rig.status(fx);
        assertThat(List.of(s.mode(), s.needsCheck())).containsExactly("rw", false);
        byte[] got = rig.read(fx, 0, BLOCK);
        assertThat(Arrays.equals(got, filled(BLOCK, 'P')) || Arrays.equals(got, pattern(0, BLOCK)))
                .as("entirely P or entirely O").isTrue();
    }
}
