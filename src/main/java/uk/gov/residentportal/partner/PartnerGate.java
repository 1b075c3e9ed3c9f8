package uk.gov.residentportal.partner;

import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import java.util.regex.Pattern;
import uk.gov.residentportal.auth.ClientService;
import uk.gov.residentportal.web.ProblemException;
import uk.gov.residentportal.web.Scopes;

/**
 * The checks every partner request passes before it reads anything, JSON or FHIR, in this order:
 *
 * <ol>
 *   <li>the token is a partner client's: scope {@value #SCOPE} and an organisation (403);
 *   <li>{@code X-Request-ID} is there and a UUID (400): partners' and our logs and the audit trail
 *       meet on it;
 *   <li>the client's organisation is registered and active, read now (no cache), so deactivating it
 *       stops its clients at once on every replica (403);
 *   <li>the client itself is still registered and active, read now (no cache): a deactivated
 *       client's tokens already issued stop at once (403);
 *   <li>the client's rate limit (429), last, so refused requests do not use it up.
 * </ol>
 */
@Singleton
class PartnerGate {
  static final String SCOPE = "partner:resident.read";
  static final String REQUEST_ID = "X-Request-ID";
  static final String ORGANISATION_ODS = "organisation_ods";

  private static final Pattern UUID =
      Pattern.compile(
          "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

  private final Organisations organisations;
  private final ClientService clients;
  private final PartnerRateLimiter rateLimiter;

  PartnerGate(Organisations organisations, ClientService clients, PartnerRateLimiter rateLimiter) {
    this.organisations = organisations;
    this.clients = clients;
    this.rateLimiter = rateLimiter;
  }

  PartnerCaller admit(HttpRequest<?> request, Authentication authentication) {
    Scopes.require(authentication, SCOPE);
    Object ods = authentication.getAttributes().get(ORGANISATION_ODS);
    if (!(ods instanceof String odsCode) || odsCode.isBlank()) {
      throw new ProblemException.Forbidden("The client does not belong to a partner organisation.");
    }
    String requestId = request.getHeaders().get(REQUEST_ID);
    if (requestId == null || requestId.isBlank()) {
      throw new ProblemException.InvalidField(REQUEST_ID, "is required: a UUID for this request");
    }
    if (!UUID.matcher(requestId).matches()) {
      throw new ProblemException.InvalidField(REQUEST_ID, "must be a UUID");
    }
    if (!organisations.isActive(odsCode)) {
      throw new ProblemException.Forbidden(
          "The client's organisation is not an active partner of the partnership.");
    }
    String clientId = authentication.getName();
    ClientService.ClientRateLimit own =
        clients
            .activeClientRateLimit(clientId)
            .orElseThrow(() -> new ProblemException.Forbidden("The client is not active."));
    rateLimiter.take(clientId, own);
    return new PartnerCaller(clientId, odsCode);
  }
}
