package uk.gov.residentportal.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.shared.PortalUrls;

/**
 * OpenID Connect Back-Channel Logout 1.0: when a browser session ends, each client that got a code
 * in it and registered a {@code backchannel_logout_uri} receives a signed logout token. Sent in the
 * background on a small bounded pool, with short timeouts and no redirects followed (section 2.8:
 * the OP must not follow them), so a slow or broken client never holds up or fails the resident's
 * sign-out. Failures are logged with the client id only.
 */
@Singleton
final class BackchannelLogout {
  /** Section 2.4: the logout token's {@code typ}, so it cannot pass as an ID or access token. */
  static final JOSEObjectType LOGOUT_TOKEN_TYPE = new JOSEObjectType("logout+jwt");

  static final String EVENT = "http://schemas.openid.net/event/backchannel-logout";

  private static final Logger LOG = LoggerFactory.getLogger(BackchannelLogout.class);
  // Section 2.4 asks for a short lifetime: the client uses the token at once.
  private static final Duration TOKEN_TTL = Duration.ofMinutes(2);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
  private static final int DELIVERY_THREADS = 4;

  private final TokenSigner signer;
  private final PortalUrls urls;
  private final Clock clock;
  private final ThreadPoolExecutor executor;
  private final HttpClient http;

  BackchannelLogout(TokenSigner signer, PortalUrls urls, Clock clock) {
    this.signer = signer;
    this.urls = urls;
    this.clock = clock;
    // Bounded both ways: 4 deliveries at a time and 1,000 waiting; beyond that a delivery is
    // dropped and logged rather than letting a mass logout exhaust memory. The HTTP client keeps
    // its own executor: sharing this one would let blocked deliveries starve their own I/O.
    this.executor =
        new ThreadPoolExecutor(
            DELIVERY_THREADS,
            DELIVERY_THREADS,
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(1000),
            r -> {
              Thread t = new Thread(r, "backchannel-logout");
              t.setDaemon(true);
              return t;
            });
    this.executor.allowCoreThreadTimeOut(true);
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  /** Queues a logout token for the client; returns at once. */
  void send(String clientId, String backchannelLogoutUri, String accountId, String sessionId) {
    String token = logoutToken(clientId, accountId, sessionId);
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(backchannelLogoutUri))
            .timeout(REQUEST_TIMEOUT)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "logout_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)))
            .build();
    try {
      executor.execute(() -> deliver(request, clientId));
    } catch (RejectedExecutionException busy) {
      LOG.warn("back-channel logout dropped (queue full) clientId={}", clientId);
    }
  }

  private void deliver(HttpRequest request, String clientId) {
    try {
      HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
      // Section 2.8: 200 (or 204) means done; anything else is the client's failure.
      if (response.statusCode() != 200 && response.statusCode() != 204) {
        LOG.warn(
            "back-channel logout refused clientId={} status={}", clientId, response.statusCode());
      } else {
        LOG.info("back-channel logout delivered clientId={}", clientId);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // The exception class only: messages may hold the URI, which is the client's business.
      LOG.warn(
          "back-channel logout failed clientId={} error={}",
          clientId,
          e.getClass().getSimpleName());
    }
  }

  /** Section 2.4: iss, aud, iat, exp, jti, sub, sid and the event; never a nonce. */
  String logoutToken(String clientId, String accountId, String sessionId) {
    Instant now = clock.instant();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(urls.issuer())
            .audience(clientId)
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(TOKEN_TTL)))
            .jwtID(UUID.randomUUID().toString())
            .subject(accountId)
            .claim("sid", sessionId)
            .claim("events", Map.of(EVENT, Map.of()))
            .build();
    return signer.sign(LOGOUT_TOKEN_TYPE, claims);
  }

  @PreDestroy
  void close() {
    executor.shutdown();
  }
}
