package io.gancluster.core.plot;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.knowm.xchart.GifEncoder;

/**
 * The fixed-z sample grids of a run as one animated GIF (XChart's encoder): how the samples formed,
 * step by step. At most {@link #MAX_FRAMES} frames, evenly spread over the run, the last grid always in.
 */
public final class GridAnimation {
  public static final int MAX_FRAMES = 40;
  static final int FRAME_DELAY_MS = 300;

  private GridAnimation() {}

  /** Writes {@code gif} from the {@code step-*.png} grids of {@code samples}, atomically; returns the frame count. */
  public static int write(Path samples, Path gif) {
    List<Path> grids;
    try (Stream<Path> files = Files.list(samples)) {
      grids = files.filter(p -> p.getFileName().toString().matches("step-\\d+\\.png")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + samples, e);
    }
    if (grids.isEmpty()) {
      return 0;
    }
    List<BufferedImage> frames = new ArrayList<>();
    for (Path p : spread(grids, MAX_FRAMES)) {
      try {
        frames.add(ImageIO.read(p.toFile()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + p, e);
      }
    }
    try {
      Path tmp = gif.resolveSibling("." + gif.getFileName() + ".tmp.gif");
      GifEncoder.saveGif(tmp.toString(), frames, 0, FRAME_DELAY_MS);
      Files.move(tmp, gif, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + gif, e);
    }
    return frames.size();
  }

  /** At most {@code n} items, evenly spaced, always with the first and the last. */
  static <T> List<T> spread(List<T> all, int n) {
    if (all.size() <= n) {
      return all;
    }
    List<T> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(all.get((int) Math.round(i * (all.size() - 1) / (double) (n - 1))));
    }
    return out;
  }
}
