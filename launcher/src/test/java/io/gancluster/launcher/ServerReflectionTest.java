package io.gancluster.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
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
import io.gancluster.proto.v1.DiscriminatorProto;
import io.gancluster.proto.v1.GeneratorProto;
import io.gancluster.proto.v1.SampleRequest;
import io.gancluster.proto.v1.SamplingProto;
import io.gancluster.proto.v1.TrainerProto;
import io.gancluster.runtime.networkservice.NetworkServiceOptions;
import io.gancluster.runtime.rpc.Blocking;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.runtime.security.Security;
import io.gancluster.trainer.run.RunConfig;
import io.gancluster.trainer.service.TrainerOptions;
import io.gancluster.trainer.service.TrainerVerticle;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gRPC server reflection on every server of the cluster (generator-service training and serving,
 * discriminator-service, trainer-service, gateway), asked by a stock grpc-java reflection client, as
 * grpcurl asks: each lists its services, and each gan.v1 service it describes equals the compiled
 * contract, with every message its methods take. Reflection needs the sampling token where sampling is
 * token-protected.
 */
class ServerReflectionTest {
  static final String CONTROL = "control-secret-4d1e";
  static final String SAMPLING = "sampling-secret-c07a";
  static final String HEALTH = "grpc.health.v1.Health";
  static final String REFLECTION = "grpc.reflection.v1.ServerReflection";

  @TempDir
  Path tmp;

  private Vertx vertx;
  private final List<ManagedChannel> channels = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (ManagedChannel c : channels) {
      c.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
    Blocking.await(vertx.close(), Duration.ofSeconds(30));
  }

