package io.gancluster.core.model.recipe;

/**
 * Whether, and how, a G/D pair sees class labels. A label travels as a one-hot row [N, classes].
 *
 * @param classes number of classes (0: unconditional)
 * @param generator how G takes the label
 * @param discriminator how D uses the label
 */
public record Conditioning(int classes, GeneratorLabels generator, DiscriminatorLabels discriminator) {
  public static final Conditioning NONE = new Conditioning(0, GeneratorLabels.NONE, DiscriminatorLabels.NONE);

  /** How the generator takes the label. */
  public enum GeneratorLabels {
    NONE,
    /** z ⊙ embedding(label): a learned [classes, zDim] table (a Keras AC-GAN's generator). */
    MULTIPLY,
    /** concat(one_hot(label), z) (GAN-cls's generator, Reed et al. 2016). */
    CONCAT,
    /**
     * concat(one_hot(label), z), and class-conditional batch norm: every batch-norm layer of G also
     * scales and shifts by a learned gain and bias per class, so the label reaches every layer.
     */
    CONCAT_CONDITIONAL_BN
  }

  /** How the discriminator uses the label. */
  public enum DiscriminatorLabels {
    NONE,
    /** The label, through a dense 784 + LeakyReLU, becomes a second image channel: D judges (x, y) pairs. */
    INPUT_CHANNEL,
    /** D does not see the label; an auxiliary head classifies the image (AC-GAN). */
    AUXILIARY,
    /**
     * Projection (Miyato &amp; Koyama, 2018): D's score gains ⟨embedding(label), features(x)⟩, an inner
     * product of a learned per-class vector with D's penultimate features, so D judges (x, y) pairs
     * without concatenating the label to the image.
     */
    PROJECTION,
    /**
     * Projection, and AC-GAN's auxiliary class head on D's features as well: D learns the classes from
     * real images, and G is also rewarded for fakes that D classifies as their requested label, which
     * makes every class easier to tell apart than the projection term alone does in a short run.
     */
    PROJECTION_AUXILIARY;

    /** Whether D is fed each image's label. */
    public boolean seesLabels() {
      return this == INPUT_CHANNEL || this == PROJECTION || this == PROJECTION_AUXILIARY;
    }

    /** Whether D carries an auxiliary class head. */
    public boolean classifies() {
      return this == AUXILIARY || this == PROJECTION_AUXILIARY;
    }

    /** Whether D's score gains a projection term. */
    public boolean projects() {
      return this == PROJECTION || this == PROJECTION_AUXILIARY;
    }
  }

  public Conditioning {
    boolean any = generator != GeneratorLabels.NONE || discriminator != DiscriminatorLabels.NONE;
    if (any != classes > 0) {
      throw new IllegalArgumentException(any ? "a conditional model needs a class count > 0"
          : "a class count needs a generator or discriminator that uses labels");
    }
    if (any && (generator == GeneratorLabels.NONE || discriminator == DiscriminatorLabels.NONE)) {
      throw new IllegalArgumentException("a conditional model needs labels in both G and D (G: " + generator
          + ", D: " + discriminator + "): otherwise one network ignores what the other learns");
    }
  }

  public boolean conditional() {
    return classes > 0;
  }
}
