package uk.gov.residentportal;

import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeIn;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Contact;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.annotations.servers.Server;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.TimeZone;

/** Starts Resident Portal. */
@OpenAPIDefinition(
    info =
        @Info(
            title = "Resident Portal",
            version = "0.1.0",
            description =
                "One sign-in for every council service (an OpenID Connect provider), residents'"
                    + " own records, consented sharing with NHS partners, and uptake reports."
                    + " Errors are application/problem+json (RFC 9457) with stable type URNs;"
                    + " OAuth endpoints answer RFC 6749 error JSON.",
            contact = @Contact(name = "Resident Portal team")),
    servers = @Server(url = "http://localhost:8080", description = "first run on a laptop"),
    tags = {
      @Tag(name = "Accounts", description = "Sign-up, email verification, password reset"),
      @Tag(name = "Me", description = "The signed-in resident's own account"),
      @Tag(name = "OpenID Connect", description = "The sign-in provider")
    })
@SecurityScheme(
    name = "bearer",
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    bearerFormat = "JWT",
    in = SecuritySchemeIn.HEADER,
    description = "An access token (RFC 9068 JWT, typ at+jwt) from /oauth2/token")
public final class Application {
  private Application() {}

  public static void main(String[] args) {
    // Every time the service stores or reports is UTC (DESIGN.md section 3).
    TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
    if (DemoDataCommand.requested(args)) {
      System.exit(DemoDataCommand.run(args, System.out));
    }
    if (GenerateAccountsCommand.requested(args)) {
      System.exit(GenerateAccountsCommand.run(args, System.out));
    }
    if (RebuildUptakeCommand.requested(args)) {
      System.exit(RebuildUptakeCommand.run(args, System.out));
    }
    if (MigrateCommand.requested(args)) {
      System.exit(MigrateCommand.run(args, System.out));
    }
    if (VerifyAuditCommand.requested(args)) {
      System.exit(VerifyAuditCommand.run(args, System.out));
    }
    Micronaut.build(args).banner(false).start();
  }
}
