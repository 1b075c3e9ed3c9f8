package uk.gov.residentportal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uk.gov.residentportal.support.Portal;

/**
 * Starts the packaged jar (not the test classpath) on its embedded default, as a newcomer's first
 * run does, signs up and reads the account back. Catches packaging mistakes: a missing runtime
 * dependency, a resource left out of the jar, a broken migration on H2.
 */
class PackagedJarIT {
  @TempDir Path workDir;
  private Process process;

  @AfterEach
  void stop() throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }

  @Test
  void packagedJarSignsUpAndReadsTheAccountBackOnTheEmbeddedDefault() throws Exception {
    Path jar =
        Path.of(System.getProperty("portal.jar", "target/resident-portal.jar")).toAbsolutePath();
    assertThat(jar).exists();
    int port = freePort();
    ProcessBuilder builder =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                jar.toString())
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("portal.log").toFile());
    Map<String, String> env = builder.environment();
    // Only the embedded default: nothing from the surrounding environment may point elsewhere.
    env.keySet()
        .removeIf(
            k ->
                k.startsWith("DATASOURCES_")
                    || k.startsWith("PORTAL_")
                    || k.startsWith("MICRONAUT_"));
    env.put("MICRONAUT_SERVER_PORT", String.valueOf(port));
    env.put(
        "PORTAL_ORGANISATIONS_FILE",
        Path.of("src/test/resources/test-organisations.json").toAbsolutePath().toString());
    env.put(
        "PORTAL_CLIENTS_FILE",
        Path.of("src/test/resources/test-clients.json").toAbsolutePath().toString());
    Instant started = Instant.now();
    process = builder.start();

    Portal portal =
        new Portal(URI.create("http://localhost:" + port), workDir.resolve("data/outbox"));
    awaitReady(portal, Duration.ofSeconds(90));
    Duration startup = Duration.between(started, Instant.now());

    String email = Portal.newEmail();
    String accountId = portal.signUpAndVerify(email);
    Portal.Tokens tokens = portal.signIn(email);
    Portal.Response me = portal.get("/api/v1/me", tokens.accessToken());

    assertThat(me.status()).isEqualTo(200);
    assertThat(me.json()).containsEntry("id", accountId).containsEntry("email", email);
    assertThat(workDir.resolve("data/portal.mv.db")).exists();
    assertThat(Files.list(workDir.resolve("data/keys"))).isNotEmpty();
    assertPagesAreStyledFromTheJar(portal);
    String log = Files.readString(workDir.resolve("portal.log"), StandardCharsets.UTF_8);
    assertThat(log)
        .contains("Resident Portal ready")
        .contains("http://localhost:" + port)
        .contains(workDir.resolve("data/outbox").toRealPath().toString())
        .doesNotContain(email)
        .doesNotContain(Portal.PASSWORD);
    System.out.println(
        "packaged jar ready in " + startup.toMillis() + " ms (embedded H2, first run)");
  }

  /**
   * GOV.UK Frontend's CSS, and the fonts and images it names, are copied into the jar by the build
   * (not fetched from a CDN): the sign-up page's stylesheets and every asset the CSS refers to
   * load.
   */
  private static void assertPagesAreStyledFromTheJar(Portal portal) {
    Portal.Response page = portal.get("/account/sign-up", null);
    assertThat(page.status()).isEqualTo(200);
    Matcher stylesheets =
        Pattern.compile("<link rel=\"stylesheet\" href=\"([^\"]+)\"").matcher(page.body());
    List<String> css = stylesheets.results().map(m -> m.group(1)).toList();
    assertThat(css).contains("/assets/govuk-frontend.min.css", "/assets/portal.css");
    for (String href : css) {
      Portal.Response sheet = portal.get(href, null);
      assertThat(sheet.status()).as(href).isEqualTo(200);
      assertThat(sheet.contentType()).as(href).startsWith("text/css");
    }
    String govuk = portal.get("/assets/govuk-frontend.min.css", null).body();
    List<String> assets =
        Pattern.compile("url\\((/assets/[^)]+)\\)")
            .matcher(govuk)
            .results()
            .map(m -> m.group(1))
            .distinct()
            .toList();
    assertThat(assets).anyMatch(a -> a.endsWith(".woff2"));
    for (String asset : assets) {
      Portal.Response file = portal.get(asset, null);
      assertThat(file.status()).as(asset).isEqualTo(200);
      if (asset.endsWith(".woff2")) {
        assertThat(file.contentType()).as(asset).isEqualTo("font/woff2");
      }
    }
  }

  private void awaitReady(Portal portal, Duration limit) throws InterruptedException, IOException {
    Instant deadline = Instant.now().plus(limit);
    while (Instant.now().isBefore(deadline)) {
      assertThat(process.isAlive())
          .as("the jar exited: " + Files.readString(workDir.resolve("portal.log")))
          .isTrue();
      try {
        if (portal.get("/health/readiness", null).status() == 200) {
          return;
        }
      } catch (AssertionError notYet) {
        // connection refused while starting
      }
      Thread.sleep(200);
    }
    throw new AssertionError(
        "not ready in " + limit + ": " + Files.readString(workDir.resolve("portal.log")));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
