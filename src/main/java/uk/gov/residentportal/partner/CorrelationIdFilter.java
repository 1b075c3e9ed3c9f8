package uk.gov.residentportal.partner;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import java.util.regex.Pattern;

/**
 * Echoes a partner's {@code X-Correlation-ID} (the id of the partner's own transaction, which may
 * span several of our requests) on every answer of the partner API, errors included. Only plain
 * tokens are echoed: no header injection through it.
 */
@ServerFilter({"/api/v1/partner/**", "/fhir/**"})
final class CorrelationIdFilter implements Ordered {
  static final String HEADER = "X-Correlation-ID";
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  @ResponseFilter
  void echo(HttpRequest<?> request, MutableHttpResponse<?> response) {
    String given = request.getHeaders().get(HEADER);
    if (given != null && SAFE.matcher(given).matches()) {
      response.header(HEADER, given);
    }
  }

  /** Early, so that answers the security filter gives (401, 403) carry it too. */
  @Override
  public int getOrder() {
    return ServerFilterPhase.FIRST.after();
  }
}
