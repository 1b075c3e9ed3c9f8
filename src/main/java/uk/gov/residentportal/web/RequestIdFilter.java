package uk.gov.residentportal.web;

import io.micronaut.context.propagation.slf4j.MdcPropagationContext;
import io.micronaut.core.order.Ordered;
import io.micronaut.core.propagation.MutablePropagatedContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Takes the caller's {@code X-Request-ID} (or makes one), puts it in every log line of the request
 * (MDC key {@code requestId}) and echoes it in the response.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
final class RequestIdFilter implements Ordered {
  public static final String HEADER = "X-Request-ID";
  private static final String ATTRIBUTE = "portal.requestId";
  // Only plain tokens are echoed and logged: no header or log injection through this value.
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  @RequestFilter
  void take(HttpRequest<?> request, MutablePropagatedContext context) {
    String given = request.getHeaders().get(HEADER);
    String id =
        given != null && SAFE.matcher(given).matches() ? given : UUID.randomUUID().toString();
    request.setAttribute(ATTRIBUTE, id);
    context.add(new MdcPropagationContext(Map.of("requestId", id)));
  }

  @ResponseFilter
  void echo(HttpRequest<?> request, MutableHttpResponse<?> response) {
    response.header(HEADER, requestId(request));
  }

  /** The id of this request, as echoed to the caller. */
  public static String requestId(HttpRequest<?> request) {
    return request.getAttribute(ATTRIBUTE, String.class).orElse(null);
  }

  @Override
  public int getOrder() {
    return ServerFilterPhase.FIRST.order();
  }
}