  @Test
  void everyServerListsAndDescribesItsServices() throws Exception {
    vertx = Vertx.vertx();
    Security security = Security.of(CONTROL, SAMPLING, null);
    Preset tiny = Presets.get("tiny");
    DiscriminatorVerticle d = deploy(new DiscriminatorVerticle(NetworkServiceOptions.forDiscriminator(tiny, 2)
        .setPort(0).setSecurity(security)));
    GeneratorVerticle g = deploy(new GeneratorVerticle(NetworkServiceOptions.forGenerator(tiny, 2).setPort(0)
        .setSecurity(security)));
    TrainerVerticle trainer = deploy(new TrainerVerticle(new TrainerOptions().setPort(0).setAutoStart(false)
        .setGenerator(new HostPort("127.0.0.1", g.actualPort())).setDiscriminator(new HostPort("127.0.0.1", d.actualPort()))
        .setRun(new RunConfig("tiny", "mnist", 2, tmp.resolve("run"), 10, 0, 10)).setSecurity(security)));
    Path checkpoint = new CheckpointStore(tmp.resolve("served/checkpoints"), 1).write(new Checkpoint(1, 0, 2,
        Map.of("preset", "tiny", "generator", tiny.generatorRecipe(), "latent", "normal", "label_names", ""),
        new GeneratorTrainer(tiny, org.nd4j.linalg.api.buffer.DataType.FLOAT, 2).exportState(), new byte[0]));
    ServingVerticle replica = deploy(new ServingVerticle(new ServingOptions().setPort(0).setSecurity(security),
        v -> new FileCheckpointSource(v, checkpoint)));
    GatewayVerticle gateway = deploy(new GatewayVerticle(new GatewayOptions().setHttpPort(0).setGrpcPort(0)
        .setGenerator(new HostPort("127.0.0.1", g.actualPort())).setSecurity(security)));

    Map<String, Server> servers = new LinkedHashMap<>();
    servers.put("gateway", new Server(gateway.actualGrpcPort(), SamplingProto.getDescriptor().findServiceByName("SamplingService")));
    servers.put("generator", new Server(g.actualPort(), GeneratorProto.getDescriptor().findServiceByName("GeneratorService")));
    servers.put("replica", new Server(replica.actualPort(), GeneratorProto.getDescriptor().findServiceByName("GeneratorService")));
    servers.put("discriminator", new Server(d.actualPort(),
        DiscriminatorProto.getDescriptor().findServiceByName("DiscriminatorService")));
    servers.put("trainer", new Server(trainer.actualPort(), TrainerProto.getDescriptor().findServiceByName("TrainerService")));

    for (Map.Entry<String, Server> e : servers.entrySet()) {
      String name = e.getKey();
      ServiceDescriptor contract = e.getValue().service();
      Reflection sampler = reflection(e.getValue().port(), SAMPLING);

      assertThat(sampler.listServices()).as(name + " lists its services")
          .containsExactlyInAnyOrder(contract.getFullName(), HEALTH, REFLECTION);

      ServiceDescriptor described = sampler.describe(contract.getFullName()).findServiceByName(contract.getName());
      assertThat(described).as(name + " describes " + contract.getFullName()).isNotNull();
      assertThat(described.toProto()).as(name + ": the described service is the compiled contract")
          .isEqualTo(contract.toProto());
      for (var method : described.getMethods()) {
        assertThat(method.getInputType().toProto()).as(name + " " + method.getFullName() + " input")
            .isEqualTo(contract.findMethodByName(method.getName()).getInputType().toProto());
        assertThat(method.getOutputType().toProto()).as(name + " " + method.getFullName() + " output")
            .isEqualTo(contract.findMethodByName(method.getName()).getOutputType().toProto());
      }
      assertThat(sampler.describe(HEALTH).findServiceByName("Health").getMethods()).as(name + " describes health")
          .extracting(m -> m.getName()).contains("Check", "Watch");
      assertThat(sampler.errorFor("gan.v1.NoSuchService")).as(name + ": an unknown symbol is NOT_FOUND")
          .isEqualTo(Status.Code.NOT_FOUND.value());

      // the sampling token's rule: without it, UNAUTHENTICATED before anything is described
      Reflection anonymous = reflection(e.getValue().port(), null);
      assertThatThrownBy(anonymous::listServices).as(name + " without a token")
          .isInstanceOfSatisfying(StatusRuntimeException.class, err -> {
            assertThat(err.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(err.getStatus().getDescription()).contains("bearer token").contains("ServerReflectionInfo");
          });
      assertThat(reflection(e.getValue().port(), CONTROL).listServices()).as(name + ": the control token may too")
          .contains(contract.getFullName());
    }

    // what grpcurl's "describe gan.v1.SampleRequest" shows: the public request message, field for field
    Descriptor request = reflection(gateway.actualGrpcPort(), SAMPLING).describe("gan.v1.SampleRequest")
        .findMessageTypeByName("SampleRequest");
    assertThat(request.toProto()).isEqualTo(SampleRequest.getDescriptor().toProto());
  }

  private Reflection reflection(int port, String token) {
    ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    channels.add(channel);
    ServerReflectionGrpc.ServerReflectionStub stub = ServerReflectionGrpc.newStub(channel);
    if (token != null) {
      Metadata headers = new Metadata();
      headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
      stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    return new Reflection(stub.withDeadlineAfter(30, TimeUnit.SECONDS));
  }

  /** One reflection stream per question, as grpcurl opens them. */
  private record Reflection(ServerReflectionGrpc.ServerReflectionStub stub) {
    ServerReflectionResponse ask(ServerReflectionRequest request) throws Exception {
      CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
      StreamObserver<ServerReflectionRequest> out = stub.serverReflectionInfo(new StreamObserver<>() {
        @Override
        public void onNext(ServerReflectionResponse value) {
          answer.complete(value);
        }

        @Override
        public void onError(Throwable t) {
          answer.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
          answer.completeExceptionally(new AssertionError("stream ended without an answer"));
        }
      });
      out.onNext(request);
      try {
        return answer.get(30, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Exception x ? x : e;
      } finally {
        out.onCompleted();
      }
    }

    List<String> listServices() throws Exception {
      return ask(ServerReflectionRequest.newBuilder().setListServices("").build()).getListServicesResponse()
          .getServiceList().stream().map(ServiceResponse::getName).toList();
    }

    /** The file that defines {@code symbol}, built with the dependencies the server sent along. */
    FileDescriptor describe(String symbol) throws Exception {
      ServerReflectionResponse r = ask(ServerReflectionRequest.newBuilder().setFileContainingSymbol(symbol).build());
      assertThat(r.hasFileDescriptorResponse()).as(symbol + ": " + r.getErrorResponse().getErrorMessage()).isTrue();
      Map<String, FileDescriptorProto> files = new HashMap<>();
      for (ByteString b : r.getFileDescriptorResponse().getFileDescriptorProtoList()) {
        FileDescriptorProto f = FileDescriptorProto.parseFrom(b);
        files.put(f.getName(), f);
      }
      // the first file is the one holding the symbol
      String first = FileDescriptorProto.parseFrom(r.getFileDescriptorResponse().getFileDescriptorProto(0)).getName();
      return build(first, files, new HashMap<>());
    }

    int errorFor(String symbol) throws Exception {
      return ask(ServerReflectionRequest.newBuilder().setFileContainingSymbol(symbol).build()).getErrorResponse()
          .getErrorCode();
    }

    private static FileDescriptor build(String name, Map<String, FileDescriptorProto> files,
        Map<String, FileDescriptor> built) throws Exception {
      FileDescriptor done = built.get(name);
      if (done != null) {
        return done;
      }
      FileDescriptorProto proto = files.get(name);
      assertThat(proto).as("the server sent " + name + " along").isNotNull();
      List<FileDescriptor> deps = new ArrayList<>();
      for (String dep : proto.getDependencyList()) {
        deps.add(build(dep, files, built));
      }
      FileDescriptor f = FileDescriptor.buildFrom(proto, deps.toArray(new FileDescriptor[0]));
      built.put(name, f);
      return f;
    }
  }

  private record Server(int port, ServiceDescriptor service) {}

  private <T extends Deployable> T deploy(T verticle) {
    Blocking.await(vertx.deployVerticle(verticle), Duration.ofMinutes(1));
    return verticle;
  }
}
