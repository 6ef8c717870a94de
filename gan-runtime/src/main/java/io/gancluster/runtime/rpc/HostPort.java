package io.gancluster.runtime.rpc;

import io.vertx.core.net.SocketAddress;

/** A peer address given on the command line as HOST:PORT. */
public record HostPort(String host, int port) {
  public static HostPort parse(String text) {
    int colon = text == null ? -1 : text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException("expected HOST:PORT, got '" + text + "'");
    }
    try {
      int port = Integer.parseInt(text.substring(colon + 1));
      if (port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
      return new HostPort(text.substring(0, colon), port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port in '" + text + "'");
    }
  }

  public SocketAddress socketAddress() {
    return SocketAddress.inetSocketAddress(port, host);
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
