package uk.gov.residentportal.account;

import io.micronaut.core.annotation.Nullable;
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
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.views.ModelAndView;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.HashMap;
import java.util.Map;
import uk.gov.residentportal.web.CsrfCookie;
import uk.gov.residentportal.web.FormBody;
import uk.gov.residentportal.web.ProblemException;

/**
 * The pages the links in our emails open: confirm an email address, ask for and complete a password
 * reset. Server-rendered, usable without JavaScript; the work is done by {@link AccountService},
 * exactly as through the JSON API. A GET never uses a token: mail scanners follow links.
 */
@Controller("/account")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Produces(MediaType.TEXT_HTML)
@Hidden
class AccountPages {
  private static final String PATH = "/account";

  private final AccountService accounts;
  private final CsrfCookie csrf;

  AccountPages(AccountService accounts, CsrfCookie csrf) {
    this.accounts = accounts;
    this.csrf = csrf;
  }

  @Get("/verify-email")
  HttpResponse<?> verifyForm(HttpRequest<?> request, @Nullable @QueryValue String token) {
    return form(request, HttpStatus.OK, "account/verify-email", token, null);
  }

  @Post("/verify-email")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  HttpResponse<?> verify(HttpRequest<?> request, @Body String body) {
    Map<String, String> form = FormBody.fields(body);
    if (!CsrfCookie.matches(request, form.get(CsrfCookie.FIELD))) {
      return form(
          request, HttpStatus.FORBIDDEN, "account/verify-email", form.get("token"), EXPIRED);
    }
    String token = form.getOrDefault("token", "");
    String password = form.getOrDefault("password", "");
    if (password.isEmpty()) {
      return form(
          request, HttpStatus.BAD_REQUEST, "account/verify-email", token, "Enter your password");
    }
    try {
      accounts.verifyEmail(token, password);
    } catch (ProblemException.InvalidToken e) {
      return message(HttpStatus.BAD_REQUEST, "This link has expired", LINK_EXPIRED_VERIFY);
    } catch (ProblemException.InvalidField e) {
      return form(
          request,
          HttpStatus.BAD_REQUEST,
          "account/verify-email",
          token,
          "Enter the password you chose when you created the account");
    }
    return message(
        HttpStatus.OK,
        "Email address confirmed",
        "Your council account is ready. You can now sign in to council services.");
  }

  @Get("/reset-password")
  HttpResponse<?> resetForm(HttpRequest<?> request, @Nullable @QueryValue String token) {
    return token == null
        ? form(request, HttpStatus.OK, "account/reset-request", null, null)
        : form(request, HttpStatus.OK, "account/reset-new-password", token, null);
  }

  @Post("/reset-password")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  HttpResponse<?> requestReset(HttpRequest<?> request, @Body String body) {
    Map<String, String> form = FormBody.fields(body);
    if (!CsrfCookie.matches(request, form.get(CsrfCookie.FIELD))) {
      return form(request, HttpStatus.FORBIDDEN, "account/reset-request", null, EXPIRED);
    }
    String email = form.getOrDefault("email", "").strip();
    if (email.isEmpty() || email.length() > 254 || !email.contains("@")) {
      return form(
          request,
          HttpStatus.BAD_REQUEST,
          "account/reset-request",
          null,
          "Enter an email address in the correct format, like name@example.com");
    }
    accounts.requestPasswordReset(email);
    return message(
        HttpStatus.OK,
        "Check your email",
        "If an account uses that address, we have sent it a link to reset the password. The link"
            + " works for 30 minutes.");
  }

  @Post("/reset-password/confirm")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  HttpResponse<?> confirmReset(HttpRequest<?> request, @Body String body) {
    Map<String, String> form = FormBody.fields(body);
    String token = form.getOrDefault("token", "");
    if (!CsrfCookie.matches(request, form.get(CsrfCookie.FIELD))) {
      return form(request, HttpStatus.FORBIDDEN, "account/reset-new-password", token, EXPIRED);
    }
    String password = form.getOrDefault("newPassword", "");
    if (password.isEmpty()) {
      return form(
          request,
          HttpStatus.BAD_REQUEST,
          "account/reset-new-password",
          token,
          "Enter a new password");
    }
    try {
      accounts.confirmPasswordReset(token, password);
    } catch (ProblemException.InvalidToken e) {
      return message(HttpStatus.BAD_REQUEST, "This link has expired", LINK_EXPIRED_RESET);
    } catch (ProblemException.InvalidField e) {
      return form(
          request,
          HttpStatus.BAD_REQUEST,
          "account/reset-new-password",
          token,
          "Your new password " + e.getMessage());
    }
    return message(
        HttpStatus.OK,
        "Password changed",
        "Your password has been changed and you have been signed out everywhere. Sign in again with"
            + " your new password.");
  }

  private static final String EXPIRED = "This page had expired. Try again.";
  private static final String LINK_EXPIRED_VERIFY =
      "The link has expired or has already been used. Sign up again with the same email address to"
          + " get a new link.";
  private static final String LINK_EXPIRED_RESET =
      "The link has expired or has already been used. Ask for a new one from the sign-in page.";

  private MutableHttpResponse<?> form(
      HttpRequest<?> request,
      HttpStatus status,
      String view,
      @Nullable String token,
      @Nullable String error) {
    String csrfToken = csrf.valueFor(request);
    Map<String, Object> model = new HashMap<>();
    model.put("token", token == null ? "" : token);
    model.put("csrfToken", csrfToken);
    model.put("error", error);
    return HttpResponse.status(status)
        .body(new ModelAndView<>(view, model))
        .cookie(csrf.cookie(csrfToken, PATH));
  }

  private static MutableHttpResponse<?> message(HttpStatus status, String title, String text) {
    return HttpResponse.status(status)
        .body(new ModelAndView<>("account/message", Map.of("title", title, "text", text)));
  }
}
