package io.gancluster.core.model.recipe;

import io.gancluster.core.model.graph.Discriminators;
import io.gancluster.core.model.graph.Generators;

import io.gancluster.core.model.recipe.Objective.Loss;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The built-in presets, by name: one per reproduced model (a published GAN, or a public reference
 * recipe for one), plus the demo and a tiny one for tests. docs/presets.md says where each comes from
 * and what differs from its source.
 */
public final class Presets {
  private static final Map<String, Preset> ALL = new LinkedHashMap<>();
  /** DCGAN's optimiser (Radford et al. 2016): Adam, learning rate 2e-4, beta1 0.5. */
  private static final AdamSettings DCGAN_ADAM = new AdamSettings(2e-4, 0.5);
  /** GAN-cls trains on: 3 epochs of 60,000 digits in the reference; the bundled 9,000 need more (docs/conditional-results.md). */
  private static final int GAN_CLS_EPOCHS = 6;

  static {
    // The first demo: DCGAN's recipe (Adam 2e-4, beta1 0.5, z ~ N(0,1), images in [-1,1]) at half
    // width so 1,600 steps (~10 epochs of the bundled digits) fit in the demo's 10 minutes on 2 cores.
    add(Preset.builder("dcgan-mnist-small")
        .summary("small DCGAN (upsampling G 64 ch, conv D 32/64), BCE, unconditional; ~7 min on 2 cores")
        .source("DCGAN's optimiser recipe (Radford et al. 2016), after a Keras DCGAN, at half width with 5x5 kernels and no BN in D")
        .model(ModelSpec.builder(Generators.DCGAN_UPSAMPLE, Discriminators.DCGAN_CONV)
            .zDim(64).generatorWidth(64).discriminatorWidth(32).build())
        .objective(Objective.of(Loss.BCE))
        .generatorAdam(new AdamSettings(2e-4, 0.5)).discriminatorAdam(new AdamSettings(2e-4, 0.5))
        .batchSize(64).criticSteps(1).maxSteps(1600)
        .sampleEvery(100).checkpointEvery(200).defaultData("mnist")
        .build());
    add(Preset.builder("dcgan-mnist")
        .summary("the demo's DCGAN at full width (G 128/64 ch, D 64/128 ch), z 100, BCE")
        .source("DCGAN's optimiser recipe (Radford et al. 2016), after a Keras DCGAN, with 5x5 kernels and no BN in D (the project's first model)")
        .model(ModelSpec.builder(Generators.DCGAN_UPSAMPLE, Discriminators.DCGAN_CONV)
            .zDim(100).generatorWidth(128).discriminatorWidth(64).build())
        .objective(Objective.of(Loss.BCE))
        .generatorAdam(new AdamSettings(2e-4, 0.5)).discriminatorAdam(new AdamSettings(2e-4, 0.5))
        .batchSize(64).criticSteps(1).maxSteps(5000)
        .sampleEvery(250).checkpointEvery(500).defaultData("mnist")
        .build());
    add(Preset.builder("mlp-gan")
        .summary("fully connected GAN (G 256-512-1024-784, D 512-256-1), BCE")
        .source("the 2014 MLP GAN (Goodfellow et al. 2014), with DCGAN's optimiser settings (Radford et al. 2016)")
        .model(ModelSpec.builder(Generators.MLP, Discriminators.MLP)
            .zDim(100).generatorWidth(256).discriminatorWidth(128).build())
        .objective(Objective.of(Loss.BCE))
        .generatorAdam(new AdamSettings(2e-4, 0.5)).discriminatorAdam(new AdamSettings(2e-4, 0.5))
        .batchSize(32).criticSteps(1).maxSteps(4000)
        .sampleEvery(200).checkpointEvery(1000).defaultData("mnist")
        .build());
    add(Preset.builder("dcgan-upsample")
        .summary("DCGAN, upsampling G (conv3 128/64, BN), conv3 D 32-256 with BN, BCE, batch 32")
        .source("a Keras DCGAN (Radford et al. 2016): 4,000 iterations of batch 32, grids every 50")
        .model(ModelSpec.builder(Generators.UPSAMPLE_CONV3, Discriminators.CONV3_BN)
            .zDim(100).generatorWidth(128).discriminatorWidth(32).build())
        .objective(Objective.of(Loss.BCE))
        .generatorAdam(new AdamSettings(2e-4, 0.5)).discriminatorAdam(new AdamSettings(2e-4, 0.5))
        .batchSize(32).criticSteps(1).maxSteps(4000)
        .sampleEvery(50).checkpointEvery(500).defaultData("mnist")
        .build());
    add(Preset.builder("wgan-gp-transposed")
        .summary("WGAN-GP: transposed-conv G (817k), conv5 critic without BN (1.04M), z 20 uniform, lambda 10, n_critic 5")
        .source("a TF2 DCGAN/WGAN-GP (Gulrajani et al. 2017): batch 128, Adam 2e-4, 100 epochs; critic BN and dropout removed")
        .model(ModelSpec.builder(Generators.TRANSPOSED_CONV5, Discriminators.CONV5_CRITIC)
            .zDim(20).latent(Latent.UNIFORM).generatorWidth(128).discriminatorWidth(64).build())
        .objective(Objective.of(Loss.WGAN_GP))
        .generatorAdam(new AdamSettings(2e-4, 0.9)).discriminatorAdam(new AdamSettings(2e-4, 0.9))
        .batchSize(128).criticSteps(5).epochs(100)
        .sampleEvery(50).checkpointEvery(100).defaultData("fashion")
        .build());
    add(Preset.builder("infogan-minibatch")
        .summary("infoGAN-style G (fc 1024, fc 7x7x128, convT4) and D with minibatch discrimination, BCE, z 62")
        .source("infoGAN-style G/D (Chen et al. 2016) with minibatch discrimination (Salimans et al. 2016), N(0, 0.02) init and BN decay 0.9; tanh output instead of sigmoid")
        .model(ModelSpec.builder(Generators.FC_TRANSPOSED_CONV4, Discriminators.CONV4_MINIBATCH)
            .zDim(62).generatorWidth(128).discriminatorWidth(64).build())
        .objective(Objective.of(Loss.BCE))
        .generatorAdam(new AdamSettings(2e-4, 0.5)).discriminatorAdam(new AdamSettings(2e-4, 0.5))
        .batchSize(64).criticSteps(1).epochs(20)
        .sampleEvery(200).checkpointEvery(500).defaultData("mnist")
        .build());
    add(Preset.builder("lsgan")
        .summary("least-squares GAN: fc/convT4 G, conv4-fc D, D lr 1e-4 and G lr 1e-3, z 50")
        .source("LSGAN's losses (Mao et al. 2017) with a GAN-cls reference recipe's optimiser, unconditional (GAN-cls's label input is the gan-cls preset's)")
        .model(ModelSpec.builder(Generators.FC_TRANSPOSED_CONV4, Discriminators.CONV4_FC)
            .zDim(50).generatorWidth(128).discriminatorWidth(64).build())
        .objective(Objective.of(Loss.LSGAN))
        .generatorAdam(new AdamSettings(1e-3, 0.9)).discriminatorAdam(new AdamSettings(1e-4, 0.9))
        .batchSize(64).criticSteps(1).epochs(3)
        .sampleEvery(100).checkpointEvery(500).defaultData("mnist")
        .build());
    add(Preset.builder("acgan")
        .summary("AC-GAN: z (100, uniform) times a label embedding, dense 3x3x384 + convT G; D with an auxiliary class head")
        .source("AC-GAN (Odena et al. 2017) as a Keras reference recipe writes it: aux weight 2 on reals, 0 on fakes; real label 0.95; its D is not given, the DCGAN conv D is used")
        .model(ModelSpec.builder(Generators.DENSE3_TRANSPOSED_CONV5, Discriminators.DCGAN_CONV)
            .zDim(100).latent(Latent.UNIFORM).generatorWidth(384).discriminatorWidth(32)
            .conditioning(new Conditioning(10, Conditioning.GeneratorLabels.MULTIPLY,
                Conditioning.DiscriminatorLabels.AUXILIARY))
            .build())
        .objective(Objective.of(Loss.BCE).withRealLabel(0.95))
        .generatorAdam(new AdamSettings(2e-4, 0.5)).discriminatorAdam(new AdamSettings(2e-4, 0.5))
        .batchSize(100).criticSteps(1).maxSteps(3000)
        .sampleEvery(100).checkpointEvery(500).defaultData("mnist")
        .build());
    add(Preset.builder("cgan-multiply")
        .summary("conditional DCGAN: z times a learned label embedding in G, the label as a second image channel in D")
        .source("a Keras AC-GAN's label input for G (Odena et al. 2017: embedding, Hadamard product) with the demo's networks")
        .model(demoNetworks(Conditioning.GeneratorLabels.MULTIPLY, Conditioning.DiscriminatorLabels.INPUT_CHANNEL))
        .objective(Objective.of(Loss.BCE))
        .generatorAdam(DCGAN_ADAM).discriminatorAdam(DCGAN_ADAM)
        .batchSize(64).criticSteps(1).maxSteps(1600)
        .sampleEvery(100).checkpointEvery(200).defaultData("mnist")
        .build());
    add(Preset.builder("cgan-concat")
        .summary("conditional DCGAN, concat(one-hot label, z) in G, label as a 2nd image channel in D (the demo before)")
        .source("the concatenation variant of cGAN (Mirza & Osindero), with the demo's networks")
        .model(demoNetworks(Conditioning.GeneratorLabels.CONCAT, Conditioning.DiscriminatorLabels.INPUT_CHANNEL))
        .objective(Objective.of(Loss.BCE))
        .generatorAdam(DCGAN_ADAM).discriminatorAdam(DCGAN_ADAM)
        .batchSize(64).criticSteps(1).maxSteps(1600)
        .sampleEvery(100).checkpointEvery(200).defaultData("mnist")
        .build());
    // On Fashion-MNIST 1,600 steps are under two epochs of its 60,000 images: the label-channel cGANs need
    // twice that to draw every class (label accuracy 0.8 or more), cgan-multiply also the hinge loss
    // (docs/conditional-results.md).
    add(onFashion("cgan-concat", Objective.of(Loss.BCE), 3200, "3.4 epochs, 8 min on 2 cores"));
    add(onFashion("cgan-multiply", Objective.of(Loss.HINGE), 3200, "3.4 epochs, 8 min on 2 cores"));
    add(Preset.builder("cgan-projection")
        .summary("conditional DCGAN: concat(one-hot label, z) in G, a projection discriminator, hinge loss")
        .source("the projection discriminator (Miyato & Koyama) with the hinge loss, on the demo's networks")
        .model(demoNetworks(Conditioning.GeneratorLabels.CONCAT, Conditioning.DiscriminatorLabels.PROJECTION))
        .objective(Objective.of(Loss.HINGE))
        .generatorAdam(DCGAN_ADAM).discriminatorAdam(DCGAN_ADAM)
        .batchSize(64).criticSteps(1).maxSteps(2400)
        .sampleEvery(100).checkpointEvery(200).defaultData("mnist")
        .build());
    add(Preset.builder("cgan-projection-cbn")
        .summary("cgan-projection with class-conditional batch norm in G and an EMA of G's weights")
        .source("projection discriminator and conditional batch norm (Miyato & Koyama), EMA 0.999, on the DCGAN networks")
        .model(demoNetworks(Conditioning.GeneratorLabels.CONCAT_CONDITIONAL_BN, Conditioning.DiscriminatorLabels.PROJECTION))
        .objective(Objective.of(Loss.HINGE))
        .generatorAdam(DCGAN_ADAM).discriminatorAdam(DCGAN_ADAM)
        .batchSize(64).criticSteps(1).maxSteps(2400).emaDecay(0.999)
        .sampleEvery(100).checkpointEvery(200).defaultData("mnist")
        .build());
    add(Preset.builder("cgan-projection-aux")
        .summary("the demo: cgan-projection-cbn whose D also has AC-GAN's class head and spectral norm; 8 min on 2 cores")
        .source("projection discriminator and conditional batch norm (Miyato & Koyama), AC-GAN's class head and spectral normalisation together, EMA 0.999, on the DCGAN networks")
        .model(demoNetworks(Conditioning.GeneratorLabels.CONCAT_CONDITIONAL_BN, Conditioning.DiscriminatorLabels.PROJECTION_AUXILIARY)
            .withSpectralNorm(true))
        .objective(Objective.of(Loss.HINGE))
        .generatorAdam(DCGAN_ADAM).discriminatorAdam(DCGAN_ADAM)
        .batchSize(64).criticSteps(1).maxSteps(1800).emaDecay(0.999)
        .sampleEvery(100).checkpointEvery(200).defaultData("mnist")
        .build());
    // The demo's recipe, trained for longer: what the same networks reach when time is not the limit.
    add(fullRun("cgan-full-mnist", "mnist", 3600, Objective.DEFAULT_CLASS_WEIGHT,
        "26 epochs of the bundled digits, 15 min on 2 cores"));
    // On Fashion-MNIST the full class-head weight makes every garment its class's most typical one; a tenth
    // of it keeps label accuracy well above the evaluator's own and lowers FD, which still falls slowly
    // after 10,000 steps (docs/conditional-results.md).
    add(fullRun("cgan-full-fashion", "fashion", 20000, 0.1, "21 epochs of Fashion-MNIST, 65 min on 2 cores"));
    add(Preset.builder("gan-cls")
        .summary("GAN-cls: matching-aware D (real images with wrong labels count as fake), LSGAN on D's sigmoid, "
            + "D lr 1e-4, G lr 1e-3, Adam beta1 0.5 (the reference's 0.9 collapses)")
        .source("GAN-cls (Reed et al. 2016) as gan-cls-reference, with Adam beta1 0.5 instead of 0.9 for both networks")
        .model(ganClsNetworks())
        .objective(Objective.of(Loss.LSGAN_SIGMOID).withMatchingAware(true))
        .generatorAdam(new AdamSettings(1e-3, 0.5)).discriminatorAdam(new AdamSettings(1e-4, 0.5))
        .batchSize(64).criticSteps(1).epochs(GAN_CLS_EPOCHS)
        .sampleEvery(100).checkpointEvery(500).defaultData("mnist")
        .build());
    add(Preset.builder("gan-cls-reference")
        .summary("GAN-cls exactly as the reference recipe: as gan-cls but Adam beta1 0.9 and 3 epochs; "
            + "collapses (see docs/conditional-results.md)")
        .source("GAN-cls (Reed et al. 2016), as a reference recipe writes it: concat(one-hot, z 40) into the fc/convT4 G, "
            + "label channel via dense 784 in D, 3 epochs")
        .model(ganClsNetworks())
        .objective(Objective.of(Loss.LSGAN_SIGMOID).withMatchingAware(true))
        .generatorAdam(new AdamSettings(1e-3, 0.9)).discriminatorAdam(new AdamSettings(1e-4, 0.9))
        .batchSize(64).criticSteps(1).epochs(3)
        .sampleEvery(100).checkpointEvery(500).defaultData("mnist")
        .build());
    // For tests and smoke runs: a few thousand parameters.
    add(Preset.builder("tiny")
        .summary("a few-thousand-parameter DCGAN for tests and smoke runs")
        .source("-")
        .model(ModelSpec.builder(Generators.DCGAN_UPSAMPLE, Discriminators.DCGAN_CONV)
            .zDim(8).generatorWidth(8).discriminatorWidth(4).build())
        .objective(Objective.of(Loss.BCE))
        .generatorAdam(new AdamSettings(1e-3, 0.5)).discriminatorAdam(new AdamSettings(1e-3, 0.5))
        .batchSize(8).criticSteps(1).maxSteps(20)
        .sampleEvery(10).checkpointEvery(10).defaultData("mnist")
        .build());
  }

