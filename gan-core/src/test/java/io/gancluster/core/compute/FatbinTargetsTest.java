package io.gancluster.core.compute;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FatbinTargetsTest {
  @TempDir
  Path tmp;

  @Test
  void theTargetsOfEveryFatbinInTheLibraryAreRead() throws IOException {
    // two fatbins with padding between them, as nvcc links them: {sm_80 SASS, compute_86 PTX}, {sm_37 SASS}
    Path lib = elf(".nv_fatbin", fatbin(new int[][] {{2, 80}, {1, 86}}), new byte[8], fatbin(new int[][] {{2, 37}}));

    CudaSupport read = FatbinTargets.read(lib).orElseThrow();

    assertThat(read.sass()).containsExactly(37, 80);
    assertThat(read.ptx()).containsExactly(86);
    assertThat(read.source()).isEqualTo("libtest.so");
  }

  @Test
  void aLibraryWithoutGpuCodeOrNotAnElfGivesNothing() throws IOException {
    assertThat(FatbinTargets.read(elf(".text", new byte[64]))).isEmpty();
    Path text = Files.writeString(tmp.resolve("notes.txt"), "not a library");
    assertThat(FatbinTargets.read(text)).isEmpty();
    assertThat(FatbinTargets.read(tmp.resolve("missing.so"))).isEmpty();
  }

  /** A fatbin: 16-byte header, then per entry a 64-byte header (kind, target at byte 28) and 8 bytes of code. */
  private static byte[] fatbin(int[][] entries) {
    ByteBuffer b = ByteBuffer.allocate(16 + entries.length * 72).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0xBA55ED50).putShort((short) 1).putShort((short) 16).putLong(entries.length * 72L);
    for (int[] e : entries) {
      int at = b.position();
      b.putShort((short) e[0]).putShort((short) 0).putInt(64).putLong(8);
      b.putInt(at + 28, e[1]);
      b.position(at + 72);
    }
    return b.array();
  }

  /** A minimal little-endian ELF64: header, a section-name table, one section {@code name} holding {@code parts}. */
  private Path elf(String name, byte[]... parts) throws IOException {
    byte[] names = ("\0.shstrtab\0" + name + "\0").getBytes(StandardCharsets.US_ASCII);
    int dataSize = 0;
    for (byte[] p : parts) {
      dataSize += p.length;
    }
    int namesAt = 64;
    int dataAt = 128;
    int headersAt = dataAt + dataSize + 8 - dataSize % 8;
    ByteBuffer b = ByteBuffer.allocate(headersAt + 3 * 64).order(ByteOrder.LITTLE_ENDIAN);
    b.putInt(0, 0x464C457F).put(4, (byte) 2).put(5, (byte) 1);
    b.putLong(0x28, headersAt).putShort(0x3A, (short) 64).putShort(0x3C, (short) 3).putShort(0x3E, (short) 1);
    b.put(namesAt, names);
    int at = dataAt;
    for (byte[] p : parts) {
      b.put(at, p);
      at += p.length;
    }
    section(b, headersAt + 64, 1, namesAt, names.length);
    section(b, headersAt + 128, 11, dataAt, dataSize);
    return Files.write(tmp.resolve("libtest.so"), b.array());
  }

  private static void section(ByteBuffer b, int header, int nameOffset, long offset, long size) {
    b.putInt(header, nameOffset).putLong(header + 0x18, offset).putLong(header + 0x20, size);
  }
}
