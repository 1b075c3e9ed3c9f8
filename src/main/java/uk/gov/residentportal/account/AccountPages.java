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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import uk.gov.residentportal.web.CsrfCookie;
import uk.gov.residentportal.web.FormBody;
import uk.gov.residentportal.web.ProblemException;

/**
 * The account pages: sign up, and those the links in our emails open (confirm an email address, ask
 * for and complete a password reset). Server-rendered with GOV.UK Frontend, usable without
 * JavaScript; the work is done by {@link AccountService}, exactly as through the JSON API. A GET
 * never uses a token: mail scanners follow links.
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

  @Get("/sign-up")
  HttpResponse<?> signUpForm(HttpRequest<?> request) {
    return form(request, HttpStatus.OK, SIGN_UP, null, Map.of(), Map.of());
  }

  /**
   * The sign-up form. Every invalid field is reported at once and what was typed is kept (never the
   * password); a valid form always ends on "Check your email", whether or not the address already
   * has an account: the same no-enumeration answer as {@code POST /api/v1/accounts}.
   */
  @Post("/sign-up")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  HttpResponse<?> signUp(HttpRequest<?> request, @Body String body) {
    Map<String, String> form = FormBody.fields(body);
    Map<String, String> typed = new LinkedHashMap<>();
    for (String field : List.of("givenName", "familyName", "email")) {
      typed.put(field, form.getOrDefault(field, ""));
    }
    if (!CsrfCookie.matches(request, form.get(CsrfCookie.FIELD))) {
      return expired(request, SIGN_UP, null, typed, "givenName");
    }
    AccountBodies.SignUp signUp =
        new AccountBodies.SignUp(
            typed.get("email"),
            form.getOrDefault("password", ""),
            typed.get("givenName"),
            typed.get("familyName"),
            null,
            null);
    Map<String, String> problems = accounts.signUpProblems(signUp);
    if (problems.isEmpty()) {
      try {
        accounts.signUp(signUp);
      } catch (ProblemException.InvalidField e) {
        e.errors().forEach(f -> problems.put(f.field(), f.message()));
      }
    }
    if (!problems.isEmpty()) {
      Map<String, String> messages = new LinkedHashMap<>();
      problems.forEach((field, problem) -> messages.put(field, signUpMessage(field, problem)));
      return form(request, HttpStatus.BAD_REQUEST, SIGN_UP, null, typed, messages);
    }
    return message(
        HttpStatus.OK,
        "Check your email",
        "We have sent an email to "
            + typed.get("email").strip()
            + ". Follow the link in it to confirm your address and finish creating your account.");
  }

  /** GOV.UK error messages (Design System, "Error message") from the rules' messages. */
  private static String signUpMessage(String field, String problem) {
    boolean missing = "is required".equals(problem);
    return switch (field) {
      case "givenName" -> missing ? "Enter your first name" : "First name " + problem;
      case "familyName" -> missing ? "Enter your last name" : "Last name " + problem;
      case "email" ->
          missing
              ? "Enter your email address"
              : "must be an email address".equals(problem)
                  ? EMAIL_FORMAT
                  : "Email address " + problem;
      case "password" -> missing ? "Enter a password" : "Your password " + problem;
      default -> problem;
    };
  }

  @Get("/verify-email")
  HttpResponse<?> verifyForm(HttpRequest<?> request, @Nullable @QueryValue String token) {
    return form(request, HttpStatus.OK, VERIFY, token, Map.of(), Map.of());
  }

  @Post("/verify-email")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  HttpResponse<?> verify(HttpRequest<?> request, @Body String body) {
    Map<String, String> form = FormBody.fields(body);
    if (!CsrfCookie.matches(request, form.get(CsrfCookie.FIELD))) {
      return expired(request, VERIFY, form.get("token"), Map.of(), "password");
    }
    String token = form.getOrDefault("token", "");
    String password = form.getOrDefault("password", "");
    if (password.isEmpty()) {
      return form(
          request,
          HttpStatus.BAD_REQUEST,
          VERIFY,
          token,
          Map.of(),
          Map.of("password", "Enter your password"));
    }
    try {
      accounts.verifyEmail(token, password);
    } catch (ProblemException.InvalidToken e) {
      return message(HttpStatus.BAD_REQUEST, "This link has expired", LINK_EXPIRED_VERIFY);
    } catch (ProblemException.InvalidField e) {
      return form(
          request,
          HttpStatus.BAD_REQUEST,
          VERIFY,
          token,
          Map.of(),
          Map.of("password", "Enter the password you chose when you created the account"));
    }
    return message(
        HttpStatus.OK,
        "Email address confirmed",
        "Your council account is ready. You can now sign in to council services.");
  }

  @Get("/reset-password")
  HttpResponse<?> resetForm(HttpRequest<?> request, @Nullable @QueryValue String token) {
    return token == null
        ? form(request, HttpStatus.OK, RESET_REQUEST, null, Map.of(), Map.of())
        : form(request, HttpStatus.OK, RESET_NEW_PASSWORD, token, Map.of(), Map.of());
  }

  @Post("/reset-password")
  @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
  HttpResponse<?> requestReset(HttpRequest<?> request, @Body String body) {
    Map<String, String> form = FormBody.fields(body);
    Map<String, String> typed = Map.of("email", form.getOrDefault("email", ""));
    if (!CsrfCookie.matches(request, form.get(CsrfCookie.FIELD))) {
      return expired(request, RESET_REQUEST, null, typed, "email");
    }
    String email = typed.get("email").strip();
    if (email.isEmpty() || email.length() > 254 || !email.contains("@")) {
      return form(
          request,
          HttpStatus.BAD_REQUEST,
          RESET_REQUEST,
          null,
          typed,
          Map.of("email", EMAIL_FORMAT));
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
      return expired(request, RESET_NEW_PASSWORD, token, Map.of(), "newPassword");
    }
    String password = form.getOrDefault("newPassword", "");
    if (password.isEmpty()) {
      return form(
          request,
          HttpStatus.BAD_REQUEST,
          RESET_NEW_PASSWORD,
          token,
          Map.of(),
          Map.of("newPassword", "Enter a new password"));
    }
    try {
      accounts.confirmPasswordReset(token, password);
    } catch (ProblemException.InvalidToken e) {
      return message(HttpStatus.BAD_REQUEST, "This link has expired", LINK_EXPIRED_RESET);
    } catch (ProblemException.InvalidField e) {
      return form(
          request,
          HttpStatus.BAD_REQUEST,
          RESET_NEW_PASSWORD,
          token,
          Map.of(),
          Map.of("newPassword", "Your new password " + e.getMessage()));
    }
    return message(
        HttpStatus.OK,
        "Password changed",
        "Your password has been changed and you have been signed out everywhere. Sign in again with"
            + " your new password.");
  }

  private static final String SIGN_UP = "account/sign-up";
  private static final String VERIFY = "account/verify-email";
  private static final String RESET_REQUEST = "account/reset-request";
  private static final String RESET_NEW_PASSWORD = "account/reset-new-password";
  private static final String EXPIRED = "This page had expired. Try again.";
  private static final String EMAIL_FORMAT =
      "Enter an email address in the correct format, like name@example.com";
  private static final String LINK_EXPIRED_VERIFY =
      "The link has expired or has already been used. Sign up again with the same email address to"
          + " get a new link.";
  private static final String LINK_EXPIRED_RESET =
      "The link has expired or has already been used. Ask for a new one from the sign-in page.";

  /** A form that failed its CSRF check: one message in the summary, none on the fields. */
  private MutableHttpResponse<?> expired(
      HttpRequest<?> request,
      String view,
      @Nullable String token,
      Map<String, String> typed,
      String firstField) {
    return render(
        request,
        HttpStatus.FORBIDDEN,
        view,
        token,
        typed,
        List.of(Map.of("field", firstField, "message", EXPIRED)),
        Map.of());
  }

  /** A form, with a message on each field in {@code errors} and all of them in the summary. */
  private MutableHttpResponse<?> form(
      HttpRequest<?> request,
      HttpStatus status,
      String view,
      @Nullable String token,
      Map<String, String> typed,
      Map<String, String> errors) {
    List<Map<String, String>> summary =
        errors.entrySet().stream()
            .map(e -> Map.of("field", e.getKey(), "message", e.getValue()))
            .toList();
    return render(request, status, view, token, typed, summary, errors);
  }

  private MutableHttpResponse<?> render(
      HttpRequest<?> request,
      HttpStatus status,
      String view,
      @Nullable String token,
      Map<String, String> typed,
      List<Map<String, String>> summary,
      Map<String, String> fieldErrors) {
    String csrfToken = csrf.valueFor(request);
    Map<String, Object> model = new HashMap<>();
    model.put("token", token == null ? "" : token);
    model.put("csrfToken", csrfToken);
    model.put("fields", typed);
    model.put("errors", summary);
    model.put("errorFields", fieldErrors);
    model.put("passwordHint", PasswordPolicy.HINT);
    return HttpResponse.status(status)
        .body(new ModelAndView<>(view, model))
        .cookie(csrf.cookie(csrfToken, PATH));
  }

  private static MutableHttpResponse<?> message(HttpStatus status, String title, String text) {
    return HttpResponse.status(status)
        .body(new ModelAndView<>("account/message", Map.of("title", title, "text", text)));
  }
}
