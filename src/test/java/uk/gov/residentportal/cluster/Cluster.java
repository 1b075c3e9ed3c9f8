package uk.gov.residentportal.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import uk.gov.residentportal.support.Portal;

/**
 * Three replicas of the packaged jar behind nginx, started by {@code bin/cluster} on a fresh {@code
 * portal_cluster_<random>} schema of their own, all on 127.0.0.1. Closing it stops the script
 * (which stops the replicas and nginx) and drops the schema.
 */
final class Cluster implements AutoCloseable {
  static final int REPLICAS = 3;
  static final String UPSTREAM = "x-upstream";

  private static final String OPTIONS =
      "connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true&useSSL=false"
          + "&allowPublicKeyRetrieval=true";

  private final Path work;
  private final String schema;
  private final Path jar;
  private final Portal portal;
  private final List<Integer> replicaPorts = new ArrayList<>();
  private final Map<String, String> env;
  private final int balancerPort;
  private final String kek;
  private Process process;

  private Cluster(Path work, Map<String, String> env) throws IOException {
    this.work = work;
    this.env = env;
    this.jar =
        Path.of(System.getProperty("portal.jar", "target/resident-portal.jar")).toAbsolutePath();
    byte[] random = new byte[6];
    new SecureRandom().nextBytes(random);
    this.schema = "portal_cluster_" + HexFormat.of().formatHex(random);
    byte[] kekBytes = new byte[32];
    new SecureRandom().nextBytes(kekBytes);
    this.kek = Base64.getEncoder().encodeToString(kekBytes);
    int balancer = freePort();
    for (int i = 0; i < REPLICAS; i++) {
      replicaPorts.add(freePort());
    }
    this.portal = new Portal(URI.create("http://127.0.0.1:" + balancer), work.resolve("outbox"));
    this.balancerPort = balancer;
  }

