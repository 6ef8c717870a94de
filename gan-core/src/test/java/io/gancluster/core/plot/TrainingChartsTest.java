package io.gancluster.core.plot;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingChartsTest {
  @TempDir
  Path tmp;

  @Test
  void aWganRunWithEvaluationsGetsFourPanelsFromItsCsvFiles() throws Exception {
    Path losses = tmp.resolve("losses.csv");
    Path eval = tmp.resolve("eval.csv");
    Files.write(losses, List.of(
        "step,epoch,d_loss,g_loss,real_score,fake_score,wasserstein_estimate,gradient_penalty,critic_grad_norm,step_seconds",
        "1,0,-2.5,1.0,0.5,-1.0,1.5,4.6,1.4,28.0",
        "2,0,-3.0,1.5,0.7,-1.2,1.9,3.1,1.3,27.5",
        "3,0,-3.5,2.0,0.9,-1.4,2.3,2.0,1.2,27.9"));
    Files.write(eval, List.of("step,epoch,samples,frechet_distance,frechet_floor,classifier_score,label_accuracy,"
        + "covered_classes,class_kl,precision,recall,evaluator_accuracy", "3,1,1000,900.5,33.5,2.5,NaN,8,0.3,0.5,0.1,0.96"));

    TrainingHistory h = TrainingHistory.fromCsv(losses, eval);
    assertThat(h.steps()).hasSize(3);
    assertThat(h.evaluations()).singleElement().satisfies(e -> {
      assertThat(e.frechetDistance()).isEqualTo(900.5);
      assertThat(e.labelAccuracy()).isNaN();
    });
    assertThat(TrainingCharts.panels(h)).extracting(c -> c.getTitle())
        .containsExactly("Losses", "Discriminator output", "Wasserstein estimate and gradient penalty",
            "Frechet distance (evaluator features)");

    BufferedImage png = ImageIO.read(new ByteArrayInputStream(TrainingCharts.png(h)));
    assertThat(png.getWidth()).isEqualTo(2 * TrainingCharts.PANEL_WIDTH);
    assertThat(png.getHeight()).isEqualTo(2 * TrainingCharts.PANEL_HEIGHT);
  }

  @Test
  void aBceRunHasNoWassersteinPanelAndAnEmptyHistoryStillDraws() throws Exception {
    TrainingHistory h = new TrainingHistory();
    h.add(new TrainingHistory.StepPoint(1, 1.3, 0.7, 0.5, 0.5, 0.0, Double.NaN));
    assertThat(TrainingCharts.panels(h)).hasSize(2);
    BufferedImage empty = ImageIO.read(new ByteArrayInputStream(TrainingCharts.png(new TrainingHistory())));
    assertThat(empty.getWidth()).isEqualTo(TrainingCharts.PANEL_WIDTH);
  }

  @Test
  void theHistoryStaysBoundedAndKeepsTheWholeRunsShape() {
    TrainingHistory h = new TrainingHistory();
    for (long s = 1; s <= 20_000; s++) {
      h.add(new TrainingHistory.StepPoint(s, s, 0, 0, 0, 0, Double.NaN));
    }
    List<TrainingHistory.StepPoint> kept = h.steps();
    assertThat(kept.size()).isBetween(TrainingHistory.MAX_POINTS / 2, TrainingHistory.MAX_POINTS);
    assertThat(kept.get(kept.size() - 1).step()).isGreaterThan(19_990);
    assertThat(kept.get(0).step()).isLessThan(10);

    // a resumed run that goes back to step 100 replaces what came after
    h.add(new TrainingHistory.StepPoint(96, -1, 0, 0, 0, 0, Double.NaN));
    assertThat(h.steps().get(h.steps().size() - 1).step()).isEqualTo(96);
  }
}
