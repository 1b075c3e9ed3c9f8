package uk.gov.residentportal.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.Optional;

/**
 * Where the reports client's sign-in lands ({@link ReportsClient}). The {@code state} must be the
 * one in the browser's sign-in cookie (RFC 6749 §10.12: no login CSRF), else a 400 page. The code
 * is discarded on purpose: the sign-in that issued it has just started the browser session the
 * report pages read, and its PKCE verifier was never kept. The browser goes on to the remembered
 * report URL.
 */
@Controller(ReportsClient.CALLBACK)
@Secured(SecurityRule.IS_ANONYMOUS)
@Hidden
class ReportsCallbackPage {
  private final ReportsClient reports;
  private final SignInPages pages;

  ReportsCallbackPage(ReportsClient reports, SignInPages pages) {
    this.reports = reports;
    this.pages = pages;
  }

  @Get
  @Produces(MediaType.TEXT_HTML)
  HttpResponse<?> callback(
      HttpRequest<?> request,
      @Nullable @QueryValue String state,
      @Nullable @QueryValue String error) {
    Optional<String> returnTo = reports.returnTo(request, state);
    if (returnTo.isEmpty()) {
      return pages
          .error(
              HttpStatus.BAD_REQUEST,
              "The sign-in could not be matched to this browser: it may have taken too long."
                  + " Open the report again to sign in.")
          .cookie(reports.clearedCookie());
    }
    if (error != null) {
      return pages
          .error(HttpStatus.BAD_REQUEST, "The sign-in did not finish. Open the report again.")
          .cookie(reports.clearedCookie());
    }
    return HttpResponse.status(HttpStatus.FOUND)
        .header("Location", returnTo.get())
        .cookie(reports.clearedCookie());
  }
}
