package uk.gov.residentportal;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.notify.EmailConfig;
import uk.gov.residentportal.shared.PortalUrls;

/** Tells whoever started the service where it listens, where email goes and which database. */
@Singleton
final class StartupBanner implements ApplicationEventListener<ServerStartupEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(StartupBanner.class);

  private final PortalUrls urls;
  private final EmailConfig email;
  private final String datasourceUrl;

  StartupBanner(
      PortalUrls urls,
      EmailConfig email,
      @Value("${datasources.default.url:}") String datasourceUrl) {
    this.urls = urls;
    this.email = email;
    this.datasourceUrl = datasourceUrl;
  }

  @Override
  public void onApplicationEvent(ServerStartupEvent event) {
    String database =
        datasourceUrl.startsWith("jdbc:h2:")
            ? "embedded H2 (" + datasourceUrl.split(";")[0].substring("jdbc:h2:".length()) + ")"
            : datasourceUrl.replaceAll("//[^@/]*@", "//").split("\\?")[0];
    String delivery =
        "outbox".equals(email.sender())
            ? "written to the outbox " + Path.of(email.outbox()).toAbsolutePath().normalize()
            : "sent by " + email.sender();
    LOG.info(
        "Resident Portal ready in {} ms at {} (discovery: {}/.well-known/openid-configuration);"
            + " database: {}; email: {}",
        ManagementFactory.getRuntimeMXBean().getUptime(),
        urls.issuer(),
        urls.issuer(),
        database,
        delivery);
  }
}