  private Presets() {}


  /** GAN-cls's networks: concat(one-hot, z 40 ~ N(0, 1)) into the fc/convT4 G (width 128), conv4-fc D (64) with a label channel. */
  private static ModelSpec ganClsNetworks() {
    return ModelSpec.builder(Generators.FC_TRANSPOSED_CONV4, Discriminators.CONV4_FC)
        .zDim(40).latent(Latent.NORMAL).generatorWidth(128).discriminatorWidth(64)
        .conditioning(new Conditioning(10, Conditioning.GeneratorLabels.CONCAT, Conditioning.DiscriminatorLabels.INPUT_CHANNEL))
        .build();
  }

  /**
   * cgan-projection-aux for {@code steps} steps on {@code data}, with G's class-head weight {@code classWeight}:
   * the demo's recipe without the demo's time limit.
   */
  private static Preset fullRun(String name, String data, int steps, double classWeight, String length) {
    Preset demo = get("cgan-projection-aux");
    String weight = classWeight == Objective.DEFAULT_CLASS_WEIGHT ? "" : ", G's class-head weight " + classWeight;
    return demo.toBuilder(name)
        .summary("the demo's recipe (cgan-projection-aux) trained longer on " + data + weight + ": " + length)
        .objective(demo.objective().withClassWeight(classWeight))
        .maxSteps(steps).checkpointEvery(500).defaultData(data)
        .build();
  }

  /** {@code base} with {@code objective}, trained {@code steps} steps on Fashion-MNIST by default. */
  private static Preset onFashion(String base, Objective objective, int steps, String length) {
    Preset p = get(base);
    String loss = objective.equals(p.objective()) ? "" : ", " + objective.loss().cliName() + " loss";
    return p.toBuilder(base + "-fashion")
        .summary(base + " sized for Fashion-MNIST" + loss + ": " + steps + " steps, " + length)
        .objective(objective).maxSteps(steps).defaultData("fashion")
        .build();
  }

  /** The demo's conditional networks: upsampling G 64 ch, conv D 32/64, z 64 ~ N(0, 1), 10 classes. */
  private static ModelSpec demoNetworks(Conditioning.GeneratorLabels g, Conditioning.DiscriminatorLabels d) {
    return ModelSpec.builder(Generators.DCGAN_UPSAMPLE, Discriminators.DCGAN_CONV)
        .zDim(64).latent(Latent.NORMAL).generatorWidth(64).discriminatorWidth(32)
        .conditioning(new Conditioning(10, g, d))
        .build();
  }

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
