package io.gancluster.gateway.http;

import io.gancluster.proto.v1.SampleRequest;
import io.vertx.core.MultiMap;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The query of every sampling route ({@code samples.png}, {@code .json}, {@code .npy}): one parser, so the
 * three answer the same request and refuse the same mistakes with the same message. What only the model
 * can judge (a label it lacks, a pinned version no replica holds) is left to the SamplingService.
 */
public final class SampleQuery {
  /** What the sampling routes read; anything else is a typo the caller should hear about. */
  public static final Set<String> PARAMETERS = Set.of("count", "seed", "label", "model_version");
  public static final int DEFAULT_COUNT = 16;
  public static final long DEFAULT_SEED = 0;

  private SampleQuery() {}

  /** Either the request the query asks for, or the HTTP 400 message saying what is wrong with it. */
  public record Parsed(SampleRequest request, String problem) {
    static Parsed refused(String problem) {
      return new Parsed(null, problem);
    }
  }

  /** Checks {@code params} and builds the request; counts above {@code maxSamples} are refused. */
  public static Parsed parse(MultiMap params, int maxSamples) {
    for (String name : params.names()) {
      if (!PARAMETERS.contains(name)) {
        return Parsed.refused("unknown parameter '" + name + "'; this route accepts: "
            + String.join(", ", new TreeSet<>(PARAMETERS)));
      }
    }
    String countText = params.get("count");
    Integer count = parseCount(countText, maxSamples);
    if (count == null) {
      return Parsed.refused("count must be an integer between 1 and " + maxSamples + ", got '" + countText + "'");
    }
    String seedText = params.get("seed");
    Long seed = parseSeed(seedText);
    if (seed == null) {
      return Parsed.refused("seed must be a 64-bit integer, got '" + seedText + "'");
    }
    SampleRequest.Builder request = SampleRequest.newBuilder().setCount(count).setSeed(seed);
    addLabels(request, params.get("label"));
    String version = params.get("model_version");
    if (version != null) {
      request.setModelVersion(version); // its syntax is SamplingService's to check, as over gRPC
    }
    return new Parsed(request.build(), null);
  }

  /** The count query parameter, or null when it is not an integer in 1..max. */
  static Integer parseCount(String text, int max) {
    if (text == null) {
      return Math.min(DEFAULT_COUNT, max);
    }
    try {
      int n = Integer.parseInt(text.trim());
      return n >= 1 && n <= max ? n : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** The seed query parameter, or null when it is not a long. */
  static Long parseSeed(String text) {
    if (text == null) {
      return DEFAULT_SEED;
    }
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** label=3 or label=1,2,3 (indices), label=Trouser or label=Bag,Coat (names); the generator checks them. */
  private static void addLabels(SampleRequest.Builder request, String text) {
    if (text == null || text.isBlank()) {
      return;
    }
    List<String> parts = Arrays.stream(text.split(",")).map(String::trim).toList();
    if (parts.stream().allMatch(p -> p.matches("-?\\d{1,9}"))) {
      request.addAllLabels(parts.stream().map(Integer::valueOf).toList());
    } else {
      request.addAllLabelNames(parts);
    }
  }
}
