package uk.gov.residentportal.auth;

import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import uk.gov.residentportal.account.ExportContributor;

/** The resident's sign-ins (refresh token grants) for the subject access export. */
@Singleton
final class SignInExport implements ExportContributor {
  private final RefreshTokenRepository tokens;

  SignInExport(RefreshTokenRepository tokens) {
    this.tokens = tokens;
  }

  @Override
  public String section() {
    return "signIns";
  }

  @Override
  public Object export(String accountId) {
    List<Map<String, Object>> grants =
        tokens.findByAccountId(accountId).stream()
            .map(
                t -> {
                  Map<String, Object> row = new LinkedHashMap<>();
                  row.put("clientId", t.clientId());
                  row.put("scope", t.scope());
                  row.put("signedInAt", t.authTime().toString());
                  row.put("issuedAt", t.createdAt().toString());
                  row.put("expiresAt", t.expiresAt().toString());
                  row.put(
                      "state",
                      t.revokedAt() != null
                          ? "revoked"
                          : t.rotatedAt() != null ? "used" : "active");
                  return row;
                })
            .toList();
    return grants;
  }
}
