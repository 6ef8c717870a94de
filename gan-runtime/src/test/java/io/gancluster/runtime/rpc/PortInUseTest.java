package io.gancluster.runtime.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gancluster.runtime.security.Security;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.grpc.health.HealthService;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A port someone else holds is reported with its number, for the gRPC server and its health port alike. */
class PortInUseTest {
  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() {
    Blocking.await(vertx.close(), java.time.Duration.ofSeconds(10));
  }

  @Test
  void aTakenPortIsNamedInTheError() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      HealthService health = HealthService.create(vertx).register("gan.v1.Test", () -> Future.succeededFuture(true));
      assertThatThrownBy(() -> Blocking.await(GrpcEndpoints.listen(vertx, GrpcEndpoints.server(vertx, List.of(health)),
          "127.0.0.1", port, Security.NONE), java.time.Duration.ofSeconds(10)))
          .hasRootCauseInstanceOf(java.net.BindException.class)
          .satisfies(e -> assertThat(causes(e)).anyMatch(c -> c instanceof IllegalStateException
              && c.getMessage().contains("port " + port + " on 127.0.0.1 is already in use")));
      assertThatThrownBy(() -> Blocking.await(GrpcEndpoints.listenHealth(vertx, health, "127.0.0.1", port), java.time.Duration.ofSeconds(10)))
          .satisfies(e -> assertThat(causes(e)).anyMatch(c -> c.getMessage() != null
              && c.getMessage().startsWith("gRPC health check: port " + port)));
    }
  }

  @Test
  void otherFailuresPassThroughUnchanged() {
    IllegalArgumentException other = new IllegalArgumentException("not a bind problem");
    Future<Object> f = PortInUse.explain(Future.failedFuture(other), "x", "127.0.0.1", 1);
    assertThat(f.cause()).isSameAs(other);
  }

  private static List<Throwable> causes(Throwable t) {
    List<Throwable> all = new java.util.ArrayList<>();
    for (Throwable c = t; c != null; c = c.getCause()) {
      all.add(c);
    }
    return all;
  }
}
