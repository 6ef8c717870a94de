package io.gancluster.core.model.recipe;

import io.gancluster.core.model.graph.Discriminators;
import io.gancluster.core.model.graph.Generators;

import io.gancluster.core.model.recipe.Objective.Loss;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The built-in presets, by name: one per model of the seed documents, plus the demo and a tiny one
 * for tests. docs/presets.md says where each comes from and what differs from its seed.
 */
public final class Presets {
  private static final Map<String, Preset> ALL = new LinkedHashMap<>();

  static {
    // The demo: seed 001's DCGAN recipe (Adam 2e-4, beta1 0.5, z ~ N(0,1), images in [-1,1]) at half
    // width so 1,600 steps (~10 epochs of the bundled digits) fit in the demo's 10 minutes on 2 cores.
    add(new Preset("dcgan-mnist-small",
        "small DCGAN (upsampling G 64 ch, conv D 32/64), BCE, unconditional; ~7 min on 2 cores",
        "seed 001's recipe at half width with 5x5 kernels and no BN in D",
        new ModelSpec(Generators.DCGAN_UPSAMPLE, Discriminators.DCGAN_CONV, 64, 64, 32),
        Objective.of(Loss.BCE), new AdamSettings(2e-4, 0.5), new AdamSettings(2e-4, 0.5),
        64, 1, 0, 1600, 100, 200, "mnist"));
    add(new Preset("dcgan-mnist",
        "the demo's DCGAN at full width (G 128/64 ch, D 64/128 ch), z 100, BCE",
        "seed 001's recipe with 5x5 kernels and no BN in D (the walking skeleton's model)",
        new ModelSpec(Generators.DCGAN_UPSAMPLE, Discriminators.DCGAN_CONV, 100, 128, 64),
        Objective.of(Loss.BCE), new AdamSettings(2e-4, 0.5), new AdamSettings(2e-4, 0.5),
        64, 1, 0, 5000, 250, 500, "mnist"));
    add(new Preset("mlp-gan",
        "fully connected GAN (G 256-512-1024-784, D 512-256-1), BCE",
        "seed 001's 2014 MLP GAN, with its DCGAN optimiser settings",
        new ModelSpec(Generators.MLP, Discriminators.MLP, 100, 256, 128),
        Objective.of(Loss.BCE), new AdamSettings(2e-4, 0.5), new AdamSettings(2e-4, 0.5),
        32, 1, 0, 4000, 200, 1000, "mnist"));
    add(new Preset("dcgan-upsample",
        "DCGAN, upsampling G (conv3 128/64, BN), conv3 D 32-256 with BN, BCE, batch 32",
        "seed 001 (Keras DCGAN): 4,000 iterations of batch 32, grids every 50",
        new ModelSpec(Generators.UPSAMPLE_CONV3, Discriminators.CONV3_BN, 100, 128, 32),
        Objective.of(Loss.BCE), new AdamSettings(2e-4, 0.5), new AdamSettings(2e-4, 0.5),
        32, 1, 0, 4000, 50, 500, "mnist"));
    add(new Preset("wgan-gp-transposed",
        "WGAN-GP: transposed-conv G (817k), conv5 critic without BN (1.04M), z 20 uniform, lambda 10, n_critic 5",
        "seed 003 (TF2 DCGAN/WGAN-GP): batch 128, Adam 2e-4, 100 epochs; critic BN and dropout removed",
        new ModelSpec(Generators.TRANSPOSED_CONV5, Discriminators.CONV5_CRITIC, 20, Latent.UNIFORM, 128, 64),
        Objective.of(Loss.WGAN_GP), new AdamSettings(2e-4, 0.9), new AdamSettings(2e-4, 0.9),
        128, 5, 100, 0, 50, 100, "fashion"));
    add(new Preset("infogan-minibatch",
        "infoGAN-style G (fc 1024, fc 7x7x128, convT4) and D with minibatch discrimination, BCE, z 62",
        "seed 002: its G/D with N(0, 0.02) init and BN decay 0.9; tanh output instead of sigmoid",
        new ModelSpec(Generators.FC_TRANSPOSED_CONV4, Discriminators.CONV4_MINIBATCH, 62, 128, 64),
        Objective.of(Loss.BCE), new AdamSettings(2e-4, 0.5), new AdamSettings(2e-4, 0.5),
        64, 1, 20, 0, 200, 500, "mnist"));
    add(new Preset("lsgan",
        "least-squares GAN: fc/convT4 G, conv4-fc D, D lr 1e-4 and G lr 1e-3, z 50",
        "seed 004's losses and optimiser, unconditional (GAN-cls's label input is issue 5's)",
        new ModelSpec(Generators.FC_TRANSPOSED_CONV4, Discriminators.CONV4_FC, 50, 128, 64),
        Objective.of(Loss.LSGAN), new AdamSettings(1e-3, 0.9), new AdamSettings(1e-4, 0.9),
        64, 1, 3, 0, 100, 500, "mnist"));
    Conditioning multiplyAux = new Conditioning(10, Conditioning.GeneratorLabels.MULTIPLY,
        Conditioning.DiscriminatorLabels.AUXILIARY);
    add(new Preset("acgan",
        "AC-GAN: z (100, uniform) times a label embedding, dense 3x3x384 + convT G; D with an auxiliary class head",
        "seed 000: aux weight 2 on reals, 0 on fakes; real label 0.95; its D is not given, the DCGAN conv D is used",
        new ModelSpec(Generators.DENSE3_TRANSPOSED_CONV5, Discriminators.DCGAN_CONV, 100, Latent.UNIFORM, 384, 32,
            multiplyAux),
        Objective.of(Loss.BCE).withRealLabel(0.95), new AdamSettings(2e-4, 0.5), new AdamSettings(2e-4, 0.5),
        100, 1, 0, 3000, 100, 500, "mnist"));
    add(new Preset("cgan-multiply",
        "conditional DCGAN: z times a learned label embedding in G, the label as a second image channel in D",
        "seed 000's label input for G (embedding, Hadamard product) with the demo's networks",
        new ModelSpec(Generators.DCGAN_UPSAMPLE, Discriminators.DCGAN_CONV, 64, Latent.NORMAL, 64, 32,
            new Conditioning(10, Conditioning.GeneratorLabels.MULTIPLY, Conditioning.DiscriminatorLabels.INPUT_CHANNEL)),
        Objective.of(Loss.BCE), new AdamSettings(2e-4, 0.5), new AdamSettings(2e-4, 0.5),
        64, 1, 0, 1600, 100, 200, "mnist"));
    add(new Preset("cgan-concat",
        "the demo: conditional DCGAN, concat(one-hot label, z) in G, label as a 2nd image channel in D; ~8 min",
        "the concatenation variant of cGAN (Mirza & Osindero), with the demo's networks",
        new ModelSpec(Generators.DCGAN_UPSAMPLE, Discriminators.DCGAN_CONV, 64, Latent.NORMAL, 64, 32,
            new Conditioning(10, Conditioning.GeneratorLabels.CONCAT, Conditioning.DiscriminatorLabels.INPUT_CHANNEL)),
        Objective.of(Loss.BCE), new AdamSettings(2e-4, 0.5), new AdamSettings(2e-4, 0.5),
        64, 1, 0, 1600, 100, 200, "mnist"));
    add(new Preset("gan-cls",
        "GAN-cls: matching-aware D (real images with wrong labels count as fake), LSGAN on D's sigmoid, D lr 1e-4, G lr 1e-3",
        "seed 004: concat(one-hot, z 40) into the fc/convT4 G, label channel via dense 784 in D, 3 epochs",
        new ModelSpec(Generators.FC_TRANSPOSED_CONV4, Discriminators.CONV4_FC, 40, Latent.NORMAL, 128, 64,
            new Conditioning(10, Conditioning.GeneratorLabels.CONCAT, Conditioning.DiscriminatorLabels.INPUT_CHANNEL)),
        Objective.of(Loss.LSGAN_SIGMOID).withMatchingAware(true), new AdamSettings(1e-3, 0.9), new AdamSettings(1e-4, 0.9),
        64, 1, 3, 0, 100, 500, "mnist"));
    // For tests and smoke runs: a few thousand parameters.
    add(new Preset("tiny",
        "a few-thousand-parameter DCGAN for tests and smoke runs",
        "-",
        new ModelSpec(Generators.DCGAN_UPSAMPLE, Discriminators.DCGAN_CONV, 8, 8, 4),
        Objective.of(Loss.BCE), new AdamSettings(1e-3, 0.5), new AdamSettings(1e-3, 0.5),
        8, 1, 0, 20, 10, 10, "mnist"));
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
    return Collections.unmodifiableMap(ALL);
  }
}
