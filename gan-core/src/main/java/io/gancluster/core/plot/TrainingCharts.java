package io.gancluster.core.plot;

import io.gancluster.core.image.ImageGrid;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The training charts as one PNG, drawn with XChart: losses, D's outputs, the Wasserstein estimate and
 * gradient penalty (WGAN runs), and the evaluation's FD against its real-data floor. Panels without
 * data are left out.
 */
public final class TrainingCharts {
  static final int PANEL_WIDTH = 560;
  static final int PANEL_HEIGHT = 300;

  static {
    System.setProperty("java.awt.headless", "true"); // servers and CI have no display
  }

  private TrainingCharts() {}

  public static byte[] png(TrainingHistory history) {
    List<XYChart> panels = panels(history);
    if (panels.isEmpty()) {
      panels.add(empty());
    }
    int cols = panels.size() == 1 ? 1 : 2;
    int rows = (panels.size() + cols - 1) / cols;
    BufferedImage all = new BufferedImage(cols * PANEL_WIDTH, rows * PANEL_HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = all.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, all.getWidth(), all.getHeight());
    for (int i = 0; i < panels.size(); i++) {
      BufferedImage panel = BitmapEncoder.getBufferedImage(panels.get(i));
      g.drawImage(panel, (i % cols) * PANEL_WIDTH, (i / cols) * PANEL_HEIGHT, null);
    }
    g.dispose();
    return ImageGrid.encodePng(all);
  }

  static List<XYChart> panels(TrainingHistory history) {
    List<TrainingHistory.StepPoint> steps = history.steps();
    List<TrainingHistory.EvalPoint> evals = history.evaluations();
    List<XYChart> panels = new ArrayList<>();
    if (!steps.isEmpty()) {
      XYChart losses = chart("Losses", "loss");
      line(losses, "D", steps, TrainingHistory.StepPoint::dLoss);
      line(losses, "G", steps, TrainingHistory.StepPoint::gLoss);
      panels.add(losses);
      XYChart scores = chart("Discriminator output", "mean score");
      line(scores, "D(x)", steps, TrainingHistory.StepPoint::realScore);
      line(scores, "D(G(z))", steps, TrainingHistory.StepPoint::fakeScore);
      panels.add(scores);
      if (steps.stream().anyMatch(s -> Double.isFinite(s.penalty()))) {
        XYChart w = chart("Wasserstein estimate and gradient penalty", "value");
        line(w, "W estimate", steps, TrainingHistory.StepPoint::wasserstein);
        line(w, "gradient penalty", steps, TrainingHistory.StepPoint::penalty);
        panels.add(w);
      }
    }
    if (!evals.isEmpty()) {
      XYChart fd = chart("Frechet distance (evaluator features)", "FD");
      evalLine(fd, "samples", evals, TrainingHistory.EvalPoint::frechetDistance);
      evalLine(fd, "real data (floor)", evals, TrainingHistory.EvalPoint::floor);
      panels.add(fd);
    }
    return panels;
  }

  private static XYChart chart(String title, String yTitle) {
    XYChart c = new XYChartBuilder().width(PANEL_WIDTH).height(PANEL_HEIGHT).title(title).xAxisTitle("step")
        .yAxisTitle(yTitle).build();
    c.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
    c.getStyler().setChartBackgroundColor(Color.WHITE);
    c.getStyler().setYAxisDecimalPattern("#,##0.###");
    c.getStyler().setXAxisDecimalPattern("#");
    c.getStyler().setXAxisTickMarkSpacingHint(90); // step numbers are wide: fewer ticks
    return c;
  }

  private static void line(XYChart c, String name, List<TrainingHistory.StepPoint> points,
      ToDoubleFunction<TrainingHistory.StepPoint> y) {
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (TrainingHistory.StepPoint p : points) {
      double v = y.applyAsDouble(p);
      if (Double.isFinite(v)) {
        xs.add((double) p.step());
        ys.add(v);
      }
    }
    if (!xs.isEmpty()) {
      XYSeries s = c.addSeries(name, xs, ys);
      s.setMarker(SeriesMarkers.NONE);
    }
  }

  private static void evalLine(XYChart c, String name, List<TrainingHistory.EvalPoint> points,
      ToDoubleFunction<TrainingHistory.EvalPoint> y) {
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (TrainingHistory.EvalPoint p : points) {
      xs.add((double) p.step());
      ys.add(y.applyAsDouble(p));
    }
    c.addSeries(name, xs, ys);
  }

  private static XYChart empty() {
    XYChart c = chart("No training data yet", "loss");
    c.addSeries("none", new double[] {0}, new double[] {0}).setMarker(SeriesMarkers.NONE);
    return c;
  }
}
