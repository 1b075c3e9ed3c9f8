package uk.gov.residentportal.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import uk.gov.residentportal.VerifyAuditCommand;

/** The --verify-audit command on the embedded first-run database (H2 in MySQL mode). */
class VerifyAuditCommandH2Test {
  @TempDir Path dir;

  @Test
  void findsTheFreshEmbeddedDatabasesChainsIntact() {
    String url =
        "jdbc:h2:file:"
            + dir.resolve("portal").toAbsolutePath()
            + ";MODE=MySQL;DATABASE_TO_LOWER=TRUE;CASE_INSENSITIVE_IDENTIFIERS=TRUE";
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int status;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      status =
          VerifyAuditCommand.run(
              new String[] {
                "--verify-audit",
                "--datasources.default.url=" + url,
                "--datasources.default.username=sa",
                "--datasources.default.password=",
                "--datasources.default.driver-class-name=org.h2.Driver",
                "--portal.data-dir=" + dir
              },
              out);
    }
    String output = bytes.toString(StandardCharsets.UTF_8);

    assertThat(status).as(output).isEqualTo(VerifyAuditCommand.INTACT);
    assertThat(output)
        .contains("Audit chains checked: 16 chains, 0 events.")
        .contains("No signed checkpoint yet.")
        .contains("Intact");
    // It was the embedded database, migrated afresh, that was checked.
    assertThat(dir.resolve("portal.mv.db")).exists();
  }
}
