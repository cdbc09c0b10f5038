package io.tiercache.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tiercache.core.dm.TargetException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The constructor's argument rules and error texts of target-semantics §1.2–§1.4 and §1.6. */
class CacheArgsTest {
    private static List<String> words(String s) {
        return Arrays.asList(s.trim().split("\\s+"));
    }

    @Test
    void theFullLineParses() throws Exception {
        CacheArgs a = CacheArgs.parse(words("M C O 128 2 metadata2 writethrough smq 2 migration_threshold 0"));
        assertThat(a.metadataDev()).isEqualTo("M");
        assertThat(a.cacheDev()).isEqualTo("C");
        assertThat(a.originDev()).isEqualTo("O");
        assertThat(a.blockSectors()).isEqualTo(128);
        assertThat(a.ioMode()).isEqualTo(IoMode.WRITETHROUGH);
        assertThat(a.metadata2()).isTrue();
        assertThat(a.discardPassdown()).isTrue();
        assertThat(a.policyName()).isEqualTo("smq");
        assertThat(a.policyArgs()).containsExactly("migration_threshold", "0");
    }

    @Test
    void defaultsAndIgnoredTrailingArguments() throws Exception {
        CacheArgs a = CacheArgs.parse(words("M C O +192 1 No_Discard_Passdown default 0 trailing junk"));
        assertThat(a.blockSectors()).as("192 is legal: multiples of 64, not powers of two").isEqualTo(192);
        assertThat(a.ioMode()).isEqualTo(IoMode.WRITEBACK);
        assertThat(a.discardPassdown()).isFalse();
        assertThat(a.policyName()).isEqualTo("default");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "M C|Insufficient args",
        "M C O|Insufficient args",
        "M C O 0 0 smq 0|Invalid data block size",
        "M C O 32 0 smq 0|Invalid data block size",
        "M C O 100 0 smq 0|Invalid data block size",
        "M C O 4194304 0 smq 0|Invalid data block size",
        "M C O -128 0 smq 0|Invalid data block size",
        "M C O 0x80 0 smq 0|Invalid data block size",
        "M C O 128 4 a b c d smq 0|Invalid number of cache feature arguments",
        "M C O 128 3 writeback|Invalid number of cache feature arguments",
        "M C O 128 1 migration_threshold smq 0|Unrecognised cache feature requested",
        "M C O 128 2 writeback passthrough smq 0|Duplicate cache io_mode features requested",
        "M C O 128 2 writeback writeback smq 0|Duplicate cache io_mode features requested",
        "M C O 128 0 smq 3 a b|Invalid number of policy arguments",
        "M C O 128 0 smq 1025|Invalid number of policy arguments",
        "M C O 128 0 smq|Insufficient args",
        "M C O 128 0|Insufficient args",
    })
    void refusalsUseTheKernelsWords(String line, String error) {
        assertThatThrownBy(() -> CacheArgs.parse(words(line)))
                .isInstanceOf(TargetException.class).hasMessage(error);
    }
}
