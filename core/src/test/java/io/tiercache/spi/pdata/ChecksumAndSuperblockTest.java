package io.tiercache.spi.pdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Checksum vectors of spec §2 and the superblock codec against every fixture (spec §3). */
class ChecksumAndSuperblockTest {
    @Test
    void crc32cSanityVector() {
        CRC32C crc = new CRC32C();
        crc.update("123456789".getBytes(StandardCharsets.US_ASCII));
        assertThat(crc.getValue()).isEqualTo(0xE3069283L);
    }

    @ParameterizedTest
    @CsvSource({"SUPERBLOCK, 584476B8", "BTREE_NODE, 58CC7E82", "INDEX, 58CFD54F", "BITMAP, 58CE0B1A",
        "ARRAY_BLOCK, 7B4E41DE"})
    void checksumOfAZeroBlock(BlockKind kind, String expected) {
        ByteBuffer zero = ByteBuffer.allocate(BlockManager.BLOCK_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(Checksum.compute(zero, kind.salt())).isEqualTo(Integer.parseUnsignedInt(expected, 16));
        Checksum.stamp(zero, kind.salt());
        assertThat(zero.array()[0] & 0xFF).as("stored little-endian").isEqualTo(Integer.parseInt(expected.substring(6), 16));
    }

    static java.util.List<Path> images() throws IOException {
        return Fixture.images();
    }

    /** Decoding then encoding block 0 of every fixture gives back the same 4096 bytes. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void superblockRoundTripsByteForByte(Path image) throws IOException {
        byte[] block = new byte[BlockManager.BLOCK_SIZE];
        System.arraycopy(Files.readAllBytes(image), 0, block, 0, block.length);
        CacheSuperblock sb = CacheSuperblock.decode(ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN));
        ByteBuffer out = ByteBuffer.allocate(BlockManager.BLOCK_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        sb.encode(out);
        CacheSuperblock.VALIDATOR.prepareForWrite(out, 0);
        assertThat(out.array()).isEqualTo(block);
    }

    @Test
    void superblockErrorsNameTheProblem() throws IOException {
        byte[] block = new byte[BlockManager.BLOCK_SIZE];
        System.arraycopy(Files.readAllBytes(ThinTools.FIXTURES.resolve("small.v2.tpt11.bin")), 0, block, 0, block.length);
        ByteBuffer b = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(40, 3);
        assertThatThrownBy(() -> CacheSuperblock.decode(b)).hasMessageContaining("metadata block 0 (cache superblock)")
                .hasMessageContaining("checksum mismatch");
        CacheSuperblock.VALIDATOR.prepareForWrite(b, 0);
        assertThatThrownBy(() -> CacheSuperblock.decode(b)).hasMessageContaining("unsupported metadata version 3");
        b.putInt(40, 2).putLong(32, 12345);
        CacheSuperblock.VALIDATOR.prepareForWrite(b, 0);
        assertThatThrownBy(() -> CacheSuperblock.decode(b)).hasMessageContaining("bad magic");
    }
}
