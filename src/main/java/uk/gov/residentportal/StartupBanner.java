package uk.gov.residentportal;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.ApplicationEventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.inject.Singleton;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.shared.PortalUrls;

/** Tells whoever started the service where it listens, where email goes and which database. */
@Singleton
final class StartupBanner implements ApplicationEventListener<ServerStartupEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(StartupBanner.class);

  private final PortalUrls urls;
  private final String sender;
  private final String outbox;
  private final String datasourceUrl;

  StartupBanner(
      PortalUrls urls,
      @Value("${portal.email.sender:outbox}") String sender,
      @Value("${portal.email.outbox:./data/outbox}") String outbox,
      @Value("${datasources.default.url:}") String datasourceUrl) {
    this.urls = urls;
    this.sender = sender;
    this.outbox = outbox;
    this.datasourceUrl = datasourceUrl;
  }

  @Override
  public void onApplicationEvent(ServerStartupEvent event) {
    String database =
        datasourceUrl.startsWith("jdbc:h2:")
            ? "embedded H2 (" + datasourceUrl.split(";")[0].substring("jdbc:h2:".length()) + ")"
            : datasourceUrl.replaceAll("//[^@/]*@", "//").split("\\?")[0];
    String email =
        "outbox".equals(sender)
            ? "written to the outbox " + Path.of(outbox).toAbsolutePath().normalize()
            : "sent by " + sender;
    LOG.info(
        "Resident Portal ready in {} ms at {} (discovery: {}/.well-known/openid-configuration);"
            + " database: {}; email: {}",
        ManagementFactory.getRuntimeMXBean().getUptime(),
        urls.issuer(),
        urls.issuer(),
        database,
        email);
  }
}
