package io.gancluster.gateway;

import static io.gancluster.gateway.TestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.util.JsonFormat;
import io.gancluster.core.model.recipe.Conditioning;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.core.model.recipe.Presets;
import io.gancluster.generator.GeneratorVerticle;
import io.gancluster.runtime.rpc.HostPort;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor.Marshaller;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The README's grpcurl calls, made the way grpcurl makes them: every description comes from the gateway's
 * server reflection (no compiled stubs), request bodies are the README's JSON parsed against the reflected
 * request type, answers are printed as JSON, and the PNG is what {@code jq -r .png | base64 -d} would write.
 */
class GrpcurlReadmeTest {
  static final Path README = Path.of("..", "README.md");
  static final String ADDRESS = "127.0.0.1:9090";

  private Vertx vertx;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    vertx = Vertx.vertx();
    Preset tiny = Presets.get("tiny");
    Preset conditional = tiny.withModel(tiny.model().withConditioning(new Conditioning(10,
        Conditioning.GeneratorLabels.CONCAT, Conditioning.DiscriminatorLabels.INPUT_CHANNEL)));
    GeneratorVerticle generator = GeneratorVerticle.forPreset(conditional, 3, 0);
    await(vertx.deployVerticle(generator));
    GatewayVerticle gateway = new GatewayVerticle(new GatewayOptions().setHttpPort(0).setGrpcPort(0)
        .setGenerator(new HostPort("127.0.0.1", generator.actualPort())));
    await(vertx.deployVerticle(gateway));
    channel = ManagedChannelBuilder.forAddress("127.0.0.1", gateway.actualGrpcPort()).usePlaintext()
        .maxInboundMessageSize(64 * 1024 * 1024).build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    await(vertx.close());
  }

  @Test
  void theReadmesGrpcurlCallsWorkThroughReflectionAlone() throws Exception {
    String readme = Files.readString(README);
    List<List<String>> calls = grpcurlCalls(readme);
    assertThat(calls).as("grpcurl lines in the README").hasSizeGreaterThanOrEqualTo(5);
    int sampled = 0;
    for (List<String> argv : calls) {
      assertThat(argv).as(String.join(" ", argv)).contains("-plaintext", ADDRESS);
      int at = argv.indexOf(ADDRESS);
      List<String> verb = argv.subList(at + 1, argv.size());
      String data = argv.contains("-d") ? argv.get(argv.indexOf("-d") + 1) : null;
      switch (verb.get(0)) {
        case "list" -> {
          List<String> services = ask(ServerReflectionRequest.newBuilder().setListServices("").build())
              .getListServicesResponse().getServiceList().stream().map(ServiceResponse::getName).sorted().toList();
          assertThat(services).containsExactly("gan.v1.SamplingService", "grpc.health.v1.Health",
              "grpc.reflection.v1.ServerReflection");
          services.forEach(s -> assertThat(readme).as("the README names what list prints").contains("`" + s + "`"));
        }
        case "describe" -> {
          String symbol = verb.get(1);
          FileDescriptor file = fileContaining(symbol);
          String local = symbol.substring(symbol.lastIndexOf('.') + 1);
          assertThat(file.findServiceByName(local) != null || file.findMessageTypeByName(local) != null)
              .as("describe " + symbol).isTrue();
        }
        default -> {
          JsonObject answer = new JsonObject(call(verb.get(0), data));
          sampled++;
          JsonArray labels = answer.getJsonArray("labels");
          assertThat(labels.getList()).hasSize(16).containsOnly(3);
          assertThat(answer.getString("modelVersion")).isNotEmpty();
          if (data.contains("IMAGE_FORMAT_PNG_GRID")) {
            // jq -r .png | base64 -d
            BufferedImage png = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(answer.getString("png"))));
            assertThat(png.getWidth()).isEqualTo(2 + 4 * (2 + 56));
            assertThat(verb).as("the PNG call is piped as the README says").containsSubsequence("|", "jq", "-r", ".png",
                "|", "base64", "-d", ">", "threes.png");
          } else {
            JsonObject images = answer.getJsonObject("images");
            assertThat(images.getJsonArray("shape").getList()).containsExactly("16", "1", "28", "28");
            assertThat(Base64.getDecoder().decode(images.getString("data"))).hasSize(16 * 784 * 4);
          }
        }
      }
    }
    assertThat(sampled).isEqualTo(2);
  }

  /** The README's grpcurl command lines (continuations joined), split as a shell would split them. */
  static List<List<String>> grpcurlCalls(String readme) {
    List<List<String>> calls = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^grpcurl (?:[^\n]*\\\\\n)*[^\n]*$").matcher(readme);
    while (m.find()) {
      calls.add(shellWords(m.group().replace("\\\n", " ")));
    }
    return calls;
  }

  private static List<String> shellWords(String line) {
    List<String> words = new ArrayList<>();
    Matcher w = Pattern.compile("'([^']*)'|(\\S+)").matcher(line);
    while (w.find()) {
      words.add(w.group(1) != null ? w.group(1) : w.group(2));
    }
    return words;
  }

  /** service/method with a JSON body: reflect, parse, call, print, as grpcurl does. */
  private String call(String fullMethod, String json) throws Exception {
    String service = fullMethod.substring(0, fullMethod.indexOf('/'));
    String method = fullMethod.substring(fullMethod.indexOf('/') + 1);
    ServiceDescriptor s = fileContaining(service).findServiceByName(service.substring(service.lastIndexOf('.') + 1));
    MethodDescriptor md = s.findMethodByName(method);
    DynamicMessage.Builder request = DynamicMessage.newBuilder(md.getInputType());
    JsonFormat.parser().merge(json, request);
    io.grpc.MethodDescriptor<DynamicMessage, DynamicMessage> grpcMethod = io.grpc.MethodDescriptor
        .<DynamicMessage, DynamicMessage>newBuilder().setType(MethodType.UNARY)
        .setFullMethodName(fullMethod).setRequestMarshaller(marshaller(md.getInputType()))
        .setResponseMarshaller(marshaller(md.getOutputType())).build();
    DynamicMessage response = ClientCalls.blockingUnaryCall(channel, grpcMethod,
        CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS), request.build());
    return JsonFormat.printer().print(response);
  }

  private static Marshaller<DynamicMessage> marshaller(Descriptor type) {
    return new Marshaller<>() {
      @Override
      public InputStream stream(DynamicMessage value) {
        return value.toByteString().newInput();
      }

      @Override
      public DynamicMessage parse(InputStream stream) {
        try {
          return DynamicMessage.parseFrom(type, stream);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    };
  }

  private FileDescriptor fileContaining(String symbol) throws Exception {
    ServerReflectionResponse r = ask(ServerReflectionRequest.newBuilder().setFileContainingSymbol(symbol).build());
    assertThat(r.hasFileDescriptorResponse()).as(symbol + ": " + r.getErrorResponse().getErrorMessage()).isTrue();
    Map<String, FileDescriptorProto> files = new HashMap<>();
    String first = null;
    for (ByteString b : r.getFileDescriptorResponse().getFileDescriptorProtoList()) {
      FileDescriptorProto f = FileDescriptorProto.parseFrom(b);
      files.put(f.getName(), f);
      first = first == null ? f.getName() : first;
    }
    return build(first, files, new HashMap<>());
  }

  private static FileDescriptor build(String name, Map<String, FileDescriptorProto> files,
      Map<String, FileDescriptor> built) throws Exception {
    if (built.containsKey(name)) {
      return built.get(name);
    }
    FileDescriptorProto proto = files.get(name);
    assertThat(proto).as("the gateway sent " + name + " along").isNotNull();
    List<FileDescriptor> deps = new ArrayList<>();
    for (String dep : proto.getDependencyList()) {
      deps.add(build(dep, files, built));
    }
    FileDescriptor f = FileDescriptor.buildFrom(proto, deps.toArray(new FileDescriptor[0]));
    built.put(name, f);
    return f;
  }

  private ServerReflectionResponse ask(ServerReflectionRequest request) throws Exception {
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> out = ServerReflectionGrpc.newStub(channel)
        .withDeadlineAfter(30, TimeUnit.SECONDS).serverReflectionInfo(new StreamObserver<>() {
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
            answer.completeExceptionally(new AssertionError("no answer"));
          }
        });
    out.onNext(request);
    try {
      return answer.get(30, TimeUnit.SECONDS);
    } finally {
      out.onCompleted();
    }
  }
}
