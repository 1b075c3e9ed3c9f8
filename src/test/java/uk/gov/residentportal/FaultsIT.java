package uk.gov.residentportal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import uk.gov.residentportal.support.MachineTokens;
import uk.gov.residentportal.support.Portal;

/**
 * Faults survived by the packaged jar (issue 7): its own MariaDB stopped and started again under
 * load, then SIGTERM under load. The database is a private mariadbd on a free port and a data
 * directory of its own, never the shared one at 3306, which other tests use.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsIT {
  private static final String PROBLEM_JSON = "application/problem+json";
  private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(5);

  private Path workDir;
  private int dbPort;
  private int appPort;
  private Process mariadb;
  private Process portal;
  private Portal client;
  private final HttpClient http =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  /** One request's outcome as the caller saw it; status -1 for no answer (refused, reset). */
  record Call(
      String kind,
      String ref,
      Instant start,
      Instant end,
      int status,
      String type,
      String retryAfter) {
    long millis() {
      return Duration.between(start, end).toMillis();
    }

    boolean ok() {
      return status >= 200 && status < 300;
    }
  }

  @BeforeAll
  void start() throws Exception {
    workDir = Files.createTempDirectory("portal-faults");
    dbPort = freePort();
    Process install =
        new ProcessBuilder(
                "mariadb-install-db",
                "--no-defaults",
                "--datadir=" + workDir.resolve("db"),
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
                "--user=" + System.getProperty("user.name"))
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("install.log").toFile())
            .start();
    assertThat(install.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(install.exitValue()).as(Files.readString(workDir.resolve("install.log"))).isZero();
    startDatabase();
    try (Connection c = database("");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE portal");
    }

    appPort = freePort();
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Path.of(System.getProperty("portal.jar", "target/resident-portal.jar"))
                    .toAbsolutePath()
                    .toString())
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("portal.log").toFile());
    Map<String, String> env = builder.environment();
    env.keySet()
        .removeIf(
            k ->
                k.startsWith("DATASOURCES_")
                    || k.startsWith("PORTAL_")
                    || k.startsWith("MICRONAUT_"));
    env.put("MICRONAUT_SERVER_HOST", "127.0.0.1");
    env.put("MICRONAUT_SERVER_PORT", String.valueOf(appPort));
    env.put("DATASOURCES_DEFAULT_URL", "jdbc:mysql://127.0.0.1:" + dbPort + "/portal");
    env.put("DATASOURCES_DEFAULT_USERNAME", "root");
    env.put("DATASOURCES_DEFAULT_PASSWORD", "");
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    env.put("PORTAL_KEYS_ENCRYPTION_KEY", Base64.getEncoder().encodeToString(key));
    env.put(
        "PORTAL_ORGANISATIONS_FILE",
        Path.of("src/test/resources/test-organisations.json").toAbsolutePath().toString());
    env.put(
        "PORTAL_CLIENTS_FILE",
        Path.of("src/test/resources/test-clients.json").toAbsolutePath().toString());
    // Sign-ups slow enough (about a second each) to be surely in flight when SIGTERM arrives.
    env.put("PORTAL_ARGON2_ITERATIONS", "20");
    portal = builder.start();
    client = new Portal(URI.create("http://localhost:" + appPort), workDir.resolve("data/outbox"));
    awaitReadiness(200, Duration.ofSeconds(60));
  }

  @AfterAll
  void stop() throws Exception {
    if (portal != null && portal.isAlive()) {
      portal.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (mariadb != null && mariadb.isAlive()) {
      mariadb.destroy();
      if (!mariadb.waitFor(30, TimeUnit.SECONDS)) {
        mariadb.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    // The logs stay for a look after a failure; the data directories go.
    Path logs = Files.createDirectories(Path.of("target", "faults-it"));
    for (String log : List.of("portal.log", "mariadb.log")) {
      if (Files.exists(workDir.resolve(log))) {
        Files.copy(
            workDir.resolve(log),
            logs.resolve(log),
            java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
    }
    try (Stream<Path> files = Files.walk(workDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  @Order(1)
  void databaseStoppedUnderLoad_answers503QuicklyThenServesAgainWithoutLosingAWrite()
      throws Exception {
    String machineToken = MachineTokens.tokenFor(client, MachineTokens.COUNCIL_TAX_SYSTEM);
    String email = Portal.newEmail();
    client.signUpAndVerify(email);
    String residentToken = client.signIn(email).accessToken();

    ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> workers = new ArrayList<>();
    for (int w = 0; w < 3; w++) {
      int writer = w;
      workers.add(
          thread(
              "writer-" + w,
              () -> {
                for (int n = 0; running.get(); n++) {
                  String ref = "F-" + writer + "-" + n;
                  calls.add(putRecord(machineToken, writer, ref));
                }
              }));
    }
    workers.add(
        thread(
            "reader",
            () -> {
              while (running.get()) {
                calls.add(call("read", null, get("/api/v1/me", residentToken)));
              }
            }));

    Instant down;
    Instant readinessDown;
    Instant restart;
    Instant back;
    Instant readinessUp;
    Instant firstWrite;
    try {
      Thread.sleep(1500);
      mariadb.destroy(); // SIGTERM
      assertThat(mariadb.waitFor(30, TimeUnit.SECONDS)).as("mariadbd stopped").isTrue();
      down = Instant.now();
      readinessDown = awaitReadiness(503, Duration.ofSeconds(5));
      Thread.sleep(3000);
      restart = Instant.now();
      startDatabase();
      back = Instant.now();
      readinessUp = awaitReadiness(200, Duration.ofSeconds(10));
      firstWrite = awaitWriteAfter(calls, back, Duration.ofSeconds(10));
      Thread.sleep(1000);
    } finally {
      stopLoad(running, workers);
    }
    for (Thread worker : workers) {
      assertThat(worker.isAlive()).as(worker.getName() + " hangs").isFalse();
    }

    List<Call> all = new ArrayList<>(calls);
    Instant outageFrom = down;
    Instant outageTo = restart;
    List<Call> duringOutage =
        all.stream()
            .filter(c -> !c.start().isBefore(outageFrom) && c.start().isBefore(outageTo))
            .toList();
    long[] outageMillis = duringOutage.stream().mapToLong(Call::millis).sorted().toArray();
    long medianMillis = outageMillis.length == 0 ? 0 : outageMillis[outageMillis.length / 2];
    long slowestMillis = outageMillis.length == 0 ? 0 : outageMillis[outageMillis.length - 1];
    System.out.printf(
        "database down: readiness 503 after %d ms; %d requests during the outage, median %d ms,"
            + " slowest %d ms; database back after %d ms of starting: readiness UP after %d ms,"
            + " first write after %d ms; %d calls, %d writes acknowledged%n",
        Duration.between(down, readinessDown).toMillis(),
        duringOutage.size(),
        medianMillis,
        slowestMillis,
        Duration.between(restart, back).toMillis(),
        Duration.between(back, readinessUp).toMillis(),
        Duration.between(back, firstWrite).toMillis(),
        all.size(),
        all.stream().filter(c -> c.kind().equals("write") && c.ok()).count());

    assertThat(Duration.between(down, readinessDown)).isLessThan(Duration.ofSeconds(2));
    assertThat(duringOutage).hasSizeGreaterThan(10);
    assertThat(duringOutage)
        .allSatisfy(
            c -> {
              assertThat(c.status()).as(c.toString()).isEqualTo(503);
              assertThat(c.type()).as(c.toString()).startsWith(PROBLEM_JSON);
              assertThat(c.retryAfter()).as(c.toString()).isNotBlank();
              // Every one answered quickly; a loaded 2-core machine may stall one a little.
              assertThat(c.millis()).as(c.toString()).isLessThan(1500);
            });
    assertThat(medianMillis).as("median answer during the outage, ms").isLessThan(1000);
    // Before, during and after: an answer every time, a success or a 503 problem.
    assertThat(all)
        .allSatisfy(
            c -> {
              assertThat(c.status()).as(c.toString()).isIn(200, 201, 503);
              if (c.status() == 503) {
                assertThat(c.type()).as(c.toString()).startsWith(PROBLEM_JSON);
              }
            });
    assertThat(Duration.between(back, readinessUp)).isLessThan(Duration.ofSeconds(10));
    assertThat(Duration.between(back, firstWrite)).isLessThan(Duration.ofSeconds(10));
    assertThat(all).filteredOn(c -> c.kind().equals("read") && c.ok()).isNotEmpty();

    Set<String> acknowledged = new HashSet<>();
    all.stream()
        .filter(c -> c.kind().equals("write") && c.ok())
        .forEach(c -> acknowledged.add(c.ref()));
    assertThat(acknowledged).isNotEmpty();
    Set<String> stored = new HashSet<>();
    try (Connection c = database("portal");
        PreparedStatement s =
            c.prepareStatement(
                "SELECT external_ref FROM records WHERE source_system = 'COUNCIL_TAX'"
                    + " AND external_ref LIKE 'F-%'");
        ResultSet rows = s.executeQuery()) {
      while (rows.next()) {
        stored.add(rows.getString(1));
      }
    }
    assertThat(stored).containsAll(acknowledged);
  }

  @Test
  @Order(2)
  void sigtermUnderLoad_finishesRequestsInFlight_andRefusesOnlyNewOnes() throws Exception {
    awaitReadiness(200, Duration.ofSeconds(10));
    String email = Portal.newEmail();
    client.signUpAndVerify(email);
    String residentToken = client.signIn(email).accessToken();

    ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
    AtomicBoolean running = new AtomicBoolean(true);
    List<Thread> workers = new ArrayList<>();
    for (int r = 0; r < 2; r++) {
      workers.add(
          thread(
              "reader-" + r,
              () -> {
                while (running.get()) {
                  Call read = call("read", null, get("/api/v1/me", residentToken));
                  calls.add(read);
                  if (!read.ok()) {
                    sleep(20); // refused: the service is stopping; no need to spin
                  }
                }
              }));
    }
    workers.add(
        thread(
            "readiness",
            () -> {
              while (running.get()) {
                calls.add(call("readiness", null, get("/health/readiness", null)));
                sleep(50);
              }
            }));
    // Sign-ups, each an Argon2id hash of about a second, in flight when SIGTERM arrives.
    int signUpCount = 4;
    List<String> emails = new ArrayList<>();
    List<Thread> signUps = new ArrayList<>();
    ConcurrentLinkedQueue<Call> signUpCalls = new ConcurrentLinkedQueue<>();
    CountDownLatch signUpsSent = new CountDownLatch(signUpCount);
    Instant term;
    boolean exited;
    Instant exit;
    try {
      Thread.sleep(500);
      for (int i = 0; i < signUpCount; i++) {
        String address = Portal.newEmail();
        emails.add(address);
        signUps.add(
            thread(
                "sign-up-" + i,
                () ->
                    signUpCalls.add(
                        call("sign-up", address, signUp(address, signUpsSent::countDown)))));
      }
      // In flight: every request body handed to the connection, then a margin for the server to
      // read it and start hashing (a hash takes about a second, so they are still running).
      assertThat(signUpsSent.await(10, TimeUnit.SECONDS)).as("sign-ups sent").isTrue();
      Thread.sleep(300);
      term = Instant.now();
      portal.destroy(); // SIGTERM
      for (Thread signUp : signUps) {
        signUp.join(30_000);
      }
      exited = portal.waitFor(30, TimeUnit.SECONDS);
      exit = Instant.now();
    } finally {
      stopLoad(running, workers);
    }
    for (Thread worker : workers) {
      assertThat(worker.isAlive()).as(worker.getName() + " hangs").isFalse();
    }

    List<Call> all = new ArrayList<>(calls);
    System.out.printf(
        "SIGTERM: readiness down after %s ms; sign-ups in flight finished in %s ms; exited %s"
            + " after %d ms with status %s; %d calls, %d refused after SIGTERM%n",
        all.stream()
            .filter(c -> c.kind().equals("readiness") && !c.ok() && c.start().isAfter(term))
            .map(c -> String.valueOf(Duration.between(term, c.end()).toMillis()))
            .findFirst()
            .orElse("-"),
        signUpCalls.stream()
            .map(c -> String.valueOf(Duration.between(term, c.end()).toMillis()))
            .toList(),
        exited,
        Duration.between(term, exit).toMillis(),
        exited ? portal.exitValue() : "-",
        all.size(),
        all.stream().filter(c -> !c.ok()).count());

    assertThat(exited).as("exits within 30 s of SIGTERM").isTrue();
    // 143 = 128 + SIGTERM: the JVM's status after a clean shutdown on that signal.
    assertThat(portal.exitValue()).isIn(0, 143);
    assertThat(signUpCalls)
        .hasSize(4)
        .allSatisfy(
            c -> {
              assertThat(c.status()).as(c.toString()).isEqualTo(201);
              assertThat(c.start()).isBefore(term);
            });
    // Acknowledged means stored.
    try (Connection c = database("portal");
        PreparedStatement s = c.prepareStatement("SELECT count(*) FROM accounts WHERE email = ?")) {
      for (String address : emails) {
        s.setString(1, address);
        try (ResultSet rows = s.executeQuery()) {
          rows.next();
          assertThat(rows.getInt(1)).as(address).isEqualTo(1);
        }
      }
    }
    // The only failures: new requests refused (no answer, or 503) after SIGTERM.
    assertThat(all)
        .allSatisfy(
            c -> {
              if (!c.ok()) {
                assertThat(c.start()).as(c.toString()).isAfterOrEqualTo(term);
                assertThat(c.status()).as(c.toString()).isIn(-1, 503);
              }
            });
    assertThat(all).filteredOn(c -> c.kind().equals("read") && c.ok()).isNotEmpty();
    // Readiness goes down soon after SIGTERM and stays down: no UP after the first refusal.
    List<Call> readiness =
        all.stream()
            .filter(c -> c.kind().equals("readiness"))
            .sorted(Comparator.comparing(Call::start))
            .toList();
    Call firstDown =
        readiness.stream()
            .filter(c -> !c.ok())
            .findFirst()
            .orElseThrow(() -> new AssertionError("readiness never went down: " + readiness));
    assertThat(Duration.between(term, firstDown.end()))
        .as(firstDown.toString())
        .isLessThan(Duration.ofSeconds(2));
    assertThat(readiness)
        .filteredOn(c -> c.start().isAfter(firstDown.start()))
        .allSatisfy(c -> assertThat(c.status()).as(c.toString()).isNotEqualTo(200));
  }

  // ---- requests ----

  private record Answer(Instant start, Instant end, int status, String type, String retryAfter) {}

  private Call putRecord(String token, int writer, String ref) {
    String body =
        "{\"subjectType\":\"COUNCIL_TAX_ACCOUNT\",\"subjectRef\":\"4"
            + String.format("%012d", writer + 1)
            + "\",\"category\":\"COUNCIL_TAX\",\"title\":\"Council tax bill\","
            + "\"residentVisible\":true,\"updatedAt\":\""
            + Instant.now().minusSeconds(60).truncatedTo(ChronoUnit.MILLIS)
            + "\"}";
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri("/api/v1/systems/records/COUNCIL_TAX/" + ref))
            .PUT(HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + token);
    return call("write", ref, send(request));
  }

  /** A sign-up; {@code sent} runs once the whole request body has gone to the connection. */
  private Answer signUp(String email, Runnable sent) {
    String body =
        "{\"email\":\""
            + email
            + "\",\"password\":\""
            + Portal.PASSWORD
            + "\",\"givenName\":\"Ada\",\"familyName\":\"Lovelace\",\"postcode\":\"le1 6zg\"}";
    return send(
        HttpRequest.newBuilder(uri("/api/v1/accounts"))
            .POST(signalling(HttpRequest.BodyPublishers.ofString(body), sent))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(30)));
  }

  /** The same body, and {@code sent} runs when its last byte has been handed to the client. */
  private static HttpRequest.BodyPublisher signalling(
      HttpRequest.BodyPublisher body, Runnable sent) {
    return new HttpRequest.BodyPublisher() {
      @Override
      public long contentLength() {
        return body.contentLength();
      }

      @Override
      public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        body.subscribe(
            new Flow.Subscriber<ByteBuffer>() {
              @Override
              public void onSubscribe(Flow.Subscription subscription) {
                subscriber.onSubscribe(subscription);
              }

              @Override
              public void onNext(ByteBuffer item) {
                subscriber.onNext(item);
              }

              @Override
              public void onError(Throwable throwable) {
                subscriber.onError(throwable);
              }

              @Override
              public void onComplete() {
                subscriber.onComplete();
                sent.run();
              }
            });
      }
    };
  }

  private Answer get(String path, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return send(request);
  }

  private static Call call(String kind, String ref, Answer answer) {
    return new Call(
        kind,
        ref,
        answer.start(),
        answer.end(),
        answer.status(),
        answer.type(),
        answer.retryAfter());
  }

  private Answer send(HttpRequest.Builder request) {
    HttpRequest built = request.build();
    if (built.timeout().isEmpty()) {
      built = request.timeout(CLIENT_TIMEOUT).build();
    }
    Instant start = Instant.now();
    try {
      HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
      return new Answer(
          start,
          Instant.now(),
          response.statusCode(),
          response.headers().firstValue("content-type").orElse(""),
          response.headers().firstValue("retry-after").orElse(null));
    } catch (java.net.http.HttpTimeoutException e) {
      // A hang: recorded as a status no assertion accepts.
      return new Answer(start, Instant.now(), 0, "timeout", null);
    } catch (IOException e) {
      return new Answer(start, Instant.now(), -1, e.getClass().getSimpleName(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(start, Instant.now(), 0, "interrupted", null);
    }
  }

  private URI uri(String path) {
    return URI.create("http://localhost:" + appPort + path);
  }

  // ---- waiting ----

  private Instant awaitReadiness(int status, Duration limit) throws IOException {
    Instant deadline = Instant.now().plus(limit);
    while (Instant.now().isBefore(deadline)) {
      assertThat(portal.isAlive())
          .as("the jar exited: " + Files.readString(workDir.resolve("portal.log")))
          .isTrue();
      if (get("/health/readiness", null).status() == status) {
        return Instant.now();
      }
      sleep(100);
    }
    throw new AssertionError(
        "readiness not "
            + status
            + " in "
            + limit
            + ": "
            + Files.readString(workDir.resolve("portal.log"), StandardCharsets.UTF_8));
  }

  private static Instant awaitWriteAfter(
      ConcurrentLinkedQueue<Call> calls, Instant after, Duration limit) {
    Instant deadline = Instant.now().plus(limit);
    while (Instant.now().isBefore(deadline)) {
      for (Call c : calls) {
        if (c.kind().equals("write") && c.ok() && c.start().isAfter(after)) {
          return c.end();
        }
      }
      sleep(50);
    }
    throw new AssertionError("no write succeeded within " + limit + " of the database's return");
  }

  // ---- the private database ----

  private void startDatabase() throws Exception {
    Path data = workDir.resolve("db");
    mariadb =
        new ProcessBuilder(
                "/usr/sbin/mariadbd",
                "--no-defaults",
                "--datadir=" + data,
                "--port=" + dbPort,
                "--socket=" + workDir.resolve("mariadb.sock"),
                "--bind-address=127.0.0.1",
                "--user=" + System.getProperty("user.name"),
                "--skip-log-bin",
                "--innodb-buffer-pool-size=32M")
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(workDir.resolve("mariadb.log").toFile()))
            .start();
    Instant deadline = Instant.now().plusSeconds(30);
    while (true) {
      try (Connection ignored = database("")) {
        return;
      } catch (SQLException notYet) {
        if (Instant.now().isAfter(deadline) || !mariadb.isAlive()) {
          throw new AssertionError(
              "mariadbd did not start: " + Files.readString(workDir.resolve("mariadb.log")),
              notYet);
        }
        sleep(100);
      }
    }
  }

  private Connection database(String schema) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:mysql://127.0.0.1:" + dbPort + "/" + schema + "?connectTimeout=1000", "root", "");
  }

  /** Stops the load threads (also when an assertion failed) and waits a while for them to end. */
  private static void stopLoad(AtomicBoolean running, List<Thread> workers)
      throws InterruptedException {
    running.set(false);
    for (Thread worker : workers) {
      worker.join(10_000);
    }
  }

  private static Thread thread(String name, Runnable work) {
    Thread thread = new Thread(work, name);
    thread.start();
    return thread;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
