package uk.gov.residentportal.auth;

import com.nimbusds.openid.connect.sdk.OIDCError;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
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
import io.micronaut.http.uri.UriBuilder;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import uk.gov.residentportal.shared.PortalUrls;
import uk.gov.residentportal.web.CsrfCookie;
import uk.gov.residentportal.web.FormBody;

/**
 * The authorization endpoint (RFC 6749 section 3.1, OIDC Core 3.1.2): GET shows the sign-in page
 * for a valid request, POST takes the form and sends the browser back with a code.
 */
@Controller("/oauth2/authorize")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "OpenID Connect")
@SecurityRequirements
class AuthorizeEndpoint {
  private static final String EMAIL = SignInFlow.EMAIL;
  private static final String PASSWORD = SignInFlow.PASSWORD;

  private final AuthorizationRequestParser parser;
  private final SignInPages pages;
  private final SignInFlow signIn;
  private final PortalUrls urls;
  private final SourceAddress sourceAddress;
  private final SignInChallenges challenges;

  AuthorizeEndpoint(
      AuthorizationRequestParser parser,
      SignInPages pages,
      SignInFlow signIn,
      PortalUrls urls,
      SourceAddress sourceAddress,
      SignInChallenges challenges) {
    this.parser = parser;
    this.pages = pages;
    this.signIn = signIn;
    this.urls = urls;
    this.sourceAddress = sourceAddress;
    this.challenges = challenges;
  }

  @Get
  @Produces(MediaType.TEXT_HTML)
  @Operation(
      summary = "Authorization request",
      description =
          "response_type=code with PKCE S256. With a browser session (single sign-on) redirects"
              + " straight back with a code unless prompt=login or max_age asks for a fresh"
              + " sign-in; otherwise shows the sign-in page (prompt=none: login_required). Errors"
              + " about the client or redirect_uri show an error page, other errors redirect with"
              + " error and state.")
  @ApiResponse(responseCode = "200", description = "The sign-in page")
  @ApiResponse(
      responseCode = "302",
      description = "Back to the client with a code (single sign-on) or an error")
  @ApiResponse(responseCode = "400", description = "Unknown client or redirect URI (error page)")
  HttpResponse<?> show(HttpRequest<?> request) {
    Map<String, List<String>> params = request.getParameters().asMap();
    AuthorizationRequestParser.Result parsed = parser.parse(params);
    if (parsed instanceof AuthorizationRequestParser.ShowError e) {
      return pages.error(HttpStatus.BAD_REQUEST, e.message());
    }
    if (parsed instanceof AuthorizationRequestParser.RedirectError e) {
      return redirectError(e);
    }
    AuthorizationRequestParser.Valid valid = (AuthorizationRequestParser.Valid) parsed;
    SignInFlow.Outcome outcome = signIn.resume(valid, request);
    if (outcome instanceof SignInFlow.CodeIssued issued) {
      return codeRedirect(valid.request(), issued);
    }
    if (outcome instanceof SignInFlow.LoginRequired) {
      return redirectError(
          new AuthorizationRequestParser.RedirectError(
              valid.request().redirectUri(), OIDCError.LOGIN_REQUIRED, valid.request().state()));
    }
    return pages.signIn(request, valid.request(), HttpStatus.OK, SignInPages.Errors.none(), null);
  }

