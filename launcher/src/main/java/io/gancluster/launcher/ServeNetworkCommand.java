package io.gancluster.launcher;

import io.gancluster.runtime.networkservice.NetworkServiceOptions;
import io.vertx.core.Deployable;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/** A network service as its own process; subclasses say which one and on which port. */
abstract class ServeNetworkCommand implements Callable<Integer> {
  /** The top-level command: this process's security settings. */
  @picocli.CommandLine.ParentCommand
  Gan gan;

  @Mixin
  NetworkServiceArgs args;

  abstract int port();

  abstract int metricsPort();

  abstract Deployable verticle(NetworkServiceOptions options);

  abstract NetworkServiceOptions defaults();

  @Override
  public Integer call() {
    Deployments.deploy(Deployments.vertx(), verticle(defaults().setHost(args.host).setPort(port())
        .setMetricsPort(metricsPort()).setSecurity(Gan.securityOf(gan))));
    Deployments.serveForever();
    return 0;
  }
}
