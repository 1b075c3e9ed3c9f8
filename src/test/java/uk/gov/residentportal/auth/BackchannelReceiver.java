package uk.gov.residentportal.auth;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A council service's back-channel logout endpoint, on 127.0.0.1 and a free port: {@code /ok} takes
 * logout tokens (200), {@code /slow} answers 500 after longer than our timeout.
 */
final class BackchannelReceiver implements AutoCloseable {
  /** What arrived at /ok: the content type and the logout_token field. */
  record Delivery(String contentType, String logoutToken) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final BlockingQueue<Delivery> received = new LinkedBlockingQueue<>();

  BackchannelReceiver() {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(executor);
    server.createContext(
        "/ok",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String token = null;
          for (String pair : body.split("&")) {
            if (pair.startsWith("logout_token=")) {
              token = URLDecoder.decode(pair.substring(13), StandardCharsets.UTF_8);
            }
          }
          received.add(new Delivery(exchange.getRequestHeaders().getFirst("Content-Type"), token));
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.createContext(
        "/slow",
        exchange -> {
          try {
            Thread.sleep(8_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.sendResponseHeaders(500, -1);
          exchange.close();
        });
    server.start();
  }

  String uri(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** The next delivery to /ok, waiting up to 10 seconds; null if none came. */
  Delivery next() throws InterruptedException {
    return received.poll(10, TimeUnit.SECONDS);
  }

  /** A delivery to /ok that arrived within the given time, or null. */
  Delivery next(long millis) throws InterruptedException {
    return received.poll(millis, TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
