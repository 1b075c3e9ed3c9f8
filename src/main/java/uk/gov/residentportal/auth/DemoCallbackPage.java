package uk.gov.residentportal.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.views.ModelAndView;
import io.swagger.v3.oas.annotations.Hidden;
import java.util.HashMap;
import java.util.Map;
import uk.gov.residentportal.shared.PortalUrls;

/** Where the demo client's sign-in lands: shows the code and how to exchange it. */
@Controller("/demo/callback")
@Secured(SecurityRule.IS_ANONYMOUS)
@Hidden
class DemoCallbackPage {
  private final DemoClient demo;
  private final PortalUrls urls;

  DemoCallbackPage(DemoClient demo, PortalUrls urls) {
    this.demo = demo;
    this.urls = urls;
  }

  @Get
  @Produces(MediaType.TEXT_HTML)
  HttpResponse<?> callback(@Nullable @QueryValue String code, @Nullable @QueryValue String error) {
    if (!demo.enabled()) {
      return HttpResponse.notFound();
    }
    Map<String, Object> model = new HashMap<>();
    model.put("error", error);
    model.put("code", code);
    model.put(
        "command",
        code == null
            ? null
            : "curl -s "
                + urls.issuer()
                + "/oauth2/token -d grant_type=authorization_code"
                + " -d client_id="
                + DemoClient.CLIENT_ID
                + " -d redirect_uri="
                + demo.redirectUri()
                + " -d code_verifier="
                + demo.verifier()
                + " -d code="
                + code);
    return HttpResponse.ok(new ModelAndView<>("auth/demo-callback", model));
  }
}
