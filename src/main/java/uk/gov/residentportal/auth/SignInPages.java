package uk.gov.residentportal.auth;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.views.ModelAndView;
import jakarta.inject.Singleton;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import uk.gov.residentportal.web.CsrfCookie;

/**
 * Renders the sign-in and error pages, and guards the sign-in form with a CSRF token: a random
 * value in an HttpOnly, SameSite=Strict cookie that the form must echo (double submit, OWASP CSRF
 * cheat sheet). Pages get a CSP whose {@code form-action} also allows the client's redirect origin,
 * because browsers apply it to the redirect that follows the form.
 */
@Singleton
final class SignInPages {
  private final CsrfCookie csrf;

  SignInPages(CsrfCookie csrf) {
    this.csrf = csrf;
  }

  /** One message for the whole form (error summary) and optional messages per field. */
  record Errors(String summary, Map<String, String> fields) {
    static Errors none() {
      return new Errors(null, Map.of());
    }
  }

  MutableHttpResponse<?> signIn(
      HttpRequest<?> request,
      AuthorizationRequest authorization,
      HttpStatus status,
      Errors errors,
      String email) {
    Map<String, Object> model = new HashMap<>();
    model.put("email", email == null ? "" : email);
    return page("auth/sign-in", "email", model, request, authorization, status, errors);
  }

  /** The security code page (second factor), after a right password. */
  MutableHttpResponse<?> secondFactor(
      HttpRequest<?> request,
      AuthorizationRequest authorization,
      HttpStatus status,
      Errors errors) {
    return page(
        "auth/second-factor",
        SignInFlow.CODE,
        new HashMap<>(),
        request,
        authorization,
        status,
        errors);
  }

  private MutableHttpResponse<?> page(
      String view,
      String firstField,
      Map<String, Object> model,
      HttpRequest<?> request,
      AuthorizationRequest authorization,
      HttpStatus status,
      Errors errors) {
    String csrfToken = csrf.valueFor(request);
    model.put("clientName", authorization.clientName());
    model.put("hidden", authorization.formParameters());
    model.put("csrfField", CsrfCookie.FIELD);
    model.put("csrfToken", csrfToken);
    model.put("errorSummary", errors.summary());
    model.put("errorFields", errors.fields());
    model.put("errorList", errorList(errors, firstField));
    return HttpResponse.status(status)
        .body(new ModelAndView<>(view, model))
        .cookie(csrf.cookie(csrfToken, "/oauth2/authorize"))
        .header(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
                + "form-action 'self' "
                + origin(authorization.redirectUri())
                + "; frame-ancestors 'none'; base-uri 'none'");
  }

  MutableHttpResponse<?> error(HttpStatus status, String message) {
    return HttpResponse.status(status)
        .body(new ModelAndView<>("auth/error", Map.of("message", message)));
  }

  private static List<Map<String, String>> errorList(Errors errors, String firstField) {
    if (!errors.fields().isEmpty()) {
      return errors.fields().entrySet().stream()
          .map(e -> Map.of("field", e.getKey(), "message", e.getValue()))
          .toList();
    }
    return errors.summary() == null
        ? List.of()
        : List.of(Map.of("field", firstField, "message", errors.summary()));
  }

  private static String origin(String uri) {
    URI parsed = URI.create(uri);
    return parsed.getScheme() + "://" + parsed.getRawAuthority();
  }
}
