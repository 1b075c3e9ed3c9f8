package uk.gov.residentportal.records;

import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import uk.gov.residentportal.account.ExportContributor;

/**
 * The resident's links to council records for the subject access export: the full reference of each
 * subject (the resident's own data, proved by them), how and when it was linked.
 */
@Singleton
final class RecordsExport implements ExportContributor {
  private final Linking linking;

  RecordsExport(Linking linking) {
    this.linking = linking;
  }

  @Override
  public String section() {
    return "recordLinks";
  }

  @Override
  public Object export(String accountId) {
    List<Map<String, Object>> rows =
        linking.export(accountId).stream()
            .map(
                l -> {
                  Map<String, Object> row = new LinkedHashMap<>();
                  row.put("id", l.id());
                  row.put("subjectType", l.subjectType().name());
                  row.put("subjectRef", l.subjectRef());
                  row.put("method", l.method().name());
                  row.put("linkedAt", l.linkedAt().toString());
                  return row;
                })
            .toList();
    return rows;
  }
}