  @Post
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  @Produces(MediaType.TEXT_HTML)
  @Operation(
      summary = "Sign-in form",
      description =
          "email, password and csrf_token plus the authorization request; for an account with an"
              + " authenticator app, the security code page follows and posts code (with the"
              + " challenge cookie) instead of email and password. On success 302 to"
              + " redirect_uri with code, state and iss, and a new browser session cookie.")
  @ApiResponse(
      responseCode = "200",
      description = "The password was right: the security code page (second factor)")
  @ApiResponse(responseCode = "302", description = "Signed in: back to the client with a code")
  @ApiResponse(responseCode = "400", description = "A field is missing (the page again)")
  @ApiResponse(responseCode = "401", description = "Wrong email or password (the page again)")
  @ApiResponse(responseCode = "403", description = "Expired form or email not verified")
  @ApiResponse(
      responseCode = "429",
      description =
          "Too many failed attempts for the account or from the address (the page again, with"
              + " Retry-After); the password was not checked")
  @io.swagger.v3.oas.annotations.parameters.RequestBody(
      required = true,
      content =
          @io.swagger.v3.oas.annotations.media.Content(
              mediaType = MediaType.APPLICATION_FORM_URLENCODED,
              schema =
                  @io.swagger.v3.oas.annotations.media.Schema(
                      implementation = FormSchemas.SignInForm.class)))
  HttpResponse<?> signIn(HttpRequest<?> request, @Body String body) {
    // Parsed here rather than bound by the framework: badly encoded input is a 400, not a 500,
    // and repeated fields stay visible to the parser.
    Map<String, List<String>> params = FormBody.all(body);
    Map<String, String> form = new LinkedHashMap<>();
    for (String field : List.of(EMAIL, PASSWORD, SignInFlow.CODE, CsrfCookie.FIELD)) {
      List<String> values = params.remove(field);
      if (values != null && !values.isEmpty()) {
        form.put(field, values.get(0));
      }
    }
    AuthorizationRequestParser.Result parsed = parser.parse(params);
    if (parsed instanceof AuthorizationRequestParser.ShowError e) {
      return pages.error(HttpStatus.BAD_REQUEST, e.message());
    }
    if (parsed instanceof AuthorizationRequestParser.RedirectError e) {
      return redirectError(e);
    }
    AuthorizationRequest authorization = ((AuthorizationRequestParser.Valid) parsed).request();
    String email = form.get(EMAIL) == null ? "" : form.get(EMAIL).strip();
    String password = form.get(PASSWORD) == null ? "" : form.get(PASSWORD);
    if (!CsrfCookie.matches(request, form.get(CsrfCookie.FIELD))) {
      return pages.signIn(
          request,
          authorization,
          HttpStatus.FORBIDDEN,
          new SignInPages.Errors("This page had expired. Sign in again.", Map.of()),
          email);
    }
    // The security code page posts a code and no password: the second step of a sign-in.
    boolean codeStep = form.containsKey(SignInFlow.CODE) && !form.containsKey(PASSWORD);
    SignInFlow.Outcome outcome =
        codeStep
            ? signIn.secondFactor(
                authorization,
                form.get(SignInFlow.CODE).strip(),
                sourceAddress.of(request),
                request)
            : signIn.signIn(authorization, email, password, sourceAddress.of(request), request);
    if (outcome instanceof SignInFlow.CodeIssued issued) {
      MutableHttpResponse<?> response = codeRedirect(authorization, issued);
      return codeStep ? response.cookie(challenges.cleared()) : response;
    }
    if (outcome instanceof SignInFlow.SecondFactorRequired required) {
      MutableHttpResponse<?> page =
          pages.secondFactor(request, authorization, required.status(), required.errors());
      return required.challengeCookie() == null ? page : page.cookie(required.challengeCookie());
    }
    if (outcome instanceof SignInFlow.Throttled throttled) {
      return pages
          .signIn(request, authorization, HttpStatus.TOO_MANY_REQUESTS, throttled.errors(), email)
          .header(HttpHeaders.RETRY_AFTER, String.valueOf(throttled.retryAfterSeconds()));
    }
    SignInFlow.Refused refused = (SignInFlow.Refused) outcome;
    return pages.signIn(request, authorization, refused.status(), refused.errors(), email);
  }

  /** RFC 6749 section 4.1.2 with RFC 9207's iss; sets the new session cookie after a sign-in. */
  private MutableHttpResponse<?> codeRedirect(
      AuthorizationRequest authorization, SignInFlow.CodeIssued issued) {
    MutableHttpResponse<?> response =
        redirect(
            UriBuilder.of(authorization.redirectUri())
                .queryParam("code", issued.code())
                .queryParam("state", authorization.state())
                .queryParam("iss", urls.issuer())
                .toString());
    if (issued.sessionCookie() != null) {
      response.cookie(issued.sessionCookie());
    }
    return response;
  }

  private HttpResponse<?> redirectError(AuthorizationRequestParser.RedirectError e) {
    UriBuilder uri = UriBuilder.of(e.redirectUri()).queryParam("error", e.error().getCode());
    if (e.error().getDescription() != null) {
      uri.queryParam("error_description", e.error().getDescription());
    }
    return redirect(uri.queryParam("state", e.state()).queryParam("iss", urls.issuer()).toString());
  }

  private static MutableHttpResponse<?> redirect(@Nullable String location) {
    return HttpResponse.status(HttpStatus.FOUND).header("Location", location);
  }
}
