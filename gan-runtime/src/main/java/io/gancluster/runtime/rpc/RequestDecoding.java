package io.gancluster.runtime.rpc;

import com.google.protobuf.Descriptors;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Timer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.grpc.common.GrpcError;
import io.vertx.grpc.common.GrpcMessage;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.common.InvalidMessageException;
import io.vertx.grpc.common.MessageSizeOverflowException;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;
import io.vertx.grpc.common.WireFormat;
import io.vertx.grpc.server.GrpcServer;
import io.vertx.grpc.server.GrpcServerRequest;
import io.vertx.grpc.server.GrpcServerResponse;
import io.vertx.grpc.server.Service;
import io.vertx.grpc.server.StatusException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Decodes every request message of a service itself, so that every byte sequence a client can send gets a
 * status that says what was wrong. Left to Vert.x gRPC, a message that does not parse as the method's
 * protobuf type resets the stream (the client sees CANCELLED, no message), a message over the size limit
 * gets RESOURCE_EXHAUSTED without a message, a request that ends inside its first message is never
 * answered, and gzip requests are inflated without a bound. Here:
 *
 * <ul>
 *   <li>bytes that do not parse: INVALID_ARGUMENT "request is not a valid gan.v1.SampleRequest: (the parser's
 *       message)";
 *   <li>a length prefix over the server's limit: RESOURCE_EXHAUSTED naming both sizes;
 *   <li>a request stream that ends before one whole message arrived (truncated frame, empty body):
 *       INVALID_ARGUMENT; a second message to a method that takes one: INVALID_ARGUMENT;
 *   <li>gzip that does not inflate: INVALID_ARGUMENT; that inflates past the limit: RESOURCE_EXHAUSTED, having
 *       held at most the limit; another {@code grpc-encoding}: UNIMPLEMENTED;
 *   <li>a handler that throws: the status {@link RpcErrors#toStatus} gives, with the exception's message.
 * </ul>
 *
 * <p>{@link GrpcEndpoints#server} wraps every service of every server of the cluster with it (the health and
 * reflection services included); a service needs nothing of its own.
 */
public final class RequestDecoding {
  /**
   * Stands in for a missing {@code grpc-encoding} header while Vert.x deframes: its deframer throws (and the
   * call hangs) on a message flagged compressed when the request names no encoding; with this it hands the
   * message on under this name, and the refusal below says what is wrong. Removed before a service sees the headers.
   */
  private static final String NO_ENCODING = "x-gan-no-grpc-encoding";

  private RequestDecoding() {}

  /**
   * {@code server} with every service added to it decoded as above: requests reach it through the returned
   * server's {@code handle}, and services are added to the returned server.
   *
   * @param maxMessageBytes the limit {@code server} was configured with, for messages
   */
  public static GrpcServer server(GrpcServer server, long maxMessageBytes) {
    return new DecodingServer(server, maxMessageBytes);
  }

  /** {@code service} with its methods' requests decoded as above, for a server refusing messages over {@code maxMessageBytes}. */
  static Service wrap(Service service, long maxMessageBytes) {
    return service instanceof Wrapped ? service : new Wrapped(service, maxMessageBytes);
  }

  /** The server a process serves: marks requests without an encoding, wraps the services added. */
  private static final class DecodingServer implements GrpcServer {
    private final GrpcServer server;
    private final long maxMessageBytes;

    DecodingServer(GrpcServer server, long maxMessageBytes) {
      this.server = server;
      this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public void handle(HttpServerRequest request) {
      if (request.getHeader("grpc-encoding") == null) {
        request.headers().set("grpc-encoding", NO_ENCODING);
      }
      server.handle(request);
    }

    @Override
    public GrpcServer callHandler(Handler<GrpcServerRequest<Buffer, Buffer>> handler) {
      server.callHandler(handler);
      return this;
    }

    @Override
    public <Req, Resp> GrpcServer callHandler(ServiceMethod<Req, Resp> method, Handler<GrpcServerRequest<Req, Resp>> handler) {
      new BindingServer(server, null, maxMessageBytes).callHandler(method, handler);
      return this;
    }

    @Override
    public GrpcServer addService(Service service) {
      server.addService(wrap(service, maxMessageBytes));
      return this;
    }

    @Override
    public List<Service> services() {
      return server.services();
    }
  }

  private static final class Wrapped implements Service {
    private final Service service;
    private final long maxMessageBytes;

    Wrapped(Service service, long maxMessageBytes) {
      this.service = service;
      this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public ServiceName name() {
      return service.name();
    }

    @Override
    public Descriptors.ServiceDescriptor descriptor() {
      return service.descriptor();
    }

    @Override
    public void bind(GrpcServer server) {
      service.bind(new BindingServer(server, service.descriptor(), maxMessageBytes));
    }
  }

  /** What a service's {@code bind} sees: the real server, with each method's handler wrapped. */
  private static final class BindingServer implements GrpcServer {
    private final GrpcServer server;
    private final Descriptors.ServiceDescriptor descriptor;
    private final long maxMessageBytes;

    BindingServer(GrpcServer server, Descriptors.ServiceDescriptor descriptor, long maxMessageBytes) {
      this.server = server;
      this.descriptor = descriptor;
      this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public <Req, Resp> GrpcServer callHandler(ServiceMethod<Req, Resp> method, Handler<GrpcServerRequest<Req, Resp>> handler) {
      if (handler == null) {
        server.callHandler(method, null);
        return this;
      }
      Descriptors.MethodDescriptor m = descriptor == null ? null : descriptor.findMethodByName(method.methodName());
      MethodShape shape = new MethodShape(m == null ? method.fullMethodName() + " request" : m.getInputType().getFullName(),
          m != null && m.isClientStreaming(), method.decoder(), maxMessageBytes);
      server.callHandler(method, request -> handler.handle(new DecodingRequest<>(request, shape)));
      return this;
    }

    @Override
    public GrpcServer callHandler(Handler<GrpcServerRequest<Buffer, Buffer>> handler) {
      server.callHandler(handler);
      return this;
    }

    @Override
    public GrpcServer addService(Service service) {
      server.addService(wrap(service, maxMessageBytes));
      return this;
    }

    @Override
    public List<Service> services() {
      return server.services();
    }

    @Override
    public void handle(HttpServerRequest request) {
      server.handle(request);
    }
  }

  /** @param messageType the request message's full name, for error messages */
  private record MethodShape(String messageType, boolean clientStreaming, GrpcMessageDecoder<?> decoder, long maxBytes) {}

  /** A refusal of the request, with the status the client gets. */
  private static final class Refusal extends Exception {
    final GrpcStatus status;

    Refusal(GrpcStatus status, String message) {
      super(message, null, false, false);
      this.status = status;
    }
  }

  /**
   * The request a service's handler gets: messages decoded here from the raw ones Vert.x deframes. Everything
   * but decoding, message counting and the end is the real request's.
   */
  private static final class DecodingRequest<Req, Resp> implements GrpcServerRequest<Req, Resp> {
    private final GrpcServerRequest<Req, Resp> request;
    private final MethodShape shape;
    private Handler<Req> handler;
    private Handler<GrpcMessage> rawHandler;
    private Handler<Void> endHandler;
    private GrpcMessage last;
    private long messages;
    private boolean refused;

    DecodingRequest(GrpcServerRequest<Req, Resp> request, MethodShape shape) {
      this.request = request;
      this.shape = shape;
      if (NO_ENCODING.equals(request.headers().get("grpc-encoding"))) {
        request.headers().remove("grpc-encoding");
      }
      request.messageHandler(this::onMessage);
      request.endHandler(v -> onEnd());
      request.invalidMessageHandler(this::onInvalid);
    }

    private void onMessage(GrpcMessage msg) {
      if (refused) {
        return;
      }
      messages++;
      last = msg;
      if (messages > 1 && !shape.clientStreaming()) {
        refuse(GrpcStatus.INVALID_ARGUMENT, "a second " + shape.messageType() + " in one request: "
            + request.fullMethodName() + " takes one message");
        return;
      }
      Handler<GrpcMessage> raw = rawHandler;
      if (raw != null) {
        raw.handle(msg);
        return;
      }
      Handler<Req> h = handler;
      if (h == null) {
        return;
      }
      Req decoded;
      try {
        decoded = decode(msg);
      } catch (Refusal r) {
        refuse(r.status, r.getMessage());
        return;
      }
      try {
        h.handle(decoded);
      } catch (RuntimeException e) {
        StatusException s = RpcErrors.toStatus(e);
        refuse(s.status(), s.message());
      }
    }

    private void onEnd() {
      if (refused) {
        return;
      }
      if (messages == 0) {
        refuse(GrpcStatus.INVALID_ARGUMENT, "the request ended before a complete " + shape.messageType() + " arrived");
        return;
      }
      Handler<Void> h = endHandler;
      if (h != null) {
        h.handle(null);
      }
    }

    private void onInvalid(InvalidMessageException e) {
      if (e instanceof MessageSizeOverflowException o) {
        refuse(GrpcStatus.RESOURCE_EXHAUSTED, "a " + shape.messageType() + " of " + o.messageSize()
            + " bytes is over this server's limit of " + shape.maxBytes() + " bytes");
      } else {
        refuse(GrpcStatus.INVALID_ARGUMENT, "invalid gRPC message for " + shape.messageType() + ": " + e.getMessage());
      }
    }

    private void refuse(GrpcStatus status, String message) {
      if (refused) {
        return;
      }
      refused = true;
      // fails only when the service has answered already; nothing is left to say then
      request.response().status(status).statusMessage(message).end();
    }

    @SuppressWarnings("unchecked")
    private Req decode(GrpcMessage msg) throws Refusal {
      GrpcMessage plain = switch (msg.encoding()) {
        case "identity" -> msg;
        case "gzip" -> GrpcMessage.message("identity", msg.format(), Buffer.buffer(gunzip(msg.payload().getBytes())));
        case NO_ENCODING -> throw new Refusal(GrpcStatus.INVALID_ARGUMENT, "a message flagged compressed, but the "
            + "request has no grpc-encoding header");
        default -> throw new Refusal(GrpcStatus.UNIMPLEMENTED, "grpc-encoding " + msg.encoding()
            + " is not supported (identity, gzip)");
      };
      try {
        Object decoded = shape.decoder().decode(plain);
        if (decoded == null) {
          throw new Refusal(GrpcStatus.INVALID_ARGUMENT, "request is not a valid " + shape.messageType());
        }
        return (Req) decoded;
      } catch (RuntimeException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        throw new Refusal(GrpcStatus.INVALID_ARGUMENT, "request is not a valid " + shape.messageType()
            + (plain.format() == WireFormat.JSON ? " in JSON" : "") + ": " + why);
      }
    }

    /** Inflates a gzip message, holding at most the server's message limit. */
    private byte[] gunzip(byte[] compressed) throws Refusal {
      long limit = shape.maxBytes();
      try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(compressed.length * 4, 1 << 20));
        byte[] chunk = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(chunk)) > 0) {
          total += n;
          if (total > limit) {
            throw new Refusal(GrpcStatus.RESOURCE_EXHAUSTED, "a gzip " + shape.messageType()
                + " inflates past this server's limit of " + limit + " bytes");
          }
          out.write(chunk, 0, n);
        }
        return out.toByteArray();
      } catch (IOException e) {
        throw new Refusal(GrpcStatus.INVALID_ARGUMENT, "request is gzip-encoded but not valid gzip: "
            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
      }
    }

    @Override
    public DecodingRequest<Req, Resp> handler(Handler<Req> handler) {
      this.handler = handler;
      return this;
    }

    @Override
    public DecodingRequest<Req, Resp> messageHandler(Handler<GrpcMessage> handler) {
      this.rawHandler = handler;
      return this;
    }

    @Override
    public DecodingRequest<Req, Resp> endHandler(Handler<Void> endHandler) {
      this.endHandler = endHandler;
      return this;
    }

    @Override
    public DecodingRequest<Req, Resp> invalidMessageHandler(Handler<InvalidMessageException> handler) {
      // the refusals above answer invalid messages; a service has nothing to add
      return this;
    }

    @Override
    public Future<Req> last() {
      return request.end().compose(v -> {
        if (last == null) {
          return Future.failedFuture(new StatusException(GrpcStatus.INVALID_ARGUMENT, "no " + shape.messageType()));
        }
        try {
          return Future.succeededFuture(decode(last));
        } catch (Refusal r) {
          return Future.failedFuture(new StatusException(r.status, r.getMessage()));
        }
      });
    }

    @Override
    public Future<Void> end() {
      return request.end();
    }

    @Override
    public DecodingRequest<Req, Resp> errorHandler(Handler<GrpcError> handler) {
      request.errorHandler(handler);
      return this;
    }

    @Override
    public DecodingRequest<Req, Resp> exceptionHandler(Handler<Throwable> handler) {
      request.exceptionHandler(handler);
      return this;
    }

    @Override
    public DecodingRequest<Req, Resp> pause() {
      request.pause();
      return this;
    }

    @Override
    public DecodingRequest<Req, Resp> resume() {
      request.resume();
      return this;
    }

    @Override
    public DecodingRequest<Req, Resp> fetch(long amount) {
      request.fetch(amount);
      return this;
    }

    @Override
    public ServiceName serviceName() {
      return request.serviceName();
    }

    @Override
    public String methodName() {
      return request.methodName();
    }

    @Override
    public String fullMethodName() {
      return request.fullMethodName();
    }

    @Override
    public GrpcServerResponse<Req, Resp> response() {
      return request.response();
    }

    @Override
    public HttpConnection connection() {
      return request.connection();
    }

    @Override
    public long timeout() {
      return request.timeout();
    }

    @Override
    public Timer deadline() {
      return request.deadline();
    }

    @Override
    public MultiMap headers() {
      return request.headers();
    }

    @Override
    public String encoding() {
      return NO_ENCODING.equals(request.encoding()) ? null : request.encoding();
    }

    @Override
    public WireFormat format() {
      return request.format();
    }
  }
}
