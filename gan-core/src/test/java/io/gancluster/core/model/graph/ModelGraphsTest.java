package io.gancluster.core.model.graph;

import io.gancluster.core.model.recipe.Conditioning;
import io.gancluster.core.model.recipe.ModelSpec;
import io.gancluster.core.model.recipe.Objective;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.model.recipe.Presets;

import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.core.nn.Network;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ModelGraphsTest {
  static final ModelSpec SPEC = new ModelSpec(Generators.DCGAN_UPSAMPLE, Discriminators.DCGAN_CONV, 8, 8, 4);

  @Test
  void generatorMapsLatentToImagesInTanhRange() {
    Network g = Generators.build(SPEC, DataType.FLOAT, 1);
    INDArray z = Nd4j.randn(DataType.FLOAT, 5, 8);
    Map<String, INDArray> out = g.output(Map.of(Generators.Z, z), Generators.IMAGE, Generators.IMAGE_INFER);
    assertThat(out.get(Generators.IMAGE).shape()).containsExactly(5, 1, 28, 28);
    assertThat(out.get(Generators.IMAGE_INFER).shape()).containsExactly(5, 1, 28, 28);
    assertThat(out.get(Generators.IMAGE).amaxNumber().doubleValue()).isLessThanOrEqualTo(1.0);
  }

  @Test
  void sameSeedGivesSameWeightsAndOtherSeedDoesNot() {
    Network a = Generators.build(SPEC, DataType.FLOAT, 7);
    Network b = Generators.build(SPEC, DataType.FLOAT, 7);
    Network c = Generators.build(SPEC, DataType.FLOAT, 8);
    for (String p : a.trainableParameters()) {
      assertThat(a.array(p)).as(p).isEqualTo(b.array(p));
    }
    assertThat(a.array("g_fc_W")).isNotEqualTo(c.array("g_fc_W"));
  }

  @Test
  void everyGeneratorArchitectureMapsLatentToImages() {
    for (String name : Generators.architectures().keySet()) {
      Network g = Generators.build(new ModelSpec(name, Discriminators.DCGAN_CONV, 6, 8, 4), DataType.FLOAT, 1);
      Map<String, INDArray> out = g.output(Map.of(Generators.Z, Nd4j.randn(DataType.FLOAT, 3, 6)),
          Generators.IMAGE, Generators.IMAGE_INFER);
      assertThat(out.get(Generators.IMAGE).shape()).as(name).containsExactly(3, 1, 28, 28);
      assertThat(out.get(Generators.IMAGE_INFER).shape()).as(name).containsExactly(3, 1, 28, 28);
    }
  }

  @Test
  void everyDiscriminatorArchitectureGivesScoresFeaturesAndAnInputGradient() {
    for (String name : Discriminators.architectures().keySet()) {
      ModelSpec spec = new ModelSpec(Generators.DCGAN_UPSAMPLE, name, 4, 4, 4);
      Network d = Discriminators.build(spec, Objective.of(Objective.Loss.BCE),
          Discriminators.Role.GENERATOR_GRADIENT, DataType.FLOAT, 1);
      INDArray x = Nd4j.rand(DataType.FLOAT, 4, 1, 28, 28);
      OutAndGrad r = d.forwardBackward(Map.of(Discriminators.IMAGE, x,
              Discriminators.WEIGHT, Nd4j.ones(DataType.FLOAT, 4, 1).div(4)),
          List.of(Discriminators.SCORE, Discriminators.FEATURES), List.of(Discriminators.IMAGE));
      assertThat(r.getOutputs().get(Discriminators.SCORE).shape()).as(name).containsExactly(4, 1);
      assertThat(r.getOutputs().get(Discriminators.FEATURES).size(0)).as(name).isEqualTo(4);
      assertThat(r.getGradients().get(Discriminators.IMAGE).shape()).as(name).containsExactly(4, 1, 28, 28);
      assertThat(r.getGradients().get(Discriminators.IMAGE).norm2Number().doubleValue()).as(name).isGreaterThan(0);
    }
  }

  @Test
  void aConditionalGeneratorsImagesDependOnTheLabel() {
    for (Conditioning.GeneratorLabels how : new Conditioning.GeneratorLabels[] {
        Conditioning.GeneratorLabels.MULTIPLY, Conditioning.GeneratorLabels.CONCAT}) {
      ModelSpec spec = SPEC.withConditioning(new Conditioning(10, how, Conditioning.DiscriminatorLabels.INPUT_CHANNEL));
      Network g = Generators.build(spec, DataType.FLOAT, 1);
      INDArray z = Nd4j.randn(DataType.FLOAT, 1, 8).repeat(0, 2);
      INDArray labels = Labels.oneHot(new int[] {3, 7}, 10, DataType.FLOAT);
      INDArray images = g.output(Map.of(Generators.Z, z, Generators.LABEL, labels), Generators.IMAGE_INFER)
          .get(Generators.IMAGE_INFER);
      assertThat(images.slice(0)).as(how.name()).isNotEqualTo(images.slice(1));
    }
  }

  @Test
  void conditioningMustReachBothNetworks() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Conditioning(10, Conditioning.GeneratorLabels.CONCAT,
        Conditioning.DiscriminatorLabels.NONE)).hasMessageContaining("needs labels in both G and D");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Discriminators.checkCompatible(
            SPEC.withConditioning(new Conditioning(10, Conditioning.GeneratorLabels.CONCAT,
                Conditioning.DiscriminatorLabels.INPUT_CHANNEL)), Objective.of(Objective.Loss.WGAN_GP)))
        .hasMessageContaining("label channel");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Discriminators.checkCompatible(
            SPEC.withConditioning(new Conditioning(10, Conditioning.GeneratorLabels.CONCAT,
                Conditioning.DiscriminatorLabels.PROJECTION)), Objective.of(Objective.Loss.WGAN_GP)))
        .hasMessageContaining("projection");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Discriminators.checkCompatible(
            SPEC.withConditioning(new Conditioning(10, Conditioning.GeneratorLabels.CONCAT,
                Conditioning.DiscriminatorLabels.PROJECTION_AUXILIARY)),
            Objective.of(Objective.Loss.HINGE).withMatchingAware(true)))
        .hasMessageContaining("auxiliary class head");
  }

  @Test
  void aProjectionDiscriminatorWithAClassHeadCarriesBothParameterSets() {
    ModelSpec both = SPEC.withConditioning(new Conditioning(10, Conditioning.GeneratorLabels.CONCAT,
        Conditioning.DiscriminatorLabels.PROJECTION_AUXILIARY));
    ModelSpec projection = SPEC.withConditioning(new Conditioning(10, Conditioning.GeneratorLabels.CONCAT,
        Conditioning.DiscriminatorLabels.PROJECTION));
    Objective hinge = Objective.of(Objective.Loss.HINGE);
    Network d = Discriminators.build(both, hinge, Discriminators.Role.CRITIC_STEP, DataType.FLOAT, 1);
    Network p = Discriminators.build(projection, hinge, Discriminators.Role.CRITIC_STEP, DataType.FLOAT, 1);
    long features = 2L * SPEC.discriminatorWidth() * 49;
    // the class head: a dense layer from D's features to the 10 class logits, with its bias
    assertThat(d.parameterCount() - p.parameterCount()).isEqualTo(features * 10 + 10);
  }

  @Test
  void seed003NetworksHaveTheSeedsParameterCounts() {
    // the seed's Keras summaries: G 817,824 and D 1,040,385 parameters, BN moving statistics included.
    // Our critic drops the seed's three BN layers (256 + 512 + 1,024 parameters) for the gradient penalty.
    Preset p = Presets.get("wgan-gp-transposed");
    Network g = Generators.build(p.model(), DataType.FLOAT, 1);
    long buffers = g.buffers().stream().mapToLong(b -> g.array(b).length()).sum();
    assertThat(g.parameterCount() + buffers).isEqualTo(817_824);
    Network d = Discriminators.build(p.model(), p.objective(), Discriminators.Role.CRITIC_STEP, DataType.FLOAT, 1);
    assertThat(d.parameterCount()).isEqualTo(1_040_385 - 256 - 512 - 1_024);
  }

  @Test
  void theGradientPenaltyIsRefusedForCriticsThatMixSamples() {
    ModelSpec bn = new ModelSpec(Generators.DCGAN_UPSAMPLE, Discriminators.CONV3_BN, 4, 4, 4);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Discriminators.checkCompatible(bn, Objective.of(Objective.Loss.WGAN_GP)))
        .hasMessageContaining("wgan-gp does not fit discriminator 'conv3-bn'")
        .hasMessageContaining("batch normalisation")
        .hasMessageContaining(Discriminators.CONV5_CRITIC);
  }
}
