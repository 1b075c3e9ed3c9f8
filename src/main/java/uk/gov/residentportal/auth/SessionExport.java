package uk.gov.residentportal.auth;

import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import uk.gov.residentportal.account.ExportContributor;

/** The resident's browser sessions for the subject access export (never the cookie's hash). */
@Singleton
final class SessionExport implements ExportContributor {
  private final BrowserSessions sessions;

  SessionExport(BrowserSessions sessions) {
    this.sessions = sessions;
  }

  @Override
  public String section() {
    return "browserSessions";
  }

  @Override
  public Object export(String accountId) {
    List<Map<String, Object>> rows =
        sessions.all(accountId).stream()
            .map(
                s -> {
                  Map<String, Object> row = new LinkedHashMap<>();
                  row.put("id", s.id());
                  row.put("device", s.device());
                  row.put("signedInAt", s.authTime().toString());
                  row.put("lastSeenAt", s.lastSeenAt().toString());
                  row.put("expiresAt", s.expiresAt().toString());
                  if (s.endedAt() != null) {
                    row.put("endedAt", s.endedAt().toString());
                  }
                  row.put("services", sessions.clientIds(s.id()));
                  return row;
                })
            .toList();
    return rows;
  }
}
