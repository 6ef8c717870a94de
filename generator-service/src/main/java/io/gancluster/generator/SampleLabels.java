package io.gancluster.generator;

import io.gancluster.core.model.graph.Labels;
import io.gancluster.proto.v1.GeneratorSampleRequest;
import java.util.List;

/** The labels a Sample request asks for, by index or by name, checked against a model's classes. */
public final class SampleLabels {
  private SampleLabels() {}

  /**
   * @return one label for all, one per image, or null (none given: the generator cycles through the classes)
   * @throws IllegalArgumentException naming what is wrong (unknown name, label out of range, wrong count)
   */
  public static int[] resolve(GeneratorSampleRequest request, int classes, List<String> labelNames) {
    List<Integer> labels = request.getLabelsList();
    if (request.getLabelNamesCount() > 0) {
      if (!labels.isEmpty()) {
        throw new IllegalArgumentException("give labels or label_names, not both");
      }
      labels = request.getLabelNamesList().stream().map(name -> index(name, classes, labelNames)).toList();
    }
    if (labels.isEmpty()) {
      return null;
    }
    int n = labels.size() == 1 ? 1 : request.getCount();
    return Labels.check(labels, n, classes, "labels");
  }

  private static int index(String name, int classes, List<String> labelNames) {
    int i = labelNames.indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException(classes == 0 ? "this model is unconditional and takes no labels"
          : "unknown label name '" + name + "'; known: " + String.join(", ", labelNames));
    }
    return i;
  }
}
