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
  void theBestCheckpointIsNeverPrunedNorTakenForTheLatestAndADamagedOneIsIgnored() throws Exception {
    CheckpointStore store = new CheckpointStore(dir, 2);
    assertThat(store.best()).isEmpty();
    assertThatThrownBy(() -> CheckpointChoice.BEST.resolve(dir)).hasMessageContaining("no readable checkpoint in");
    store.write(checkpoint(1));
    assertThat(CheckpointChoice.BEST.choose(dir)).as("no best: the newest")
        .isEqualTo(new CheckpointChoice.Chosen(dir.resolve("checkpoint-000000001.zip"),
            "the latest: no best.zip (no in-run evaluation)"));
    store.writeBest(checkpoint(2));
    for (long s = 3; s <= 6; s++) {
      store.write(checkpoint(s));
    }
    assertThat(store.best()).get().satisfies(b -> assertThat(b.checkpoint().step()).isEqualTo(2));
    assertThat(store.best().orElseThrow().checkpoint().generatorState()).isEqualTo(checkpoint(2).generatorState());
    assertThat(store.latest()).get().satisfies(l -> assertThat(l.checkpoint().step()).isEqualTo(6));
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted())
          .containsExactly("best.zip", "checkpoint-000000005.zip", "checkpoint-000000006.zip");
    }
    assertThat(CheckpointChoice.BEST.choose(dir))
        .isEqualTo(new CheckpointChoice.Chosen(store.bestFile(), "the best by in-run evaluation"));
    assertThat(CheckpointChoice.BEST.resolve(dir.getParent().resolve(dir.getFileName())))
        .isEqualTo(store.bestFile());
    assertThat(CheckpointChoice.LATEST.choose(dir))
        .isEqualTo(new CheckpointChoice.Chosen(dir.resolve("checkpoint-000000006.zip"), "the latest"));
    assertThat(CheckpointChoice.LATEST.resolve(store.bestFile())).as("a file is itself").isEqualTo(store.bestFile());

    byte[] bytes = Files.readAllBytes(store.bestFile());
    bytes[200] ^= 0x5A;
    Files.write(store.bestFile(), bytes);
    assertThat(store.best()).isEmpty();
    assertThat(CheckpointChoice.BEST.choose(dir)).isEqualTo(new CheckpointChoice.Chosen(
        dir.resolve("checkpoint-000000006.zip"), "the latest: best.zip does not read"));
  }

  @Test
  void aRunFolderMeansItsCheckpointsFolderAndTheChoiceIsParsedByName() {
    Path run = dir.resolve("run");
    CheckpointStore store = new CheckpointStore(run.resolve("checkpoints"), 3);
    store.write(checkpoint(4));
    store.writeBest(checkpoint(3));
    assertThat(CheckpointChoice.parse("BEST").resolve(run)).isEqualTo(store.bestFile());
    assertThat(CheckpointChoice.parse("latest").resolve(run))
        .isEqualTo(run.resolve("checkpoints/checkpoint-000000004.zip"));
    assertThatThrownBy(() -> CheckpointChoice.parse("newest")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected best or latest, got 'newest'");
  }

  @Test
  void aBestCheckpointsVersionNamesItsStepSoAReplacedBestIsANewVersion() {
    assertThat(CheckpointStore.version("demo", Path.of("x/checkpoints/best.zip"), 1540)).isEqualTo("demo/best-000001540");
    assertThat(CheckpointStore.version("demo", Path.of("x/checkpoints/checkpoint-000001600.zip"), 1600))
        .isEqualTo("demo/checkpoint-000001600");
  }

  @Test
  void aFailedWriteOfTheBestLeavesThePreviousBestUntouched() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(Path.of("/dev/full")), "needs /dev/full (Linux)");
    CheckpointStore store = new CheckpointStore(dir, 3);
    store.writeBest(checkpoint(1));
    byte[] before = Files.readAllBytes(store.bestFile());
    Files.createSymbolicLink(dir.resolve(".best.zip.tmp"), Path.of("/dev/full"));
    assertThatThrownBy(() -> store.writeBest(checkpoint(2))).isInstanceOf(CheckpointException.class)
        .hasMessageContaining("best.zip").hasMessageContaining("No space left on device");
    assertThat(Files.readAllBytes(store.bestFile())).isEqualTo(before);
    assertThat(store.best()).get().satisfies(b -> assertThat(b.checkpoint().step()).isEqualTo(1));
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("best.zip");
    }
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
