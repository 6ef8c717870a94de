package io.gancluster.core.model;

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
  void discriminatorGivesGradientsForParametersAndInput() {
    Network d = Discriminators.build(SPEC, DataType.FLOAT, 1);
    INDArray x = Nd4j.rand(DataType.FLOAT, 3, 1, 28, 28);
    Map<String, INDArray> phs = Map.of(Discriminators.IMAGE, x,
        Discriminators.TARGET, Nd4j.ones(DataType.FLOAT, 3, 1),
        Discriminators.WEIGHT, Nd4j.ones(DataType.FLOAT, 3, 1).div(3));
    OutAndGrad r = d.forwardBackward(phs, List.of(Discriminators.LOGIT, Discriminators.LOSS),
        List.of("d_fc_W", Discriminators.IMAGE));
    assertThat(r.getOutputs().get(Discriminators.LOGIT).shape()).containsExactly(3, 1);
    assertThat(r.getGradients().get(Discriminators.IMAGE).shape()).containsExactly(3, 1, 28, 28);
    assertThat(r.getGradients().get(Discriminators.IMAGE).norm2Number().doubleValue()).isGreaterThan(0);
  }
}
