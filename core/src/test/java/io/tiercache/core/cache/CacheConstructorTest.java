package io.tiercache.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.core.dm.DmException;
import io.tiercache.spi.block.Errno;
import java.io.RandomAccessFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Target-semantics §1 and §2 through a real device mapper: S1 (constructor validation) and S2. */
class CacheConstructorTest extends CacheStackTest {

    CacheConstructorTest() {
        super(CacheStack::f);
    }

    /** S1: each fails with EINVAL and the kernel's ctr error, and leaves no device behind. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "0 smq 0|0|Invalid data block size",
        "0 smq 0|32|Invalid data block size",
        "0 smq 0|63|Invalid data block size",
        "0 smq 0|96|Invalid data block size",
        "0 smq 0|2097216|Invalid data block size",
        "0 smq 0|abc|Invalid data block size",
        "0 smq 0|2097152|Data block size is larger than the cache device",
        "1 writefoobar smq 0|128|Unrecognised cache feature requested",
        "2 writeback writethrough smq 0|128|Duplicate cache io_mode features requested",
        "2 writeback writeback smq 0|128|Duplicate cache io_mode features requested",
        "4 metadata2 writeback metadata2 metadata2 smq 0|128|Invalid number of cache feature arguments",
        "0 time_traveller 0|128|Error creating cache's policy",
        "0 smq 1 migration_threshold|128|Error setting cache policy's config values",
        "0 smq 2 random_threshold 4|128|Error setting cache policy's config values",
        "0 smq 2 migration_threshold -1|128|Error setting cache policy's config values",
        "1 migration_threshold smq 0|128|Unrecognised cache feature requested",
        "0|128|Insufficient args",
    })
    void refusedTablesLeaveNoDevice(String rest, String block, String error) {
        String line = "0 " + stack.originSectors + " cache m c o " + block + " " + rest;
        assertThatThrownBy(() -> proc.dm.create("cache", java.util.Optional.of(line)))
                .isInstanceOfSatisfying(DmException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL))
                .hasMessageEndingWith("cache: " + error);
        assertThat(proc.dm.names()).doesNotContain("cache");
        assertThat(proc.shared.openObjects()).as("the metadata object was released").isZero();
    }

    @Test
    void badDevicesAreNamed() {
        assertThatThrownBy(() -> proc.dm.create("cache", java.util.Optional.of(
                "0 " + stack.originSectors + " cache nosuch c o 128 0 smq 0")))
                .hasMessageEndingWith("cache: Error opening metadata device");
        assertThatThrownBy(() -> proc.dm.create("cache", java.util.Optional.of(
                "0 " + stack.originSectors + " cache m c nosuch 128 0 smq 0")))
                .hasMessageEndingWith("cache: Error opening origin device");
        assertThatThrownBy(() -> proc.dm.create("cache", java.util.Optional.of("0 " + stack.originSectors
                + " cache m c")))
                .hasMessageEndingWith("cache: Insufficient args");
        assertThatThrownBy(() -> proc.dm.create("cache", java.util.Optional.of(
                "0 " + (stack.originSectors + 8) + " cache m c o 128 0 smq 0")))
                .hasMessageContaining("too small for target");
    }

    /** S1's successful lines, each on freshly zeroed metadata. */
    @ParameterizedTest
    @ValueSource(strings = {"64 0 smq 0", "128 0 smq 0", "192 0 smq 0",
        "128 0 mq 4 sequential_threshold 1024 random_threshold 8", "128 0 smq 2 migration_threshold 0",
        "128 3 metadata2 passthrough no_discard_passdown smq 0"})
    void acceptedTables(String rest) throws Exception {
        proc.dm.create("cache", java.util.Optional.of("0 " + stack.originSectors + " cache m c o " + rest));
        assertThat(proc.status().mode()).isEqualTo("rw");
        proc.dm.remove("cache");
    }

