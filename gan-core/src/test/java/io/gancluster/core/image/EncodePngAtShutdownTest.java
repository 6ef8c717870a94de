package io.gancluster.core.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * Ctrl-C during training writes a last sample grid from a JVM shutdown hook. The first PNG a process encodes
 * there must not need a new shutdown hook (ImageIO's temp-file cache registers one and fails with "Shutdown in
 * progress"), so a run stopped before its first grid still gets its final checkpoint.
 */
class EncodePngAtShutdownTest {

  /** Run in a child JVM: encodes its first PNG inside a shutdown hook. */
  public static void main(String[] args) {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        byte[] png = ImageGrid.encodePng(new BufferedImage(6, 4, BufferedImage.TYPE_BYTE_GRAY));
        System.out.println("encoded " + png.length + " bytes");
      } catch (Throwable t) {
        System.out.println("failed: " + t);
      }
    }));
  }

  @Test
  void encodesTheFirstPngOfAProcessDuringShutdown() throws Exception {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(java.toString(), "-Djava.awt.headless=true", "-cp",
        System.getProperty("java.class.path"), EncodePngAtShutdownTest.class.getName()).redirectErrorStream(true).start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(out).contains("encoded").doesNotContain("failed");
    assertThat(p.exitValue()).isZero();
  }

  @Test
  void encodedPngDecodesToTheSameImage() throws Exception {
    BufferedImage img = new BufferedImage(5, 3, BufferedImage.TYPE_BYTE_GRAY);
    img.getRaster().setSample(2, 1, 0, 200);
    BufferedImage back = ImageIO.read(new ByteArrayInputStream(ImageGrid.encodePng(img)));
    assertThat(back.getWidth()).isEqualTo(5);
    assertThat(back.getRaster().getSample(2, 1, 0)).isEqualTo(200);
    assertThat(back.getRaster().getSample(0, 0, 0)).isZero();
  }
}