  /** Starts the cluster with these extra settings for every replica; ready when it returns. */
  static Cluster start(Path work, Map<String, String> settings, Duration limit)
      throws IOException, InterruptedException {
    Cluster cluster = new Cluster(work, settings);
    try {
      cluster.launch(limit);
    } catch (RuntimeException | Error | IOException | InterruptedException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  private void launch(Duration limit) throws IOException, InterruptedException {
    if (!Files.isRegularFile(jar)) {
      throw new AssertionError("no packaged jar at " + jar + " (./mvnw -DskipTests package)");
    }
    execute("CREATE DATABASE " + schema + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add(projectDir().resolve("bin/cluster").toString());
    command.add("start");
    command.addAll(
        List.of(
            "--port",
            String.valueOf(balancerPort),
            "--replica-ports",
            String.join(",", replicaPorts.stream().map(String::valueOf).toList()),
            "--schema",
            schema,
            "--work",
            work.toString(),
            "--jar",
            jar.toString(),
            "--parent-pid",
            String.valueOf(ProcessHandle.current().pid())));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(projectDir().toFile())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("cluster.log").toFile());
    Map<String, String> environment = builder.environment();
    environment
        .keySet()
        .removeIf(
            k ->
                k.startsWith("DATASOURCES_")
                    || k.startsWith("PORTAL_")
                    || k.startsWith("MICRONAUT_"));
    environment.put("CLUSTER_DB_HOST", dbHost());
    environment.put("CLUSTER_DB_PORT", String.valueOf(dbPort()));
    environment.put("CLUSTER_DB_USER", user());
    environment.put("CLUSTER_DB_PASSWORD", password());
    environment.put("CLUSTER_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -Xmx384m");
    environment.put("PORTAL_EMAIL_OUTBOX", work.resolve("outbox").toString());
    environment.put("PORTAL_KEYS_ENCRYPTION_KEY", kek);
    environment.putAll(env);
    process = builder.start();
    Instant deadline = Instant.now().plus(limit);
    while (Instant.now().isBefore(deadline)) {
      if (!process.isAlive()) {
        throw new AssertionError("bin/cluster ended: " + log());
      }
      if (log().contains("cluster ready:")) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the cluster was not ready in " + limit + ": " + log());
  }

  String log() {
    try {
      return Files.readString(work.resolve("cluster.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** The balancer, as residents' browsers and council services reach the service. */
  Portal portal() {
    return portal;
  }

  /** The {@code host:port} of each replica, as nginx's X-Upstream names them. */
  List<String> upstreams() {
    return replicaPorts.stream().map(p -> "127.0.0.1:" + p).toList();
  }

  static String upstreamOf(Portal.Response response) {
    String upstream = response.header(UPSTREAM);
    if (upstream == null) {
      throw new AssertionError(
          "no X-Upstream header: " + response.status() + " " + response.body());
    }
    return upstream;
  }

  /**
   * Sends the same (read-only) request until every replica has answered it once: the answers by
   * replica.
   */
  Map<String, Portal.Response> fromEachReplica(Supplier<Portal.Response> request) {
    Map<String, Portal.Response> answers = new LinkedHashMap<>();
    for (int i = 0; i < REPLICAS * 4 && answers.size() < REPLICAS; i++) {
      Portal.Response response = request.get();
      answers.putIfAbsent(upstreamOf(response), response);
    }
    if (answers.size() < REPLICAS) {
      throw new AssertionError("only " + answers.keySet() + " answered");
    }
    return answers;
  }

  /** Runs {@code --verify-audit} of the packaged jar against the cluster's schema. */
  ProcessResult verifyAudit() throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-jar",
                jar.toString(),
                "--verify-audit")
            .directory(work.toFile())
            .redirectErrorStream(true);
    Map<String, String> environment = builder.environment();
    environment
        .keySet()
        .removeIf(
            k ->
                k.startsWith("DATASOURCES_")
                    || k.startsWith("PORTAL_")
                    || k.startsWith("MICRONAUT_"));
    environment.put("DATASOURCES_DEFAULT_URL", serverUrl() + schema + "?" + OPTIONS);
    environment.put("DATASOURCES_DEFAULT_USERNAME", user());
    environment.put("DATASOURCES_DEFAULT_PASSWORD", password());
    // The same settings as the replicas: the key-encryption key included.
    environment.put("PORTAL_KEYS_ENCRYPTION_KEY", kek);
    Path log = Files.createTempFile(work, "verify-audit", ".log");
    builder.redirectOutput(log.toFile());
    return run(builder, log, Duration.ofSeconds(60), "--verify-audit");
  }

  /**
   * Runs a child whose output goes to {@code log} (never a pipe, which a hung child would leave
   * open): waits at most {@code limit}, kills it if it is still running, then reads the log.
   */
  static ProcessResult run(ProcessBuilder builder, Path log, Duration limit, String what)
      throws IOException, InterruptedException {
    Process child = builder.start();
    if (!child.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      child.descendants().forEach(ProcessHandle::destroyForcibly);
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError(
          what
              + " did not finish in "
              + limit
              + ": "
              + Files.readString(log, StandardCharsets.UTF_8));
    }
    return new ProcessResult(child.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
  }

  record ProcessResult(int exitCode, String output) {}

  // ---- the cluster's schema, as an outsider holding the database sees it ----

  int update(String sql, Object... parameters) {
    try (Connection c = connect();
        PreparedStatement s = prepare(c, sql, parameters)) {
      return s.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("test update failed: " + sql, e);
    }
  }

  long count(String sql, Object... parameters) {
    try (Connection c = connect();
        PreparedStatement s = prepare(c, sql, parameters);
        ResultSet rows = s.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("test query failed: " + sql, e);
    }
  }

  String string(String sql, Object... parameters) {
    try (Connection c = connect();
        PreparedStatement s = prepare(c, sql, parameters);
        ResultSet rows = s.executeQuery()) {
      return rows.next() ? rows.getString(1) : null;
    } catch (SQLException e) {
      throw new IllegalStateException("test query failed: " + sql, e);
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(serverUrl() + schema + "?" + OPTIONS, user(), password());
  }

  private static PreparedStatement prepare(Connection c, String sql, Object[] parameters)
      throws SQLException {
    PreparedStatement s = c.prepareStatement(sql);
    for (int i = 0; i < parameters.length; i++) {
      s.setObject(i + 1, parameters[i]);
    }
    return s;
  }

  @Override
  public void close() {
    if (process != null) {
      // SIGTERM: the script stops nginx and the replicas, then ends.
      process.destroy();
      try {
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      execute("DROP DATABASE IF EXISTS " + schema);
    } catch (IllegalStateException e) {
      System.err.println("could not drop " + schema + ": " + e.getMessage());
    }
  }

  private static void execute(String sql) {
    try (Connection c =
            DriverManager.getConnection(serverUrl() + "?" + OPTIONS, user(), password());
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("the database at " + serverUrl() + " refused: " + sql, e);
    }
  }

  static Path projectDir() {
    return Path.of(System.getProperty("portal.project.dir", System.getProperty("user.dir")))
        .toAbsolutePath();
  }

  private static String serverUrl() {
    String url = System.getProperty("portal.test.db.url", "jdbc:mysql://127.0.0.1:3306/");
    if (url.isBlank() || url.startsWith("${")) {
      url = "jdbc:mysql://127.0.0.1:3306/";
    }
    return url.endsWith("/") ? url : url + "/";
  }

  private static String hostPort() {
    String rest = serverUrl().substring("jdbc:mysql://".length());
    return rest.substring(0, rest.indexOf('/'));
  }

  private static String dbHost() {
    String hostPort = hostPort();
    int colon = hostPort.lastIndexOf(':');
    return colon < 0 ? hostPort : hostPort.substring(0, colon);
  }

  private static int dbPort() {
    String hostPort = hostPort();
    int colon = hostPort.lastIndexOf(':');
    return colon < 0 ? 3306 : Integer.parseInt(hostPort.substring(colon + 1));
  }

  private static String user() {
    String user = System.getProperty("portal.test.db.user", "root");
    return user.isBlank() || user.startsWith("${") ? "root" : user;
  }

  private static String password() {
    String password = System.getProperty("portal.test.db.password", "");
    return password.startsWith("${") ? "" : password;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