    @Test
    void aOneGibBlockNeedsAOneGibCache() throws Exception {
        proc.close();
        try (RandomAccessFile f = new RandomAccessFile(stack.cache.toFile(), "rw")) {
            f.setLength(1L << 30);
        }
        proc = stack.process();
        proc.dm.create("cache", java.util.Optional.of("0 " + stack.originSectors + " cache m c o 2097152 0 smq 0"));
        assertThat(proc.status().total()).isEqualTo(1);
        assertThat(proc.status().blockSize()).isEqualTo(2097152);
    }

    /** S2: the fresh status line, table echo and targets list. */
    @Test
    void freshStatusAndTable() throws Exception {
        proc.create("0 default 0");
        Status s = proc.status();
        assertThat(s.line()).matches("0 262144 cache 8 [1-9][0-9]*/1024 128 0/1024 0 0 0 0 0 0 0 1 writeback "
                + "2 migration_threshold 2048 smq 0 rw - ");
        assertThat(s.mdTotal()).isEqualTo(1024);
        assertThat(proc.dm.table("cache", false)).containsExactly("0 262144 cache m c o 128 0 default 0");
        assertThat(proc.dm.types().find("cache").orElseThrow().version()).containsExactly(2, 4, 0);
    }

    @Test
    void freshStatusWithMq() throws Exception {
        proc.create("2 metadata2 no_discard_passdown mq 0");
        Status s = proc.status();
        assertThat(s.features()).containsExactly("metadata2", "writeback", "no_discard_passdown");
        assertThat(s.policy()).isEqualTo("mq");
        assertThat(String.join(" ", s.policyArgs())).isEqualTo("random_threshold 0 sequential_threshold 0 "
                + "discard_promote_adjustment 0 read_promote_adjustment 0 write_promote_adjustment 0");
        assertThat(s.line()).contains(" 3 metadata2 writeback no_discard_passdown 2 migration_threshold 2048 mq 10 ");
    }

    @Test
    void tableEchoesArgumentsVerbatimIncludingIgnoredOnes() throws Exception {
        proc.create("1 WriteThrough default 2 Migration_Threshold 100 trailing junk");
        assertThat(proc.dm.table("cache", false)).containsExactly(
                "0 262144 cache m c o 128 1 WriteThrough default 2 Migration_Threshold 100 trailing junk");
        Status s = proc.status();
        assertThat(s.features()).containsExactly("writethrough");
        assertThat(s.migrationThreshold()).isEqualTo(100);
    }

    @Test
    void aCacheTargetMustStartAtSectorZero() {
        assertThatThrownBy(() -> proc.dm.create("cache", java.util.Optional.of("0 8 linear " + stack.origin
                + " 0\n8 " + (stack.originSectors - 8) + " cache m c o 128 0 smq 0")))
                .hasMessageEndingWith("cache: Cache target must start at sector 0");
    }

    /** §5.3: a second table on the same metadata must use the same block size. */
    @Test
    void aSharedMetadataObjectKeepsItsBlockSize() throws Exception {
        proc.create("0 smq 0");
        try (LogCapture log = new LogCapture()) {
            assertThatThrownBy(() -> proc.dm.load("cache", "0 " + stack.originSectors + " cache m c o 256 0 smq 0"))
                    .hasMessageEndingWith("cache: Error creating metadata object");
            assertThat(log.contains("data_block_size (256) different from that in metadata (128)")).isTrue();
        }
        assertThat(proc.shared.openObjects()).isEqualTo(1);
    }

    /** Reopening existing metadata with another block size fails in the metadata layer. */
    @Test
    void existingMetadataKeepsItsBlockSize() throws Exception {
        proc.create("0 smq 0");
        proc.dm.remove("cache");
        try (LogCapture log = new LogCapture()) {
            assertThatThrownBy(() -> proc.dm.create("cache", java.util.Optional.of(
                    "0 " + stack.originSectors + " cache m c o 256 0 smq 0")))
                    .hasMessageEndingWith("cache: Error creating metadata object");
            assertThat(log.contains("changing the data block size (from 128 to 256) is not supported")).isTrue();
        }
    }
}
