package io.gancluster.core.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/** The built-in presets, by name. */
public final class Presets {
  private static final Map<String, Preset> ALL = new LinkedHashMap<>();

  static {
    // The demo: seed 001's DCGAN recipe (Adam 2e-4, beta1 0.5, z ~ N(0,1), images in [-1,1]) at half
    // width so 1,600 steps (~11 epochs of the bundled digits) fit in the demo's 10 minutes on 2 cores.
    add(new Preset("dcgan-mnist-small",
        "DCGAN (upsampling G, 64/32 channels; conv D 32/64) on MNIST, the demo: ~9 min on 2 cores",
        new ModelSpec(Generators.DCGAN_UPSAMPLE, Discriminators.DCGAN_CONV, 64, 64, 32),
        64, 2e-4, 0.5, 2e-4, 0.5, 1600, 100, 200, "mnist"));
    add(new Preset("dcgan-mnist",
        "DCGAN (upsampling G, 128/64 channels; conv D 64/128), seed 001's recipe, z=100",
        new ModelSpec(Generators.DCGAN_UPSAMPLE, Discriminators.DCGAN_CONV, 100, 128, 64),
        64, 2e-4, 0.5, 2e-4, 0.5, 5000, 250, 500, "mnist"));
    // For tests and smoke runs: a few thousand parameters.
    add(new Preset("tiny",
        "a few-thousand-parameter DCGAN for tests and smoke runs",
        new ModelSpec(Generators.DCGAN_UPSAMPLE, Discriminators.DCGAN_CONV, 8, 8, 4),
        8, 1e-3, 0.5, 1e-3, 0.5, 20, 10, 10, "mnist"));
  }

  private Presets() {}

  private static void add(Preset p) {
    ALL.put(p.name(), p);
  }

  public static Preset get(String name) {
    Preset p = ALL.get(name);
    if (p == null) {
      throw new NoSuchElementException("unknown preset '" + name + "'; known presets: " + String.join(", ", ALL.keySet()));
    }
    return p;
  }

  public static Map<String, Preset> all() {
    return java.util.Collections.unmodifiableMap(ALL);
  }
}
