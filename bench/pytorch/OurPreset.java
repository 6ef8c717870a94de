import io.gancluster.core.model.graph.Discriminators;
import io.gancluster.core.model.graph.Generators;
import io.gancluster.core.model.recipe.AdamSettings;
import io.gancluster.core.model.recipe.ModelSpec;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.core.nn.Network;
import java.util.Locale;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Prints what bench/vs-pytorch compares with the PyTorch twin of a preset: its recipe (networks,
 * widths, z, loss, Adam settings, batch, D updates per step), the trainable parameter counts of G and
 * of D (the critic-step graph), and ND4J's thread counts, as one line of key=value pairs. A
 * single-file source program on the launcher's class path:
 * java -cp "launcher/target/launcher-0.1.0-SNAPSHOT.jar:launcher/target/lib/*" bench/pytorch/OurPreset.java PRESET
 */
public final class OurPreset {
  public static void main(String[] args) {
    Preset p = Presets.get(args.length > 0 ? args[0] : "dcgan-mnist");
    ModelSpec m = p.model();
    Network g = Generators.build(m, DataType.FLOAT, 1);
    Network d = Discriminators.build(m, p.objective(), Discriminators.Role.CRITIC_STEP, DataType.FLOAT, 1);
    AdamSettings ga = p.generatorAdam();
    AdamSettings da = p.discriminatorAdam();
    System.out.printf(Locale.ROOT, "preset=%s g=%s d=%s z=%d latent=%s gw=%d dw=%d classes=%d loss=%s gp_lambda=%s "
            + "g_lr=%s g_beta1=%s g_beta2=%s d_lr=%s d_beta1=%s d_beta2=%s batch=%d critic_steps=%d "
            + "g_params=%d d_params=%d nd4j_max_threads=%d%n",
        p.name(), m.generator(), m.discriminator(), m.zDim(), m.latent().cliName(), m.generatorWidth(),
        m.discriminatorWidth(), m.classes(), p.objective().loss().cliName(), p.objective().penaltyWeight(),
        ga.learningRate(), ga.beta1(), ga.beta2(), da.learningRate(), da.beta1(), da.beta2(), p.batchSize(),
        p.criticSteps(), g.parameterCount(), d.parameterCount(), Nd4j.getEnvironment().maxThreads());
  }
}
