package io.gancluster.trainer.run;

import io.gancluster.client.peer.GeneratorPeer;
import io.gancluster.core.image.ImageGrid;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.random.Seeds;
import java.nio.file.Path;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run's pictures: a grid of samples from fixed z when a new run starts, every {@code sampleEvery}
 * steps, at each epoch's end and at the run's end; the training chart, redrawn after each grid and
 * checkpoint; and the progress GIF, redrawn at checkpoints and at the end.
 */
final class RunPictures implements ArtifactListener {
  private static final Logger LOG = LoggerFactory.getLogger(TrainingRun.class); // one logger for the whole run
  static final int GRID_SIZE = 64;

  private final GeneratorPeer generator;
  private final int classes;
  private final int sampleEvery;
  private final long fixedSeed;
  private final RunFolder folder;
  private final BiConsumer<Long, Path> gridWritten;
  private long lastGridStep = -1;

  /** @param gridWritten told of each grid file after the chart is redrawn */
  RunPictures(GeneratorPeer generator, Preset preset, long seed, RunFolder folder, BiConsumer<Long, Path> gridWritten) {
    this.generator = generator;
    this.classes = preset.model().classes();
    this.sampleEvery = preset.sampleEvery();
    this.fixedSeed = Seeds.derive(seed, "fixed-grid");
    this.folder = folder;
    this.gridWritten = gridWritten;
  }

  @Override
  public void onLoopStart(long step) {
    if (step == 0) {
      writeGrid(step);
    }
  }

  @Override
  public void afterStep(long step, boolean epochEnded) {
    if (step % sampleEvery == 0 || epochEnded) {
      writeGrid(step);
    }
  }

  @Override
  public void afterCheckpoint(long step) {
    refreshPlots(true);
  }

  @Override
  public void onRunEnd(long step, boolean checkpointed) {
    if (lastGridStep != step) {
      writeGrid(step);
    }
    if (checkpointed) {
      refreshPlots(true); // otherwise the final checkpoint, written after this grid, redraws the animation
    }
  }

  private void writeGrid(long step) {
    byte[] png;
    if (classes > 0) { // one row of 8 per class
      int[] labels = new int[classes * 8];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = i / 8;
      }
      png = ImageGrid.png(generator.sample(labels.length, fixedSeed, labels), 8, 2);
    } else {
      png = ImageGrid.png(generator.sample(GRID_SIZE, fixedSeed, null), 8, 2);
    }
    Path file = folder.writeGrid(step, png);
    lastGridStep = step;
    refreshPlots(false);
    gridWritten.accept(step, file);
  }

  private void refreshPlots(boolean animation) {
    try {
      folder.refreshPlots(animation);
    } catch (RuntimeException e) {
      LOG.warn("could not redraw the plots: {}", e.getMessage()); // pictures never stop a run
    }
  }
}
