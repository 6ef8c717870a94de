package io.gancluster.core.compute;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Reads the GPU targets a CUDA shared library carries from its {@code .nv_fatbin} section, as
 * tools/fatbin-archs.py does: each fatbin is a 16-byte header (magic 0xBA55ED50, version, header size,
 * payload size) and entries whose headers give the kind (1 PTX, 2 SASS) and the target at byte 28. Only
 * headers are touched (memory-mapped), so a library of a GiB costs a few MB of reads.
 */
final class FatbinTargets {
  private static final int FATBIN_MAGIC = 0xBA55ED50;
  private static final int ELF_MAGIC = 0x464C457F; // 0x7F 'E' 'L' 'F', little-endian

  private FatbinTargets() {}

  /** The library's targets, or empty when it is not a little-endian ELF64 with GPU code. */
  static Optional<CudaSupport> read(Path library) {
    try (FileChannel ch = FileChannel.open(library, StandardOpenOption.READ)) {
      ByteBuffer elf = map(ch, 0, 64);
      if (elf.getInt(0) != ELF_MAGIC || elf.get(4) != 2 || elf.get(5) != 1) {
        return Optional.empty();
      }
      int entrySize = Short.toUnsignedInt(elf.getShort(0x3A));
      int count = Short.toUnsignedInt(elf.getShort(0x3C));
      int namesIndex = Short.toUnsignedInt(elf.getShort(0x3E));
      ByteBuffer sections = map(ch, elf.getLong(0x28), (long) entrySize * count);
      ByteBuffer names = map(ch, sections.getLong(namesIndex * entrySize + 0x18),
          sections.getLong(namesIndex * entrySize + 0x20));
      for (int i = 0; i < count; i++) {
        int h = i * entrySize;
        if (".nv_fatbin".equals(name(names, sections.getInt(h)))) {
          return targets(map(ch, sections.getLong(h + 0x18), sections.getLong(h + 0x20)), library);
        }
      }
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // unreadable or a layout we do not know: the caller falls back to declared targets
    }
  }

  private static Optional<CudaSupport> targets(ByteBuffer fatbin, Path library) {
    SortedSet<Integer> sass = new TreeSet<>();
    SortedSet<Integer> ptx = new TreeSet<>();
    long limit = fatbin.limit();
    long pos = 0;
    while (pos + 16 <= limit) {
      if (fatbin.getInt((int) pos) != FATBIN_MAGIC) {
        pos += 8; // fatbins are 8-byte aligned, with padding between them
        continue;
      }
      long entry = pos + Short.toUnsignedInt(fatbin.getShort((int) pos + 6));
      long end = Math.min(limit, entry + fatbin.getLong((int) pos + 8));
      while (entry + 32 <= end) {
        int e = (int) entry;
        int kind = Short.toUnsignedInt(fatbin.getShort(e));
        (kind == 1 ? ptx : kind == 2 ? sass : new TreeSet<Integer>()).add(fatbin.getInt(e + 28));
        long next = entry + Integer.toUnsignedLong(fatbin.getInt(e + 4)) + fatbin.getLong(e + 8);
        entry = next > entry ? next : end;
      }
      pos = Math.max(end, pos + 8);
    }
    return sass.isEmpty() && ptx.isEmpty() ? Optional.empty()
        : Optional.of(new CudaSupport(sass.stream().toList(), ptx.stream().toList(), library.getFileName().toString()));
  }

  private static ByteBuffer map(FileChannel ch, long offset, long size) throws IOException {
    return ch.map(FileChannel.MapMode.READ_ONLY, offset, size).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static String name(ByteBuffer names, int offset) {
    int end = offset;
    while (end < names.limit() && names.get(end) != 0) {
      end++;
    }
    byte[] b = new byte[end - offset];
    names.get(offset, b);
    return new String(b, StandardCharsets.US_ASCII);
  }
}
