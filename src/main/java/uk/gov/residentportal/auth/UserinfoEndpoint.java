package uk.gov.residentportal.auth;

import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import uk.gov.residentportal.account.AccountService;
import uk.gov.residentportal.web.ProblemException;
import uk.gov.residentportal.web.Scopes;

/** OIDC Core section 5.3: claims about the signed-in resident, by the access token's scope. */
@Controller("/oauth2/userinfo")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "OpenID Connect")
@SecurityRequirement(name = "bearer")
class UserinfoEndpoint {
  private final AccountService accounts;

  UserinfoEndpoint(AccountService accounts) {
    this.accounts = accounts;
  }

  @Get
  @Produces(MediaType.APPLICATION_JSON)
  @Operation(summary = "Claims about the signed-in resident (sub, email, names by scope)")
  @ApiResponse(responseCode = "200", description = "The claims")
  @ApiResponse(responseCode = "401", description = "No valid access token")
  @ApiResponse(responseCode = "403", description = "The token lacks the openid scope")
  Map<String, Object> userinfo(Authentication authentication) {
    Scopes.require(authentication, "openid");
    Set<String> scopes =
        Set.copyOf(List.of(String.valueOf(authentication.getAttributes().get("scope")).split(" ")));
    var account =
        accounts
            .claims(authentication.getName())
            .orElseThrow(
                () -> new ProblemException.Unauthorized("The account is no longer active."));
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("sub", account.accountId());
    UserClaims.add(claims::put, account, scopes);
    return claims;
  }
}
