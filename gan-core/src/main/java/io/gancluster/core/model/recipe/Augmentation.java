package io.gancluster.core.model.recipe;

import java.util.ArrayList;
import java.util.List;

/**
 * Differentiable augmentation (Zhao et al., 2020, "DiffAugment"): D sees every image, real or fake,
 * randomly translated and with a square cut out, and G's gradient flows back through the same
 * transform. D then cannot memorise a small training set (the 9,000 bundled digits) pixel by pixel,
 * while G is still pushed toward un-augmented images, because reals and fakes are augmented alike.
 *
 * @param maxShift translation by up to ± this many pixels in each direction (0: none); uncovered pixels
 *     take the background value
 * @param cutout side of the square set to the background value at a random centre (0: none)
 */
public record Augmentation(int maxShift, int cutout) {
  public static final Augmentation NONE = new Augmentation(0, 0);
  /** DiffAugment's translation ratio 1/8 and cutout ratio 1/2 at 28 × 28: ± 4 pixels and a 14 × 14 square. */
  public static final int DEFAULT_SHIFT = 4;
  public static final int DEFAULT_CUTOUT = 14;

  public Augmentation {
    if (maxShift < 0 || maxShift > 13 || cutout < 0 || cutout > 28) {
      throw new IllegalArgumentException("augmentation: shift must be in 0..13 and cutout in 0..28 pixels, got "
          + maxShift + " and " + cutout);
    }
  }

  public boolean enabled() {
    return maxShift > 0 || cutout > 0;
  }

  /**
   * Parses a policy: "none", or a comma-separated list of "translation" and "cutout" (DiffAugment's
   * names), each optionally with its size in pixels, e.g. "translation=3,cutout".
   */
  public static Augmentation parse(String policy) {
    String p = policy.trim();
    if (p.isEmpty() || p.equals("none")) {
      return NONE;
    }
    int shift = 0;
    int cut = 0;
    for (String part : p.split(",")) {
      String[] kv = part.trim().split("=", 2);
      int size;
      try {
        size = kv.length == 2 ? Integer.parseInt(kv[1].trim()) : -1;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("augmentation '" + policy + "': '" + kv[1] + "' is not a pixel count");
      }
      switch (kv[0].trim()) {
        case "translation" -> shift = size < 0 ? DEFAULT_SHIFT : size;
        case "cutout" -> cut = size < 0 ? DEFAULT_CUTOUT : size;
        default -> throw new IllegalArgumentException("augmentation '" + policy + "': unknown part '" + kv[0].trim()
            + "'; use none, or translation and/or cutout, e.g. translation,cutout or translation=3");
      }
    }
    return new Augmentation(shift, cut);
  }

  /** The policy in {@link #parse} form. */
  @Override
  public String toString() {
    if (!enabled()) {
      return "none";
    }
    List<String> parts = new ArrayList<>();
    if (maxShift > 0) {
      parts.add("translation=" + maxShift);
    }
    if (cutout > 0) {
      parts.add("cutout=" + cutout);
    }
    return String.join(",", parts);
  }
}
