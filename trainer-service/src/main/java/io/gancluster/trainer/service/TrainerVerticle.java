package io.gancluster.trainer.service;

import io.gancluster.client.RpcClient;
import io.gancluster.core.data.DataSources;
import io.gancluster.runtime.rpc.GrpcEndpoints;
import io.gancluster.client.DiscriminatorClient;
import io.gancluster.client.GeneratorClient;
import io.gancluster.proto.v1.TrainerServiceGrpcService;
import io.gancluster.trainer.eval.RunEvaluation;
import io.gancluster.client.peer.RemoteDiscriminatorPeer;
import io.gancluster.client.peer.RemoteGeneratorPeer;
import io.gancluster.client.Retry;
import io.gancluster.trainer.publish.CheckpointPublisher;
import io.gancluster.trainer.run.TrainingRun;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.grpc.health.HealthService;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deploys trainer-service: loads the data, connects to generator- and discriminator-service, serves
 * the control API, and (with auto-start) begins training at once.
 */
public final class TrainerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(TrainerVerticle.class);

  private final TrainerOptions options;
  private RpcClient client;
  private HttpServer server;
  private HttpServer healthServer;
  private TrainingController controller;
  private CheckpointPublisher publisher;

  public TrainerVerticle(TrainerOptions options) {
    this.options = options;
  }

  public TrainingController controller() {
    return controller;
  }

  public int actualPort() {
    return server.actualPort();
  }

  /** The plaintext health port actually bound, or -1 when there is none. */
  public int actualHealthPort() {
    return healthServer == null ? -1 : healthServer.actualPort();
  }

  @Override
  public Future<?> start() {
    client = RpcClient.create(vertx, options.getSecurity());
    Retry retry = options.getRetry();
    return vertx.executeBlocking(() -> DataSources.load(options.getRun().data()))
        .compose(data -> {
          LOG.info("data: {} ({} images)", data.name(), data.count());
          RemoteGeneratorPeer generator = new RemoteGeneratorPeer(new GeneratorClient(client, options.getGenerator()),
              retry);
          TrainingRun run = new TrainingRun(options.getRun(), data, generator,
              new RemoteDiscriminatorPeer(new DiscriminatorClient(client, options.getDiscriminator()), retry));
          run.onNonFinite(options.getNonFinite());
          controller = new TrainingController(run, options.getRun().logEvery());
          publisher = new CheckpointPublisher(vertx.eventBus(), options.getRun().preset());
          run.addListener(publisher);
          if (options.getEvaluation().enabled()) {
            run.addListener(new RunEvaluation(options.getEvaluation(), data, options.getRun().data(), generator,
                run.preset().model().classes(), run.folder(), options.getRun().seed())
                .onResult(controller::publishEvaluation).keepingBest(run));
          }
          HealthService health = HealthService.create(vertx);
          health.register(TrainerServiceGrpcService.SERVICE_NAME, () -> Future.succeededFuture(true));
          return GrpcEndpoints.listen(vertx,
              GrpcEndpoints.server(vertx, List.of(new TrainerGrpcService(controller, context, publisher), health)),
              options.getHost(), options.getPort(), options.getSecurity())
              .compose(s -> GrpcEndpoints.listenHealth(vertx, health, options.getHost(), options.getHealthPort())
                  .map(h -> {
                    healthServer = h;
                    return s;
                  }));
        })
        .onSuccess(s -> {
          server = s;
          publisher.advertiseAs(new io.gancluster.runtime.rpc.HostPort(advertisedHost(), s.actualPort()));
          LOG.info("trainer-service listening on {}:{} (generator {}, discriminator {})", options.getHost(),
              s.actualPort(), options.getGenerator(), options.getDiscriminator());
          if (options.isAutoStart()) {
            controller.start();
          }
        });
  }

  /** A wildcard bind is no address to give others: use this host's name then. */
  private String advertisedHost() {
    String host = options.getHost();
    if (!"0.0.0.0".equals(host) && !"::".equals(host)) {
      return host;
    }
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      return host;
    }
  }

  @Override
  public Future<?> stop() {
    if (controller != null) {
      controller.stop();
    }
    return (server == null ? Future.succeededFuture() : server.close())
        .eventually(() -> healthServer == null ? Future.succeededFuture() : healthServer.close())
        .eventually(() -> client == null ? Future.succeededFuture() : client.close());
  }
}
