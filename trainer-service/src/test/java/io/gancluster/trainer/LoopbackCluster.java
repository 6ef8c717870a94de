package io.gancluster.trainer;

import io.gancluster.client.RpcClient;
import io.gancluster.core.model.recipe.Preset;
import io.gancluster.runtime.rpc.Blocking;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.client.DiscriminatorClient;
import io.gancluster.discriminator.DiscriminatorVerticle;
import io.gancluster.client.GeneratorClient;
import io.gancluster.generator.GeneratorVerticle;
import io.gancluster.client.peer.DiscriminatorPeer;
import io.gancluster.client.peer.GeneratorPeer;
import io.gancluster.client.peer.RemoteDiscriminatorPeer;
import io.gancluster.client.peer.RemoteGeneratorPeer;
import io.gancluster.client.Retry;
import io.vertx.core.Vertx;
import java.time.Duration;

/** generator-service and discriminator-service deployed on free loopback ports, with remote peers. */
final class LoopbackCluster implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  final GeneratorVerticle generator;
  final DiscriminatorVerticle discriminator;
  final RpcClient client;

  LoopbackCluster(Preset preset, long seed) {
    generator = GeneratorVerticle.forPreset(preset, seed, 0);
    discriminator = DiscriminatorVerticle.forPreset(preset, seed, 0);
    Blocking.await(vertx.deployVerticle(generator), Duration.ofMinutes(1));
    Blocking.await(vertx.deployVerticle(discriminator), Duration.ofMinutes(1));
    client = RpcClient.plain(vertx);
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
