package io.tiercache.it;

import static io.tiercache.it.CacheRig.BLOCK;
import static org.assertj.core.api.Assertions.assertThat;

import io.tiercache.it.CacheRig.Fx;
import io.tiercache.it.CacheRig.Status;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Target-semantics §10, S15, S19 and S21: idleness, the lifecycle under client load, and policy
 * switches, against one packaged daemon with NBD clients.
 */
class CacheLifecycleIT {
    private static final FileTime LONG_AGO = FileTime.fromMillis(978_307_200_000L); // 2001-01-01

    @RegisterExtension
    static final CacheRig rig = new CacheRig();

    /**
     * S15, writeback and writethrough side by side: after the clients stop and a settling time, no
     * write (mtime) and no read (atime, set into the past so that any read, even under relatime,
     * moves it) reaches any of the six files. §10 observes 30 s; 10 s here keeps the suite short and
     * still spans ten commit periods.
     */
    @Test
    void s15_noIoWhenIdle() throws Exception {
        Fx wb = rig.fixture("s15wb");
        Fx wt = rig.fixture("s15wt");
        rig.create(wb, "0 smq 0");
        rig.create(wt, "0 smq 0"); // writeback first: only writeback promotes full-block writes at once
        for (Fx fx : List.of(wb, wt)) {
            List<String> io = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                io.add("write -P " + (0x41 + i) + " " + (long) i * BLOCK + " 64k");
                io.add("read " + 7L * i * BLOCK + " 4k");
            }
            rig.qemuIo(fx, io.toArray(String[]::new));
            rig.await(fx, "clean", Duration.ofSeconds(30), s -> s.dirty() == 0);
            assertThat(rig.status(fx).used()).isGreaterThanOrEqualTo(5);
        }
        rig.reloadResume(wt, "1 writethrough smq 0");
        rig.qemuIo(wt, "write -P 0x61 0 4k", "read -P 0x61 0 4k", "read " + 100L * BLOCK + " 4k");
        Status s = rig.status(wt);
        assertThat(s.features()).containsExactly("writethrough");
        assertThat(s.used()).isGreaterThanOrEqualTo(5);
        assertThat(s.dirty()).isZero();
        Thread.sleep(5000);
        List<Path> files = List.of(wb.meta(), wb.cache(), wb.origin(), wt.meta(), wt.cache(), wt.origin());
        for (Path f : files) {
            Files.getFileAttributeView(f, BasicFileAttributeView.class).setTimes(null, LONG_AGO, null);
        }
        Map<Path, List<FileTime>> before = times(files);
        Thread.sleep(10_000);
        assertThat(times(files)).as("no I/O reached the files while idle").isEqualTo(before);

        // The control: a read miss reaches the origin file, and that is seen.
        rig.qemuIo(wb, "read " + 200L * BLOCK + " 4k");
        assertThat(times(List.of(wb.origin())).get(wb.origin()).get(1)).isNotEqualTo(LONG_AGO);
    }

    private static Map<Path, List<FileTime>> times(List<Path> files) throws Exception {
        Map<Path, List<FileTime>> m = new LinkedHashMap<>();
        for (Path f : files) {
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
            m.put(f, List.of(a.lastModifiedTime(), a.lastAccessTime()));
        }
        return m;
    }

    /**
     * S19: a verifying nbdsh client (write, read back, compare) runs throughout 20 suspend/resume
     * and 10 reload/suspend/resume cycles (gaps of 0.2 s rather than 1 s).
     */
    @Test
    void s19_suspendResumeAndReloadUnderLoad() throws Exception {
        Fx fx = rig.fixture("s19");
        rig.create(fx, "0 smq 0");
        Path stopFile = rig.dir.resolve("s19.stop");
        CompletableFuture<Proc> client = CompletableFuture.supplyAsync(() -> {
            try {
                return rig.nbdsh(fx, """
                        import os
                        r = 0
                        while not os.path.exists('%s'):
                            block = r %% 40
                            data = bytes([r %% 251]) * (65536 if r %% 3 == 0 else 8192)
                            h.pwrite(data, block * 65536)
                            if h.pread(len(data), block * 65536) != data:
                                raise SystemExit('block %%d round %%d read back wrong data' %% (block, r))
                            r += 1
                        print(r)
                        """.formatted(stopFile));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(1000);
        Status last = rig.status(fx);
        for (int i = 0; i < 20; i++) {
            rig.cli("suspend", "s19").ok();
            rig.cli("resume", "s19").ok();
            Thread.sleep(200);
            Status s = rig.status(fx);
            assertThat(s.readHits()).as("read hits, cycle %d", i).isGreaterThanOrEqualTo(last.readHits());
            assertThat(s.writeHits()).as("write hits, cycle %d", i).isGreaterThanOrEqualTo(last.writeHits());
            assertThat(s.readMisses() + s.writeMisses()).isGreaterThanOrEqualTo(last.readMisses() + last.writeMisses());
            last = s;
        }
        for (int i = 0; i < 10; i++) {
            rig.cli("reload", "s19", "--table", fx.table("0 smq 0")).ok();
            rig.cli("suspend", "s19").ok();
            rig.cli("resume", "s19").ok();
            Thread.sleep(200);
        }
        assertThat(client.isDone()).as("the client is still running").isFalse();
        Files.createFile(stopFile);
        Proc done = client.get(60, TimeUnit.SECONDS).ok();
        assertThat(Long.parseLong(done.out().strip())).as("verified rounds").isPositive();
        Status s = rig.status(fx);
        assertThat(List.of(s.mode(), s.needsCheck())).containsExactly("rw", false);
        assertThat(rig.cli("info", "s19").ok().out()).contains("State:             ACTIVE\n");
    }

    /** S21: cleaner, mq and smq in turn keep all 30 mappings; the cleaner never promotes. */
    @Test
    void s21_reloadPreservesMappingsAcrossPolicies() throws Exception {
        Fx fx = rig.fixture("s21");
        rig.create(fx, "0 smq 2 migration_threshold 0");
        rig.writeBlocks(fx, 0x40, LongStream.range(0, 30).toArray());
        rig.message(fx, "migration_threshold", "2048");
        Status prev = rig.await(fx, "some blocks clean", Duration.ofSeconds(30), s -> s.dirty() < 30);
        List<String> verify = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            verify.add("read -P " + (0x40 + i) + " " + (long) i * BLOCK + " 1k");
        }
        for (String policy : List.of("cleaner", "mq", "smq")) {
            rig.reloadResume(fx, "0 " + policy + " 2 migration_threshold 0");
            Status s = rig.status(fx);
            assertThat(s.used()).as(policy).isEqualTo(30);
            assertThat(s.policy()).isEqualTo(policy);
            assertThat(s.dirty()).as("%s may only reduce dirty", policy).isLessThanOrEqualTo(prev.dirty());
            rig.qemuIo(fx, verify.toArray(String[]::new));
            if (policy.equals("cleaner")) {
                rig.nbdsh(fx, """
                        for i in range(1000):
                            h.pread(4096, (100 + i % 100) * 65536)
                        """).ok();
            }
            s = rig.status(fx);
            assertThat(List.of(s.used(), s.promotions(), s.demotions())).as(policy).containsExactly(30L, 0L, 0L);
            assertThat(s.dirty()).isLessThanOrEqualTo(prev.dirty());
            prev = s;
        }
    }
}
