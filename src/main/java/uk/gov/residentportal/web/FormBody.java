package uk.gov.residentportal.web;

import com.nimbusds.oauth2.sdk.util.URLUtils;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an {@code application/x-www-form-urlencoded} body ourselves (with Nimbus's parser) instead
 * of letting the framework bind it: badly encoded input then reads as missing fields, answered with
 * the page's own 400, never a 500.
 */
public final class FormBody {
  private FormBody() {}

  /** The first value of each field. */
  public static Map<String, String> fields(String body) {
    Map<String, String> fields = new LinkedHashMap<>();
    URLUtils.parseParameters(body == null ? "" : body)
        .forEach(
            (name, values) -> {
              if (!values.isEmpty()) {
                fields.put(name, values.get(0));
              }
            });
    return fields;
  }

  /** Every value of every field, for callers that must refuse repeated fields. */
  public static Map<String, List<String>> all(String body) {
    return new LinkedHashMap<>(URLUtils.parseParameters(body == null ? "" : body));
  }
}
