package io.gancluster.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.client.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document the gateway serves, held against the router it serves: every documented operation
 * is a route and every route is documented, each operation lists exactly the query parameters its handler
 * reads, and the documented examples get the documented answer over loopback HTTP.
 */
class OpenApiDocumentTest {
  static JsonObject document;
  static ConditionalGateway gateway;

  @BeforeAll
  static void start() throws Exception {
    try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream("/web/openapi.json")) {
      document = new JsonObject(Buffer.buffer(in.readAllBytes()));
    }
    // the version the document's model_version example names, so that every example is a request that works
    String version = parameter("model_version").getString("example");
    gateway = new ConditionalGateway(version);
  }

  @AfterAll
  static void stop() throws Exception {
    gateway.close();
  }

  @Test
  void theGatewayServesTheDocumentAsOpenApi3Json() throws Exception {
    HttpResponse<Buffer> resp = gateway.get("/api/v1/openapi.json");

    assertThat(resp.statusCode()).isEqualTo(200);
    assertThat(resp.getHeader("Content-Type")).isEqualTo("application/json");
    assertThat(resp.bodyAsJsonObject()).isEqualTo(document);
    assertThat(document.getString("openapi")).startsWith("3.0.");
    assertThat(document.getJsonObject("info").getString("title")).isNotBlank();
    List<String> refs = new ArrayList<>();
    collectRefs(document, refs);
    assertThat(refs).isNotEmpty().allSatisfy(ref -> assertThat(resolve(new JsonObject().put("$ref", ref)))
        .as("%s resolves", ref).isNotNull());
  }

  @Test
  void everyDocumentedOperationIsARouteAndEveryRouteIsDocumented() {
    Set<String> routed = new TreeSet<>();
    for (Route route : gateway.gateway.httpRouter().getRoutes()) {
      assertThat(route.getPath()).as("every route has a plain path the document can name").isNotNull();
      assertThat(route.methods()).as("%s answers named methods", route.getPath()).isNotEmpty();
      route.methods().forEach(m -> routed.add(m.name() + " " + route.getPath()));
    }

    assertThat(operations().keySet()).as("documented operations").isEqualTo(routed);
    assertThat(routed).as("the sampling routes, at least").contains("GET /api/v1/samples.png",
        "GET /api/v1/samples.json", "GET /api/v1/samples.npy", "GET /api/v1/openapi.json");
  }

  @Test
  void eachOperationDocumentsExactlyTheQueryParametersItsHandlerReads() {
    Map<String, Set<String>> read = HttpApi.queryParameters();
    assertThat(operations().keySet()).containsAll(read.keySet().stream().map(p -> "GET " + p).toList());
    operations().forEach((operation, spec) -> {
      String path = operation.substring(operation.indexOf(' ') + 1);
      Set<String> documented = parameters(spec).stream().map(p -> p.getString("name")).collect(Collectors.toSet());
      assertThat(documented).as(operation).isEqualTo(read.getOrDefault(path, Set.of()));
      parameters(spec).forEach(p -> assertThat(p.getString("in")).as("%s %s", operation, p).isEqualTo("query"));
    });
  }

  @Test
  void theDocumentedExamplesAreAnsweredWithTheDocumentedTypeAndHeaders() throws Exception {
    for (Map.Entry<String, JsonObject> op : operations().entrySet()) {
      String path = op.getKey().substring(op.getKey().indexOf(' ') + 1);
      List<JsonObject> params = parameters(op.getValue());
      String query = params.stream().map(p -> p.getString("name") + "="
          + URLEncoder.encode(String.valueOf(p.getValue("example")), StandardCharsets.UTF_8))
          .collect(Collectors.joining("&"));
      String uri = query.isEmpty() ? path : path + "?" + query;
      JsonObject ok = resolve(op.getValue().getJsonObject("responses").getValue("200"));

      HttpResponse<Buffer> resp = gateway.get(uri);

      assertThat(resp.statusCode()).as("GET %s: %s", uri, resp.statusCode() == 200 ? "" : resp.bodyAsString())
          .isEqualTo(200);
      Set<String> types = ok.getJsonObject("content").fieldNames();
      assertThat(types).as(uri).anyMatch(t -> resp.getHeader("Content-Type").startsWith(t));
      JsonObject headers = ok.getJsonObject("headers", new JsonObject());
      headers.fieldNames().forEach(h -> assertThat(resp.getHeader(h)).as("%s header %s", uri, h).isNotNull());
      JsonObject schema = ok.getJsonObject("content").getJsonObject("application/json") == null ? null
          : resolve(ok.getJsonObject("content").getJsonObject("application/json").getValue("schema"));
      if (schema != null && schema.containsKey("required")) {
        assertThat(resp.bodyAsJsonObject().fieldNames()).as(uri)
            .containsAll(schema.getJsonArray("required").getList());
      }
      if (!params.isEmpty()) { // these handlers refuse what the document does not list
        HttpResponse<Buffer> extra = gateway.get(uri + "&undocumented=1");
        assertThat(extra.statusCode()).as(uri + "&undocumented=1").isEqualTo(400);
        assertThat(extra.bodyAsString()).contains("unknown parameter 'undocumented'");
      }
    }
  }

  @Test
  void theDocumentPassesAnOpenApiValidatorWhereOneIsInstalled(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("openapi.json");
    Files.writeString(file, document.encode());
    String script = "import json, sys\n"
        + "from openapi_spec_validator import validate\n"
        + "validate(json.load(open(sys.argv[1])))\n";
    Assumptions.assumeTrue(python("import openapi_spec_validator", tmp) == 0,
        "no python3 with openapi-spec-validator (pip install openapi-spec-validator): the validator check is skipped");
    assertThat(python(script, tmp, file.toString())).isZero();
  }

  /** "GET /path" → the operation object, for every path and method the document names. */
  static Map<String, JsonObject> operations() {
    Map<String, JsonObject> ops = new TreeMap<>();
    JsonObject paths = document.getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      for (String method : item.fieldNames()) {
        ops.put(method.toUpperCase(java.util.Locale.ROOT) + " " + path, item.getJsonObject(method));
      }
    }
    return ops;
  }

  private static List<JsonObject> parameters(JsonObject operation) {
    JsonArray list = operation.getJsonArray("parameters", new JsonArray());
    return list.stream().map(OpenApiDocumentTest::resolve).toList();
  }

  private static JsonObject parameter(String name) {
    return document.getJsonObject("components").getJsonObject("parameters").getJsonObject(name);
  }

  /** The object itself, or the one its local {@code $ref} points at. */
  private static JsonObject resolve(Object node) {
    JsonObject o = (JsonObject) node;
    String ref = o.getString("$ref");
    if (ref == null) {
      return o;
    }
    assertThat(ref).startsWith("#/");
    Object at = document;
    for (String part : ref.substring(2).split("/")) {
      at = at instanceof JsonObject j ? j.getValue(part) : null;
    }
    return (JsonObject) at;
  }

  private static void collectRefs(Object node, List<String> refs) {
    if (node instanceof JsonObject o) {
      if (o.containsKey("$ref")) {
        refs.add(o.getString("$ref"));
      }
      o.forEach(e -> collectRefs(e.getValue(), refs));
    } else if (node instanceof JsonArray a) {
      a.forEach(v -> collectRefs(v, refs));
    }
  }

  private static int python(String code, Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("python3", "-c", code));
    command.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(dir.resolve("python.out").toFile()).start();
    } catch (IOException e) {
      return -1; // no python3 on the PATH
    }
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("python3 did not finish in 60 s");
    }
    if (p.exitValue() != 0) {
      System.err.println(Files.readString(dir.resolve("python.out")));
    }
    return p.exitValue();
  }
}
