package uk.gov.residentportal.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import uk.gov.residentportal.support.Outbox;
import uk.gov.residentportal.support.Portal;

/** Steps of the account journeys that several tests share, over HTTP like a resident. */
final class AccountSteps {
  static final String ANOTHER_PASSWORD = "violet tractor quietly umbrella 93";

  private final Portal portal;

  AccountSteps(Portal portal) {
    this.portal = portal;
  }

  Portal.Response signUp(SignUpRequest request) {
    return portal.json("POST", "/api/v1/accounts", request.json(), null);
  }

  Portal.Response post(String path, Map<String, ?> body) {
    return portal.json("POST", path, SignUpRequest.json(body), null);
  }

  Portal.Response verifyEmail(String token) {
    return post("/api/v1/accounts/email-verification", Map.of("token", token));
  }

  Portal.Response requestPasswordReset(String email) {
    return post("/api/v1/accounts/password-reset", Map.of("email", email));
  }

  Portal.Response confirmPasswordReset(String token, String newPassword) {
    return post(
        "/api/v1/accounts/password-reset/confirm",
        Map.of("token", token, "newPassword", newPassword));
  }

  /** Signs up with the request and verifies through the emailed link; returns the account id. */
  String signUpAndVerify(SignUpRequest request) {
    Portal.Response signUp = signUp(request);
    assertThat(signUp.status()).as("sign-up: %s", signUp.body()).isEqualTo(201);
    Portal.Response verified = verifyEmail(portal.outbox().latest(request.email()).token());
    assertThat(verified.status()).as("verification: %s", verified.body()).isEqualTo(204);
    return (String) signUp.json().get("id");
  }

  /** Submits the real sign-in form: 302 signed in, 401 refused, 403 not verified. */
  Portal.Response submitSignIn(String email, String password) {
    CodeVerifier verifier = new CodeVerifier();
    Portal.SignInPage page =
        portal.openSignIn(portal.authorizeParams(verifier, "st", "nonce"), verifier);
    return portal.submitSignIn(page, email, password);
  }

  /** Signs in with this password through the browser flow and returns the tokens. */
  Portal.Tokens signIn(String email, String password) {
    CodeVerifier verifier = new CodeVerifier();
    Portal.SignInPage page =
        portal.openSignIn(portal.authorizeParams(verifier, "st", "nonce"), verifier);
    Portal.Response redirect = portal.submitSignIn(page, email, password);
    assertThat(redirect.status()).as("sign-in: %s", redirect.body()).isEqualTo(302);
    Portal.Response tokens = portal.exchange(Portal.redirectParams(redirect).get("code"), verifier);
    assertThat(tokens.status()).as("token exchange: %s", tokens.body()).isEqualTo(200);
    Map<String, Object> json = tokens.json();
    return new Portal.Tokens(
        (String) json.get("access_token"),
        (String) json.get("refresh_token"),
        (String) json.get("id_token"),
        (String) json.get("scope"));
  }

  /** The one email that {@code action} sends to the address (robust to equal file times). */
  Outbox.Email newEmailTo(String address, Runnable action) {
    List<Outbox.Email> before = portal.outbox().to(address);
    action.run();
    List<Outbox.Email> after = new ArrayList<>(portal.outbox().to(address));
    after.removeAll(before);
    assertThat(after).as("new emails to the address").hasSize(1);
    return after.get(0);
  }

  int emailsTo(String address) {
    return portal.outbox().to(address).size();
  }
}
