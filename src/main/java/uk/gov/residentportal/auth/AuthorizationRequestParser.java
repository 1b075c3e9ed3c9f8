package uk.gov.residentportal.auth;

import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks an authorization request in the order that keeps it safe (RFC 9700 section 4.1, and GOV.UK
 * One Login's authorize validator): first the client and its exact redirect URI, answering any
 * problem there with an error page and never a redirect; only then the rest, whose errors go back
 * to the client's redirect URI with {@code state}.
 */
@Singleton
final class AuthorizationRequestParser {
  // RFC 7636 section 4.2: BASE64URL(SHA256(verifier)) is 43 characters.
  private static final Pattern S256_CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
  private static final int MAX_STATE = 512;
  // OIDC Core 3.1.2.1; consent and select_account ask for nothing we would show anyway (one
  // account per browser, no third-party consent screen).
  private static final Set<String> PROMPTS = Set.of("none", "login", "consent", "select_account");
  private static final Pattern MAX_AGE = Pattern.compile("[0-9]{1,9}");

  private final ClientService clients;

  AuthorizationRequestParser(ClientService clients) {
    this.clients = clients;
  }

  /** The outcome: a request to show the sign-in page for, or one of the two kinds of error. */
  sealed interface Result {}

  /**
   * A request to answer: {@code prompt} holds the OIDC prompt values asked for (empty if none),
   * {@code maxAge} the seconds a sign-in may be old to count (OIDC Core 3.1.2.1), if given.
   */
  record Valid(AuthorizationRequest request, Set<String> prompt, @Nullable Long maxAge)
      implements Result {
    boolean promptNone() {
      return prompt.contains("none");
    }

    boolean promptLogin() {
      return prompt.contains("login");
    }
  }

  /** Client or redirect URI unknown: show an error page, never redirect (no open redirect). */
  record ShowError(String message) implements Result {}

  /** A problem the client should hear about at its (verified) redirect URI. */
  record RedirectError(String redirectUri, ErrorObject error, @Nullable String state)
      implements Result {}

  Result parse(Map<String, List<String>> params) {
    String clientId = single(params, "client_id");
    String redirectUri = single(params, "redirect_uri");
    if (clientId == null || clientId.isEmpty()) {
      return new ShowError("The service that sent you here did not say who it is (client_id).");
    }
    Client client = clients.findActive(clientId).orElse(null);
    // Confidential clients sign residents in too, and still send PKCE S256: RFC 9700 section
    // 2.1.1 recommends it for every client, as it stops code injection that a client secret alone
    // does not.
    if (client == null || !client.clientType().signsInResidents()) {
      return new ShowError("The service that sent you here is not registered with us.");
    }
    if (redirectUri == null || !client.redirectUriList().contains(redirectUri)) {
      return new ShowError(
          "The service that sent you here gave an address to return to that is not registered.");
    }
    String state = single(params, "state");
    if (state != null && state.length() > MAX_STATE) {
      return new RedirectError(redirectUri, invalidRequest("state is too long"), null);
    }
    for (Map.Entry<String, List<String>> param : params.entrySet()) {
      if (param.getValue().size() > 1) {
        // RFC 6749 section 3.1: parameters must not be repeated.
        return new RedirectError(
            redirectUri, invalidRequest(param.getKey() + " is repeated"), state);
      }
    }
    if (params.containsKey("request") || params.containsKey("request_uri")) {
      return new RedirectError(
          redirectUri,
          new ErrorObject("request_not_supported", "Request objects are not supported"),
          state);
    }
    String responseType = single(params, "response_type");
    if (responseType == null) {
      return new RedirectError(redirectUri, invalidRequest("response_type is required"), state);
    }
    if (!"code".equals(responseType)) {
      return new RedirectError(
          redirectUri,
          OAuth2Error.UNSUPPORTED_RESPONSE_TYPE.setDescription("Only response_type=code"),
          state);
    }
    String challenge = single(params, "code_challenge");
    if (challenge == null) {
      return new RedirectError(
          redirectUri, invalidRequest("code_challenge is required (PKCE)"), state);
    }
    if (!"S256".equals(single(params, "code_challenge_method"))) {
      return new RedirectError(
          redirectUri, invalidRequest("code_challenge_method must be S256"), state);
    }
    if (!S256_CHALLENGE.matcher(challenge).matches()) {
      return new RedirectError(redirectUri, invalidRequest("code_challenge is malformed"), state);
    }
    String scope = single(params, "scope");
    Set<String> scopes =
        new LinkedHashSet<>(
            scope == null || scope.isBlank()
                ? List.of("openid")
                : List.of(scope.trim().split(" +")));
    if (!new HashSet<>(client.scopeList()).containsAll(scopes)) {
      return new RedirectError(
          redirectUri,
          OAuth2Error.INVALID_SCOPE.setDescription("A requested scope is not allowed"),
          state);
    }
    String nonce = single(params, "nonce");
    if (nonce != null && nonce.length() > MAX_STATE) {
      return new RedirectError(redirectUri, invalidRequest("nonce is too long"), state);
    }
    String promptParam = single(params, "prompt");
    Set<String> prompt =
        promptParam == null || promptParam.isBlank()
            ? Set.of()
            : Set.copyOf(List.of(promptParam.trim().split(" +")));
    if (!PROMPTS.containsAll(prompt)) {
      return new RedirectError(redirectUri, invalidRequest("prompt has an unknown value"), state);
    }
    if (prompt.contains("none") && prompt.size() > 1) {
      // OIDC Core 3.1.2.1: none with any other value is an error.
      return new RedirectError(
          redirectUri, invalidRequest("prompt=none cannot be combined with other values"), state);
    }
    String maxAgeParam = single(params, "max_age");
    Long maxAge = null;
    if (maxAgeParam != null) {
      if (!MAX_AGE.matcher(maxAgeParam).matches()) {
        return new RedirectError(
            redirectUri, invalidRequest("max_age must be a number of seconds"), state);
      }
      maxAge = Long.valueOf(maxAgeParam);
    }
    return new Valid(
        new AuthorizationRequest(
            client.clientId(),
            client.name(),
            redirectUri,
            String.join(" ", scopes),
            state,
            nonce,
            challenge),
        prompt,
        maxAge);
  }

  private static ErrorObject invalidRequest(String description) {
    return OAuth2Error.INVALID_REQUEST.setDescription(description);
  }

  private static String single(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
