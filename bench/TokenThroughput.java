import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load driver for bench/token-throughput.sh (a single-file program run with the portal's jar on
 * the class path, for Nimbus JOSE). Not a test: nothing in the build runs it.
 *
 * <pre>
 *   keygen KEY_FILE CLIENT_ID SOURCE_SYSTEM  writes a private EC P-256 JWK, prints a clients file
 *   run BASE_URL CLIENT_ID KEY_FILE SECONDS CONCURRENCY WARMUP_SECONDS
 * </pre>
 *
 * Each request is what a back-office system sends: a fresh ES256 client assertion (new jti) and
 * grant_type=client_credentials. Signing happens in the driver's threads, on the same machine.
 */
public class TokenThroughput {
  public static void main(String[] args) throws Exception {
    if (args.length == 4 && args[0].equals("keygen")) {
      ECKey key =
          new ECKeyGenerator(Curve.P_256).keyID("bench-1").keyUse(KeyUse.SIGNATURE).generate();
      Files.writeString(Path.of(args[1]), key.toJSONString());
      System.out.println(
          "[{\"clientId\":\""
              + args[2]
              + "\",\"name\":\"Token benchmark\",\"type\":\"BACK_OFFICE\",\"sourceSystem\":\""
              + args[3]
              + "\",\"scopes\":[\"records:write\"],\"jwks\":{\"keys\":["
              + key.toPublicJWK().toJSONString()
              + "]}}]");
      return;
    }
    if (args.length != 7 || !args[0].equals("run")) {
      System.err.println("usage: keygen KEY CLIENT SOURCE | run BASE CLIENT KEY SECONDS CONC WARMUP");
      System.exit(2);
    }
    String base = args[1];
    String clientId = args[2];
    ECKey key = JWK.parse(Files.readString(Path.of(args[3]))).toECKey();
    int seconds = Integer.parseInt(args[4]);
    int concurrency = Integer.parseInt(args[5]);
    int warmup = Integer.parseInt(args[6]);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    phase(http, base, clientId, key, warmup, concurrency, false);
    phase(http, base, clientId, key, seconds, concurrency, true);
  }

  private static void phase(
      HttpClient http, String base, String clientId, ECKey key, int seconds, int concurrency,
      boolean report)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
    AtomicLong errors = new AtomicLong();
    List<List<Long>> latencies = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    long start = System.nanoTime();
    for (int t = 0; t < concurrency; t++) {
      List<Long> mine = new ArrayList<>();
      latencies.add(mine);
      Thread thread =
          new Thread(
              () -> {
                while (System.nanoTime() < deadline) {
                  long begin = System.nanoTime();
                  try {
                    HttpResponse<String> response =
                        http.send(request(base, clientId, key), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200) {
                      mine.add(System.nanoTime() - begin);
                    } else {
                      if (errors.incrementAndGet() == 1) {
                        System.err.println("first error: " + response.statusCode() + " " + response.body());
                      }
                    }
                  } catch (Exception e) {
                    errors.incrementAndGet();
                  }
                }
              });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    if (!report) {
      return;
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    List<Long> all = new ArrayList<>();
    latencies.forEach(all::addAll);
    Collections.sort(all);
    System.out.printf(
        "tokens=%d errors=%d seconds=%.1f concurrency=%d tokens_per_second=%.1f"
            + " p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f%n",
        all.size(), errors.get(), elapsed, concurrency, all.size() / elapsed,
        percentile(all, 50), percentile(all, 95), percentile(all, 99));
  }

  private static double percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int index = Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1);
    return sorted.get(Math.max(0, index)) / 1e6;
  }

  private static HttpRequest request(String base, String clientId, ECKey key) throws Exception {
    Instant now = Instant.now();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(clientId)
            .subject(clientId)
            .audience(base + "/oauth2/token")
            .jwtID(UUID.randomUUID().toString())
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plusSeconds(240)))
            .build();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.ES256)
                .type(JOSEObjectType.JWT)
                .keyID(key.getKeyID())
                .build(),
            claims);
    jwt.sign(new ECDSASigner(key));
    String form =
        "grant_type=client_credentials&client_assertion_type="
            + URLEncoder.encode(
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer", StandardCharsets.UTF_8)
            + "&client_assertion="
            + jwt.serialize();
    return HttpRequest.newBuilder(URI.create(base + "/oauth2/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(form))
        .build();
  }
}
