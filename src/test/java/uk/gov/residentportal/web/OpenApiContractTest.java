package uk.gov.residentportal.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The committed {@code openapi/portal.yml} is the contract clients read; it must be exactly what
 * the code generates (micronaut-openapi, at compile time). After a deliberate API change, refresh
 * it with {@code ./mvnw test -Dtest=OpenApiContractTest -Dopenapi.update=true} and review the diff.
 */
class OpenApiContractTest {
  private static final String GENERATED = "META-INF/swagger/resident-portal-0.1.0.yml";
  private static final Path COMMITTED = Path.of("openapi/portal.yml");

  @Test
  void committedDescriptionMatchesTheCode() throws IOException {
    String generated;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(GENERATED)) {
      assertThat(in).as("generated OpenAPI " + GENERATED).isNotNull();
      generated = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (Boolean.getBoolean("openapi.update")) {
      Files.writeString(COMMITTED, generated, StandardCharsets.UTF_8);
    }
    assertThat(Files.readString(COMMITTED, StandardCharsets.UTF_8))
        .as(
            "openapi/portal.yml differs from the code; run ./mvnw test -Dtest=OpenApiContractTest"
                + " -Dopenapi.update=true and review the diff")
        .isEqualTo(generated);
  }

  @Test
  void describesSecurityAndRealStatusCodes() throws IOException {
    String committed = Files.readString(COMMITTED, StandardCharsets.UTF_8);
    assertThat(committed)
        .contains("securitySchemes:")
        .contains("bearerFormat: JWT")
        .contains("application/problem+json")
        .contains("\"201\":")
        .contains("\"204\":")
        .contains("\"401\":");
  }
}
