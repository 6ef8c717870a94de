package io.gancluster.trainer;

import io.gancluster.core.model.Preset;
import io.gancluster.core.rpc.Blocking;
import io.gancluster.core.rpc.GrpcEndpoints;
import io.gancluster.core.rpc.HostPort;
import io.gancluster.discriminator.DiscriminatorClient;
import io.gancluster.discriminator.DiscriminatorVerticle;
import io.gancluster.generator.GeneratorClient;
import io.gancluster.generator.GeneratorVerticle;
import io.gancluster.trainer.peer.DiscriminatorPeer;
import io.gancluster.trainer.peer.GeneratorPeer;
import io.gancluster.trainer.peer.RemoteDiscriminatorPeer;
import io.gancluster.trainer.peer.RemoteGeneratorPeer;
import io.gancluster.trainer.peer.Retry;
import io.vertx.core.Vertx;
import io.vertx.grpc.client.GrpcClient;
import java.time.Duration;

/** generator-service and discriminator-service deployed on free loopback ports, with remote peers. */
final class LoopbackCluster implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  final GeneratorVerticle generator;
  final DiscriminatorVerticle discriminator;
  final GrpcClient client;

  LoopbackCluster(Preset preset, long seed) {
    generator = GeneratorVerticle.forPreset(preset, seed, 0);
    discriminator = DiscriminatorVerticle.forPreset(preset, seed, 0);
    Blocking.await(vertx.deployVerticle(generator), Duration.ofMinutes(1));
    Blocking.await(vertx.deployVerticle(discriminator), Duration.ofMinutes(1));
    client = GrpcEndpoints.client(vertx);
  }

  HostPort generatorAddress() {
    return new HostPort("127.0.0.1", generator.actualPort());
  }

  HostPort discriminatorAddress() {
    return new HostPort("127.0.0.1", discriminator.actualPort());
  }

  GeneratorPeer generatorPeer() {
    return new RemoteGeneratorPeer(new GeneratorClient(client, generatorAddress()), Retry.defaults());
  }

  DiscriminatorPeer discriminatorPeer() {
    return new RemoteDiscriminatorPeer(new DiscriminatorClient(client, discriminatorAddress()), Retry.defaults());
  }

  @Override
  public void close() {
    Blocking.await(vertx.close(), Duration.ofSeconds(30));
  }
}
