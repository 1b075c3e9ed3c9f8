package uk.gov.residentportal.auth;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.views.ModelAndView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import uk.gov.residentportal.web.CsrfCookie;
import uk.gov.residentportal.web.FormBody;

/**
 * The end-session endpoint (OpenID Connect RP-Initiated Logout 1.0): ends the browser session, the
 * grants issued in it, and tells its clients by back-channel logout. A request the resident did not
 * evidently make (no valid {@code id_token_hint}, or one about another resident) is confirmed on a
 * page first, whose form is guarded by the CSRF cookie. A valid hint also ends the session its
 * {@code sid} names, which a client's cross-site POST reaches without our SameSite=Lax cookie.
 */
@Controller("/oauth2/logout")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "OpenID Connect")
@SecurityRequirements
class LogoutEndpoint {
  private static final String PATH = "/oauth2/logout";

  private final LogoutFlow flow;
  private final BrowserSessions sessions;
  private final SignInPages pages;
  private final CsrfCookie csrf;

  LogoutEndpoint(LogoutFlow flow, BrowserSessions sessions, SignInPages pages, CsrfCookie csrf) {
    this.flow = flow;
    this.sessions = sessions;
    this.pages = pages;
    this.csrf = csrf;
  }

  @Get
  @Produces(MediaType.TEXT_HTML)
  @Operation(
      summary = "Sign out (RP-Initiated Logout)",
      description =
          "id_token_hint, client_id, post_logout_redirect_uri (registered for the client) and"
              + " state. With a hint naming the signed-in resident: signs out and redirects to"
              + " post_logout_redirect_uri with state, or shows the signed-out page. Otherwise asks"
              + " the resident to confirm first. A valid hint also ends the session its sid"
              + " names if that is its resident's (a cross-site POST carries no session cookie).")
  @ApiResponse(responseCode = "200", description = "The confirmation or signed-out page")
  @ApiResponse(responseCode = "302", description = "Signed out: back to the client")
  @ApiResponse(
      responseCode = "400",
      description = "Hint not ours, or a redirect URI not registered (error page)")
  @Parameter(
      name = "id_token_hint",
      in = ParameterIn.QUERY,
      description = "An ID token we issued to the client (expired is fine)")
  @Parameter(name = "client_id", in = ParameterIn.QUERY)
  @Parameter(
      name = "post_logout_redirect_uri",
      in = ParameterIn.QUERY,
      description = "Registered for the client, compared exactly")
  @Parameter(
      name = "state",
      in = ParameterIn.QUERY,
      description = "Echoed to post_logout_redirect_uri")
  HttpResponse<?> logout(HttpRequest<?> request) {
    return answer(request, request.getParameters().asMap(), false, null);
  }

  @Post
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.TEXT_HTML)
  @Operation(
      summary = "Sign out by form (RP-Initiated Logout, or the confirmation page's form)",
      description =
          "The parameters of GET as a form. With csrf_token (the confirmation page) the resident"
              + " has confirmed and is signed out.")
  @ApiResponse(responseCode = "200", description = "The confirmation or signed-out page")
  @ApiResponse(responseCode = "302", description = "Signed out: back to the client")
  @ApiResponse(
      responseCode = "400",
      description = "Hint not ours, or a redirect URI not registered (error page)")
  @ApiResponse(responseCode = "403", description = "The confirmation form had expired")
  @RequestBody(
      required = true,
      content =
          @Content(
              mediaType = MediaType.APPLICATION_FORM_URLENCODED,
              schema = @Schema(implementation = LogoutForm.class)))
  HttpResponse<?> logoutByForm(HttpRequest<?> request, @Body String body) {
    Map<String, List<String>> params = FormBody.all(body);
    List<String> token = params.remove(CsrfCookie.FIELD);
    if (token == null) {
      return answer(request, params, false, null);
    }
    boolean confirmed = token.size() == 1 && CsrfCookie.matches(request, token.get(0));
    return answer(
        request, params, confirmed, confirmed ? null : "This page had expired. Try again.");
  }

  private HttpResponse<?> answer(
      HttpRequest<?> request, Map<String, List<String>> params, boolean confirmed, String error) {
    LogoutFlow.Outcome outcome = flow.logout(params, request, confirmed);
    if (outcome instanceof LogoutFlow.Refused refused) {
      return pages.error(HttpStatus.BAD_REQUEST, refused.message());
    }
    if (outcome instanceof LogoutFlow.Confirm confirm) {
      return confirmation(request, confirm, error);
    }
    LogoutFlow.SignedOut out = (LogoutFlow.SignedOut) outcome;
    MutableHttpResponse<?> response =
        out.redirectUri() != null
            ? HttpResponse.status(HttpStatus.FOUND).header("Location", out.redirectUri())
            : HttpResponse.ok(new ModelAndView<>("auth/signed-out", Map.of()));
    return response.cookie(sessions.clearedCookie());
  }

  private MutableHttpResponse<?> confirmation(
      HttpRequest<?> request, LogoutFlow.Confirm confirm, String error) {
    String csrfToken = csrf.valueFor(request);
    Map<String, Object> model = new HashMap<>();
    model.put("clientName", confirm.clientName());
    model.put("hidden", confirm.request().formParameters());
    model.put("csrfField", CsrfCookie.FIELD);
    model.put("csrfToken", csrfToken);
    model.put(
        "errorList",
        error == null ? List.of() : List.of(Map.of("field", "sign-out", "message", error)));
    String redirect = confirm.request().postLogoutRedirectUri();
    // Browsers apply form-action to the redirect that follows the form (as on the sign-in page).
    String formAction = redirect == null ? "'self'" : "'self' " + origin(redirect);
    return HttpResponse.status(error == null ? HttpStatus.OK : HttpStatus.FORBIDDEN)
        .body(new ModelAndView<>("auth/logout-confirm", model))
        .cookie(csrf.cookie(csrfToken, PATH))
        .header(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
                + "form-action "
                + formAction
                + "; frame-ancestors 'none'; base-uri 'none'");
  }

  private static String origin(String uri) {
    URI parsed = URI.create(uri);
    return parsed.getScheme() + "://" + parsed.getRawAuthority();
  }

  /** The form body, for the OpenAPI document only. */
  @Schema(name = "LogoutForm")
  record LogoutForm(
      @Schema(description = "An ID token we issued to the client (expired is fine)")
          String id_token_hint,
      String client_id,
      @Schema(description = "Registered for the client, compared exactly")
          String post_logout_redirect_uri,
      @Schema(description = "Echoed to post_logout_redirect_uri") String state,
      @Schema(description = "Only from the confirmation page") String csrf_token) {}
}
