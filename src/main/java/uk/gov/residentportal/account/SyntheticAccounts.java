package uk.gov.residentportal.account;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import uk.gov.residentportal.uptake.SyntheticAccount;

/**
 * Writes synthetic accounts ({@code --generate-accounts}) to {@code accounts}, many rows per
 * statement, in the caller's transaction. They cannot sign in: no password hash, and an email
 * address under {@code generated.invalid}, a name no mail reaches (RFC 2606). Erased ones keep only
 * what erasure keeps (id, assurance, status, dates).
 */
@Singleton
public class SyntheticAccounts {
  /** The domain of every synthetic email address. */
  public static final String EMAIL_DOMAIN = "generated.invalid";

  private static final int ROWS_PER_STATEMENT = 250;
  private static final int COLUMNS = 13;

  private final JdbcOperations jdbc;

  SyntheticAccounts(JdbcOperations jdbc) {
    this.jdbc = jdbc;
  }

  /** The synthetic address of account {@code number}. */
  public static String email(int number) {
    return String.format(Locale.ROOT, "synthetic-%08d@%s", number, EMAIL_DOMAIN);
  }

  /** Inserts the accounts' rows. */
  @Transactional(propagation = TransactionDefinition.Propagation.MANDATORY)
  public void insert(List<SyntheticAccount> accounts) {
    int whole = accounts.size() / ROWS_PER_STATEMENT * ROWS_PER_STATEMENT;
    // One statement for every full part (parsed once), one for the rest.
    if (whole > 0) {
      insert(accounts.subList(0, whole), ROWS_PER_STATEMENT);
    }
    if (whole < accounts.size()) {
      insert(accounts.subList(whole, accounts.size()), accounts.size() - whole);
    }
  }

  private void insert(List<SyntheticAccount> accounts, int rowsPerStatement) {
    String row = "(" + "?, ".repeat(COLUMNS - 1) + "?)";
    StringBuilder sql =
        new StringBuilder(
            "INSERT INTO accounts (id, email, email_verified_at, given_name, family_name,"
                + " postcode, assurance, status, created_at, updated_at, last_sign_in_at,"
                + " deleted_at, password_hash) VALUES ");
    for (int r = 0; r < rowsPerStatement; r++) {
      sql.append(r == 0 ? "" : ", ").append(row);
    }
    jdbc.prepareStatement(
        sql.toString(),
        statement -> {
          int i = 1;
          for (SyntheticAccount a : accounts) {
            boolean erased = a.erasedAt() != null;
            boolean kept = !erased;
            statement.setString(i++, a.id());
            statement.setString(i++, kept ? email(a.number()) : null);
            timestamp(statement, i++, kept ? a.verifiedAt() : null);
            statement.setString(i++, kept ? "Synthetic" : null);
            statement.setString(i++, kept ? "Resident " + a.number() : null);
            statement.setString(i++, kept ? a.postcode() : null);
            statement.setString(
                i++, a.linkedAt() != null ? Assurance.P1.name() : Assurance.P0.name());
            statement.setString(
                i++,
                erased
                    ? AccountStatus.ERASED.name()
                    : a.verifiedAt() != null
                        ? AccountStatus.ACTIVE.name()
                        : AccountStatus.PENDING_VERIFICATION.name());
            timestamp(statement, i++, a.signedUpAt());
            timestamp(statement, i++, a.updatedAt());
            timestamp(statement, i++, a.lastSignInAt());
            timestamp(statement, i++, a.erasedAt());
            statement.setNull(i++, Types.VARCHAR);
            if (i > COLUMNS * rowsPerStatement) {
              statement.executeUpdate();
              i = 1;
            }
          }
          return null;
        });
  }

  private static void timestamp(PreparedStatement statement, int index, Instant at)
      throws SQLException {
    if (at == null) {
      statement.setNull(index, Types.TIMESTAMP);
    } else {
      // As the service stores instants: UTC wall-clock time (the connections' zone is UTC).
      statement.setObject(index, LocalDateTime.ofInstant(at, ZoneOffset.UTC));
    }
  }
}
