package io.gancluster.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSourcesTest {
  @TempDir Path dir;

  private static int[] histogram(ImageSet set) {
    int[] h = new int[set.classCount()];
    for (int i = 0; i < set.count(); i++) {
      h[set.label(i)]++;
    }
    return h;
  }

  @Test
  void bundledMnistTrainSplit() {
    ImageSet train = DataSources.load("mnist");
    assertThat(train.count()).isEqualTo(9000);
    assertThat(train.rows()).isEqualTo(28);
    assertThat(train.cols()).isEqualTo(28);
    assertThat(train.classCount()).isEqualTo(10);
    assertThat(train.name()).isEqualTo("mnist (bundled, 9000 train)");
    assertThat(IntStream.of(histogram(train)).boxed()).allSatisfy(n -> assertThat(n).isBetween(700, 1200));
    // counts from data/mnist/README.md: pins the bundled files to what the script produced
    assertThat(histogram(train)).containsExactly(913, 1013, 898, 930, 896, 770, 906, 956, 839, 879);

    byte[] px = train.pixelBytes();
    int min = 255;
    int max = 0;
    long ink = 0;
    for (byte b : px) {
      min = Math.min(min, b & 0xff);
      max = Math.max(max, b & 0xff);
      ink += b & 0xff;
    }
    assertThat(min).isZero();
    assertThat(max).isEqualTo(255);
    // MNIST digits are mostly background: mean intensity around 33/255
    assertThat((double) ink / px.length).isBetween(20.0, 50.0);
  }

  @Test
  void bundledMnistTestSplitIsDisjointInContent() {
    ImageSet test = DataSources.load("mnist-test");
    assertThat(test.count()).isEqualTo(1000);
    assertThat(test.rows()).isEqualTo(28);
    assertThat(test.classCount()).isEqualTo(10);
    assertThat(histogram(test)).containsExactly(88, 114, 93, 102, 84, 93, 108, 114, 105, 99);
    assertThat(test.checksum()).isNotEqualTo(DataSources.load("mnist").checksum());
  }

  @Test
  void batchOfRealDigitsSpansMinusOneToOne() {
    ImageSet train = DataSources.load("mnist");
    float[] b = train.batch(IntStream.range(0, 16).toArray());
    assertThat(b).hasSize(16 * 28 * 28);
    float lo = Float.MAX_VALUE;
    float hi = -Float.MAX_VALUE;
    for (float v : b) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    assertThat(lo).isEqualTo(-1f);
    assertThat(hi).isEqualTo(1f);
    assertThat(b[0]).as("top-left corner is background").isEqualTo(-1f);
  }

  @Test
  void directoryAndImagesFileSpecs() throws IOException {
    ImageSet src = DataSources.load("mnist-test");
    IdxFiles.write(src, dir.resolve("train-images-idx3-ubyte.gz"), dir.resolve("train-labels-idx1-ubyte.gz"));

    ImageSet fromDir = DataSources.load(dir.toString());
    assertThat(fromDir.checksum()).isEqualTo(src.checksum());
    assertThat(fromDir.name()).isEqualTo(dir.toString());

    ImageSet fromFile = DataSources.load(dir.resolve("train-images-idx3-ubyte.gz").toString());
    assertThat(fromFile.count()).isEqualTo(1000);

    // plain images beside gzipped labels, in the "images.idx3" spelling
    Path other = Files.createDirectory(dir.resolve("other"));
    IdxFiles.writeImages(other.resolve("my-images.idx3-ubyte"), 2, 1, 1, new byte[] {0, 1});
    IdxFiles.writeLabels(other.resolve("my-labels.idx1-ubyte.gz"), new byte[] {5, 6});
    assertThat(DataSources.load(other.resolve("my-images.idx3-ubyte").toString()).classCount()).isEqualTo(7);
  }

  @Test
  void missingPathListsAcceptedForms() {
    String spec = dir.resolve("no-such-thing").toString();
    assertThatThrownBy(() -> DataSources.load(spec))
        .isInstanceOf(DataFileException.class)
        .hasMessageStartingWith(spec + ": no such file or directory")
        .hasMessageContaining("mnist")
        .hasMessageContaining("train-images-idx3-ubyte[.gz]");
  }

  @Test
  void directoryWithoutMnistFilesIsExplained() {
    assertThatThrownBy(() -> DataSources.load(dir.toString()))
        .isInstanceOf(DataFileException.class)
        .hasMessageStartingWith(dir + ": directory holds no train-images-idx3-ubyte");
  }

  @Test
  void imagesFileWithoutLabelsNamesTheExpectedLabelsFile() throws IOException {
    Path images = dir.resolve("foo-images-idx3-ubyte");
    IdxFiles.writeImages(images, 1, 1, 1, new byte[] {1});
    assertThatThrownBy(() -> DataSources.load(images.toString()))
        .isInstanceOf(DataFileException.class)
        .hasMessageContaining(dir.resolve("foo-labels-idx1-ubyte").toString())
        .hasMessageEndingWith("does not exist");
    Path odd = Files.write(dir.resolve("pictures.bin"), new byte[] {1});
    assertThatThrownBy(() -> DataSources.load(odd.toString()))
        .hasMessageStartingWith(odd + ": cannot find its labels file");
  }

  @Test
  void missingFashionSaysHowToInstallIt() {
    assertThatThrownBy(() -> DataSources.load("fashion", dir))
        .isInstanceOf(DataFileException.class)
        .hasMessageStartingWith(dir + ": Fashion-MNIST is not installed")
        .hasMessageContaining("sudo apt-get install dataset-fashion-mnist")
        .hasMessageContaining("--data mnist");
  }

  @Test
  void fashionDirComesFromSystemProperty() {
    String old = System.getProperty(DataSources.FASHION_DIR_PROPERTY);
    System.setProperty(DataSources.FASHION_DIR_PROPERTY, dir.toString());
    try {
      assertThat(DataSources.fashionDir()).isEqualTo(dir);
      assertThatThrownBy(() -> DataSources.load("fashion-test"))
          .isInstanceOf(DataFileException.class)
          .hasMessageStartingWith(dir + ": Fashion-MNIST is not installed (no t10k-images-idx3-ubyte[.gz]");
    } finally {
      if (old == null) {
        System.clearProperty(DataSources.FASHION_DIR_PROPERTY);
      } else {
        System.setProperty(DataSources.FASHION_DIR_PROPERTY, old);
      }
    }
  }

  @Test
  void fashionFromAlternateDirectory() throws IOException {
    IdxFiles.writeImages(dir.resolve("t10k-images-idx3-ubyte"), 3, 28, 28, new byte[3 * 784]);
    IdxFiles.writeLabels(dir.resolve("t10k-labels-idx1-ubyte"), new byte[] {0, 9, 4});
    ImageSet set = DataSources.load("fashion-test", dir);
    assertThat(set.name()).isEqualTo("fashion-mnist (3 test, " + dir + ")");
    assertThat(set.classCount()).isEqualTo(10);
  }

  @Test
  void debianFashionMnistLoadsWhenInstalled() {
    assumeThat(Files.isDirectory(DataSources.DEFAULT_FASHION_DIR))
        .as("dataset-fashion-mnist not installed")
        .isTrue();
    ImageSet train = DataSources.load("fashion", DataSources.DEFAULT_FASHION_DIR);
    assertThat(train.count()).isEqualTo(60000);
    assertThat(train.rows()).isEqualTo(28);
    assertThat(train.cols()).isEqualTo(28);
    assertThat(train.classCount()).isEqualTo(10);
    assertThat(histogram(train)).containsOnly(6000); // Fashion-MNIST is exactly balanced
    ImageSet test = DataSources.load("fashion-test", DataSources.DEFAULT_FASHION_DIR);
    assertThat(test.count()).isEqualTo(10000);
  }
}
