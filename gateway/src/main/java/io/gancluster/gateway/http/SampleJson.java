package io.gancluster.gateway.http;

import io.gancluster.proto.v1.SampleResponse;
import io.gancluster.proto.v1.SampleRequest;
import io.vertx.core.json.Json;
import java.nio.charset.StandardCharsets;

/**
 * The JSON body of {@code /api/v1/samples.json}:
 * {@code {"model_version": "…", "seed": 42, "count": 16, "shape": [16, 28, 28], "labels": [3, …],
 * "images": [[[row of 28 numbers], … 28 rows], … count images]}}, pixels in [-1, 1] (-1 black).
 * Written by hand: up to 256 × 784 numbers, each as {@link Float#toString}, the shortest text that
 * reads back to the same float32.
 */
final class SampleJson {
  private SampleJson() {}

  static byte[] encode(SampleRequest request, SampleResponse response, float[] pixels) {
    int count = request.getCount();
    int h = SampleFormat.HEIGHT;
    int w = SampleFormat.WIDTH;
    StringBuilder json = new StringBuilder(64 + pixels.length * 12);
    json.append("{\"model_version\":").append(Json.encode(response.getModelVersion()))
        .append(",\"seed\":").append(request.getSeed())
        .append(",\"count\":").append(count)
        .append(",\"shape\":[").append(count).append(',').append(h).append(',').append(w).append(']')
        .append(",\"labels\":[");
    for (int i = 0; i < response.getLabelsCount(); i++) {
      json.append(i == 0 ? "" : ",").append(response.getLabels(i));
    }
    json.append("],\"images\":[");
    for (int n = 0; n < count; n++) {
      json.append(n == 0 ? "[" : ",[");
      for (int y = 0; y < h; y++) {
        json.append(y == 0 ? "[" : ",[");
        for (int x = 0; x < w; x++) {
          float v = pixels[(n * h + y) * w + x];
          if (!Float.isFinite(v)) { // JSON has no NaN; TensorCodec.decode refuses them before this
            throw new IllegalStateException("non-finite pixel " + v);
          }
          json.append(x == 0 ? "" : ",").append(v);
        }
        json.append(']');
      }
      json.append(']');
    }
    return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
  }
}
