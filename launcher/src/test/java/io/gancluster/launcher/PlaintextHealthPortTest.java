package io.gancluster.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.gancluster.client.RpcClient;
import io.gancluster.core.checkpoint.Checkpoint;
import io.gancluster.core.checkpoint.CheckpointStore;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.discriminator.DiscriminatorVerticle;
import io.gancluster.gateway.GatewayOptions;
import io.gancluster.gateway.GatewayVerticle;
import io.gancluster.generator.GeneratorTrainer;
import io.gancluster.generator.GeneratorVerticle;
import io.gancluster.generator.serving.FileCheckpointSource;
import io.gancluster.generator.serving.ServingOptions;
import io.gancluster.generator.serving.ServingVerticle;
import io.gancluster.proto.v1.DiscriminatorServiceGrpcService;
import io.gancluster.proto.v1.GeneratorServiceGrpcService;
import io.gancluster.proto.v1.SamplingServiceGrpcService;
import io.gancluster.proto.v1.TrainerServiceGrpcService;
import io.gancluster.runtime.networkservice.NetworkServiceOptions;
import io.gancluster.runtime.rpc.Blocking;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.runtime.rpc.RpcException;
import io.gancluster.runtime.security.Security;
import io.gancluster.trainer.run.RunConfig;
import io.gancluster.trainer.service.TrainerOptions;
import io.gancluster.trainer.service.TrainerVerticle;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.health.v1.HealthCheckRequest;
import io.vertx.grpc.health.v1.HealthCheckResponse;
import io.vertx.grpc.health.v1.HealthCheckResponse.ServingStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * With TLS on, every service can also open a plaintext port that answers only the gRPC health check, for
 * probes that cannot speak TLS (Kubernetes' native gRPC probes): it says what the TLS port's health service
 * says, serves nothing else, and the main port still refuses plaintext.
 */
class PlaintextHealthPortTest {
  private static final ServiceMethod<HealthCheckResponse, HealthCheckRequest> CHECK = ServiceMethod.client(
      ServiceName.create("grpc.health.v1.Health"), "Check", GrpcMessageEncoder.encoder(),
      GrpcMessageDecoder.decoder(HealthCheckResponse.newBuilder()));

  @TempDir
  Path tmp;

  private Vertx vertx;

  @AfterEach
  void close() {
    if (vertx != null) {
      Blocking.await(vertx.close(), Duration.ofSeconds(30));
    }
  }

  /** A service under test: its TLS port, its plaintext health port, the name its probes ask for. */
  record Served(int port, int healthPort, String service) {}

  @Test
  void everyServiceAnswersServingOnItsPlaintextHealthPortWhileItsMainPortRequiresTls() throws Exception {
    vertx = Vertx.vertx();
    Path p12 = TestCertificates.keystore(tmp);
    Security server = Security.of("control-token", "sampling-token", TestCertificates.tls(p12));
    Preset tiny = Presets.get("tiny");
    DiscriminatorVerticle d = deploy(new DiscriminatorVerticle(NetworkServiceOptions.forDiscriminator(tiny, 2).setPort(0)
        .setHealthPort(0).setSecurity(server)));
    GeneratorVerticle g = deploy(new GeneratorVerticle(NetworkServiceOptions.forGenerator(tiny, 2).setPort(0)
        .setHealthPort(0).setSecurity(server)));
    TrainerVerticle trainer = deploy(new TrainerVerticle(new TrainerOptions().setPort(0).setHealthPort(0).setAutoStart(false)
        .setGenerator(new HostPort("127.0.0.1", g.actualPort())).setDiscriminator(new HostPort("127.0.0.1", d.actualPort()))
        .setRun(new RunConfig("tiny", "mnist", 2, tmp.resolve("run"), 10, 0, 10)).setSecurity(server)));
    Path checkpoint = new CheckpointStore(tmp.resolve("served/checkpoints"), 1).write(new Checkpoint(1, 0, 2,
        Map.of("preset", "tiny", "generator", tiny.generatorRecipe(), "latent", "normal", "label_names", ""),
        new GeneratorTrainer(tiny, org.nd4j.linalg.api.buffer.DataType.FLOAT, 2).exportState(), new byte[0]));
    // a drain grace long enough to ask the draining replica
    ServingVerticle replica = deploy(new ServingVerticle(new ServingOptions().setPort(0).setHealthPort(0)
        .setDrainGraceMs(3_000).setSecurity(server), v -> new FileCheckpointSource(v, checkpoint)));
    Blocking.await(replica.reloader().firstModel(), Duration.ofSeconds(60));
    GatewayVerticle gateway = deploy(new GatewayVerticle(new GatewayOptions().setHttpPort(0).setGrpcPort(0)
        .setHealthPort(0).setGenerator(new HostPort("127.0.0.1", replica.actualPort())).setSecurity(server)));

    Map<String, Served> served = new LinkedHashMap<>();
    served.put("discriminator", new Served(d.actualPort(), d.actualHealthPort(),
        DiscriminatorServiceGrpcService.SERVICE_NAME.fullyQualifiedName()));
    served.put("generator", new Served(g.actualPort(), g.actualHealthPort(),
        GeneratorServiceGrpcService.SERVICE_NAME.fullyQualifiedName()));
    served.put("trainer", new Served(trainer.actualPort(), trainer.actualHealthPort(),
        TrainerServiceGrpcService.SERVICE_NAME.fullyQualifiedName()));
    served.put("serving replica", new Served(replica.actualPort(), replica.actualHealthPort(),
        GeneratorServiceGrpcService.SERVICE_NAME.fullyQualifiedName()));
    served.put("gateway", new Served(gateway.actualGrpcPort(), gateway.actualHealthPort(),
        SamplingServiceGrpcService.SERVICE_NAME.fullyQualifiedName()));

    RpcClient plain = RpcClient.plain(vertx);
    RpcClient secure = RpcClient.create(vertx, Security.of(null, null, TestCertificates.tls(p12)));
    for (var e : served.entrySet()) {
      String what = e.getKey();
      Served s = e.getValue();
      assertThat(s.healthPort()).as("%s health port", what).isPositive().isNotEqualTo(s.port());
      HealthCheckRequest probe = HealthCheckRequest.newBuilder().setService(s.service()).build();

      // what a kubelet gRPC probe does: plaintext, no token
      assertThat(await(plain.unary(at(s.healthPort()), CHECK, probe, 5_000)).getStatus()).as("%s over plaintext", what)
          .isEqualTo(ServingStatus.SERVING);
      // the same answer as the TLS port's health service
      assertThat(await(secure.unary(at(s.port()), CHECK, probe, 5_000)).getStatus()).as("%s over TLS", what)
          .isEqualTo(ServingStatus.SERVING);
      // the main port takes no plaintext, not even for the health check
      assertThat(failure(plain.unary(at(s.port()), CHECK, probe, 5_000))).as("%s main port in plaintext", what)
          .isInstanceOf(RpcException.class);
      // the health port speaks no TLS and serves nothing but health
      assertThat(failure(secure.unary(at(s.healthPort()), CHECK, probe, 5_000))).as("%s health port over TLS", what)
          .isInstanceOf(RpcException.class);
      RpcException other = (RpcException) failure(plain.unary(at(s.healthPort()), ServiceMethod.client(
          ServiceName.create("grpc.reflection.v1.ServerReflection"), "ServerReflectionInfo", GrpcMessageEncoder.encoder(),
          GrpcMessageDecoder.decoder(HealthCheckResponse.newBuilder())), probe, 5_000));
      assertThat(other.status()).as("%s reflection on the health port", what).isEqualTo(GrpcStatus.UNIMPLEMENTED);
    }

    // a draining replica says NOT_SERVING on the health port too (its readiness), then the port goes with it
    Served r = served.get("serving replica");
    HealthCheckRequest replicaProbe = HealthCheckRequest.newBuilder().setService(r.service()).build();
    Future<Void> undeployed = vertx.undeploy(deploymentIds.get(replica));
    ServingStatus draining = ServingStatus.SERVING;
    for (long until = System.nanoTime() + 2_500_000_000L; draining == ServingStatus.SERVING && System.nanoTime() < until; ) {
      draining = await(plain.unary(at(r.healthPort()), CHECK, replicaProbe, 5_000)).getStatus();
    }
    assertThat(draining).as("while draining").isEqualTo(ServingStatus.NOT_SERVING);
    Blocking.await(undeployed, Duration.ofSeconds(60));
    assertThat(failure(plain.unary(at(r.healthPort()), CHECK, replicaProbe, 5_000)))
        .as("after the drain").isInstanceOf(RpcException.class);
  }

  @Test
  void everyServeCommandTakesTheHealthPortFlag() {
    CommandLine replica = Gan.commandLine();
    replica.parseArgs("serve-replica", "--checkpoint", "x", "--health-port", "9094");
    assertThat(((ServeReplicaCommand) replica.getSubcommands().get("serve-replica").getCommand()).options()
        .getHealthPort()).isEqualTo(9094);
    CommandLine gateway = Gan.commandLine();
    gateway.parseArgs("serve-gateway", "--health-port", "9095");
    assertThat(((ServeGatewayCommand) gateway.getSubcommands().get("serve-gateway").getCommand()).options()
        .getHealthPort()).isEqualTo(9095);
    CommandLine none = Gan.commandLine();
    none.parseArgs("serve-replica", "--checkpoint", "x");
    assertThat(((ServeReplicaCommand) none.getSubcommands().get("serve-replica").getCommand()).options()
        .getHealthPort()).as("off unless asked for").isEqualTo(-1);
    for (String command : new String[] {"serve-generator", "serve-discriminator", "train", "serve-trainer"}) {
      java.io.StringWriter help = new java.io.StringWriter();
      CommandLine cmd = Gan.commandLine();
      cmd.getSubcommands().get(command).usage(new java.io.PrintWriter(help));
      assertThat(help.toString()).as(command + " --help").contains("--health-port");
    }
  }

  private final Map<Object, String> deploymentIds = new java.util.IdentityHashMap<>();

  private <T extends io.vertx.core.Deployable> T deploy(T verticle) {
    deploymentIds.put(verticle, Blocking.await(vertx.deployVerticle(verticle), Duration.ofMinutes(1)));
    return verticle;
  }

  private static SocketAddress at(int port) {
    return SocketAddress.inetSocketAddress(port, "127.0.0.1");
  }

  private static <T> T await(Future<T> f) {
    return Blocking.await(f, Duration.ofSeconds(30));
  }

  private static Throwable failure(Future<?> f) throws Exception {
    try {
      f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }
}
