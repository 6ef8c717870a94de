package io.gancluster.client.peer;

import io.gancluster.client.Retry;
import io.gancluster.runtime.rpc.Blocking;
import io.gancluster.runtime.rpc.HostPort;
import io.gancluster.runtime.networkservice.NetworkStateService;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What both remote peers do alike: name the service, retry its calls, and reach its state through
 * {@link RemoteNetworkState}.
 */
abstract class RemotePeer<C extends NetworkStateService> implements NetworkPeer {
  private static final Duration TIMEOUT = Duration.ofMinutes(3);

  final C client;
  private final Retry retry;
  private final String name;
  private final RemoteNetworkState state;

  /** @param role "generator" or "discriminator": the state blob's network and the service's name */
  RemotePeer(C client, HostPort address, Retry retry, String role) {
    this.client = client;
    this.retry = retry;
    this.name = role + "-service at " + address;
    this.state = new RemoteNetworkState(client, retry, role, name);
  }

  /** One unary call, retried while the service is UNAVAILABLE. */
  final <T> T call(String what, Supplier<Future<T>> rpc) {
    return retry.call(name, what, () -> Blocking.await(rpc.get(), TIMEOUT));
  }

  @Override
  public byte[] exportState() {
    return state.export();
  }

  @Override
  public long importState(byte[] blob) {
    return state.importState(blob);
  }

  @Override
  public long updates() {
    return state.updates();
  }

  @Override
  public String recipe() {
    return state.recipe();
  }

  @Override
  public String describe() {
    return name;
  }

  @Override
  public String compute() {
    return state.compute();
  }
}
