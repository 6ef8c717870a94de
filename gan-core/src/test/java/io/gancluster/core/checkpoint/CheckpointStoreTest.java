package io.gancluster.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
  @TempDir
  Path dir;

  private static Checkpoint checkpoint(long step) {
    byte[] g = new byte[1000];
    Arrays.fill(g, (byte) step);
    return new Checkpoint(step, 2, 42, Map.of("preset", "tiny"), g, new byte[] {1, 2, 3});
  }

  @Test
  void roundTripsEveryField() throws Exception {
    CheckpointStore store = new CheckpointStore(dir, 3);
    Path file = store.write(checkpoint(7));
    Checkpoint c = CheckpointStore.read(file);
    assertThat(c.step()).isEqualTo(7);
    assertThat(c.epoch()).isEqualTo(2);
    assertThat(c.seed()).isEqualTo(42);
    assertThat(c.config()).containsEntry("preset", "tiny");
    assertThat(c.generatorState()).isEqualTo(checkpoint(7).generatorState());
    assertThat(c.discriminatorState()).containsExactly(1, 2, 3);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("checkpoint-000000007.zip");
    }
  }

  @Test
  void keepsOnlyTheNewest() {
    CheckpointStore store = new CheckpointStore(dir, 2);
    for (long s = 1; s <= 4; s++) {
      store.write(checkpoint(s));
    }
    assertThat(store.listNewestFirst()).extracting(p -> p.getFileName().toString())
        .containsExactly("checkpoint-000000004.zip", "checkpoint-000000003.zip");
  }

  @Test
  void flippedByteIsRefusedNamingTheFileAndTheNewestGoodOneIsUsed() throws Exception {
    CheckpointStore store = new CheckpointStore(dir, 3);
    store.write(checkpoint(1));
    Path bad = store.write(checkpoint(2));
    byte[] bytes = Files.readAllBytes(bad);
    bytes[200] ^= 0x5A; // inside the generator entry's data
    Files.write(bad, bytes);
    assertThatThrownBy(() -> CheckpointStore.read(bad)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining(bad.toString());
    assertThat(store.latest()).get().satisfies(l -> assertThat(l.checkpoint().step()).isEqualTo(1));
  }

  @Test
  void truncatedFileIsRefused() throws Exception {
    Path file = new CheckpointStore(dir, 3).write(checkpoint(3));
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> CheckpointStore.read(file)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining(file.toString());
  }

  @Test
  void noTemporaryFilesAreLeftBehind() throws Exception {
    new CheckpointStore(dir, 3).write(checkpoint(5));
    try (var files = Files.list(dir)) {
      assertThat(files.filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();
    }
  }

  @Test
  void aCheckpointOfAnotherFormatVersionIsRefusedSayingSo() throws Exception {
    Path file = dir.resolve("checkpoint-000000009.zip");
    try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
      for (String[] e : new String[][] {{"checkpoint.properties", "format=99\nstep=9\nepoch=0\nseed=1\n"},
          {"config.properties", ""}, {"generator.state", "g"}, {"discriminator.state", "d"}}) {
        zip.putNextEntry(new java.util.zip.ZipEntry(e[0]));
        zip.write(e[1].getBytes(java.nio.charset.StandardCharsets.UTF_8));
        zip.closeEntry();
      }
    }
    assertThatThrownBy(() -> CheckpointStore.read(file)).isInstanceOf(CheckpointException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("format version 99 is not supported");
  }

  @Test
  void aFullDiskFailsTheWriteClearlyAndLeavesTheLastGoodCheckpointUntouched() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/dev/full")), "needs /dev/full (Linux)");
    CheckpointStore store = new CheckpointStore(dir, 3);
    Path good = store.write(checkpoint(1));
    byte[] before = Files.readAllBytes(good);
    // the temp file of the next write is /dev/full: every write to it fails with ENOSPC, as on a full disk
    Files.createSymbolicLink(dir.resolve(".checkpoint-000000002.zip.tmp"), Path.of("/dev/full"));
    assertThatThrownBy(() -> store.write(checkpoint(2))).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("checkpoint-000000002.zip").hasMessageContaining("No space left on device");
    assertThat(Files.readAllBytes(good)).isEqualTo(before);
    assertThat(store.listNewestFirst()).containsExactly(good);
    assertThat(store.latest()).get().satisfies(l -> assertThat(l.checkpoint().step()).isEqualTo(1));
    try (var files = Files.list(dir)) {
      assertThat(files.filter(p -> p.getFileName().toString().endsWith(".tmp"))).as("temp file removed").isEmpty();
    }
  }

  @Test
  void aRunFolderThatCannotHoldCheckpointsFailsNamingIt() throws Exception {
    Path notADirectory = dir.resolve("checkpoints");
    Files.writeString(notADirectory, "a file where the checkpoints folder should be");
    assertThatThrownBy(() -> new CheckpointStore(notADirectory, 3).write(checkpoint(1)))
        .isInstanceOf(CheckpointException.class).hasMessageContaining(notADirectory.toString());
  }
}
