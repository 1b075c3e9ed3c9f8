package uk.gov.residentportal.auth;

import java.util.Set;
import java.util.function.BiConsumer;
import uk.gov.residentportal.account.AccountClaims;

/** OIDC Core section 5.4: which standard claims each scope releases (ID token and userinfo). */
final class UserClaims {
  private UserClaims() {}

  static void add(BiConsumer<String, Object> out, AccountClaims account, Set<String> scopes) {
    if (scopes.contains("email") && account.email() != null) {
      out.accept("email", account.email());
      out.accept("email_verified", account.emailVerified());
    }
    if (scopes.contains("profile")) {
      if (account.givenName() != null) {
        out.accept("given_name", account.givenName());
      }
      if (account.familyName() != null) {
        out.accept("family_name", account.familyName());
      }
    }
  }
}
