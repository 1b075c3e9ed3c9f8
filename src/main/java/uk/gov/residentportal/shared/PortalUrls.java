package uk.gov.residentportal.shared;

import io.micronaut.context.BeanProvider;
import io.micronaut.runtime.server.EmbeddedServer;
import jakarta.inject.Singleton;
import uk.gov.residentportal.notify.EmailConfig;

/**
 * The issuer URL ({@code PORTAL_ISSUER}, else {@code http://localhost:<port>}) and the public URL
 * that links in emails point at ({@code PORTAL_PUBLIC_URL}, else the issuer).
 */
@Singleton
public final class PortalUrls {
  private final PortalConfig config;
  private final String publicUrl;
  private final BeanProvider<EmbeddedServer> server;

  PortalUrls(PortalConfig config, EmailConfig email, BeanProvider<EmbeddedServer> server) {
    this.config = config;
    this.publicUrl = email.publicUrl();
    this.server = server;
  }

  public String issuer() {
    if (PortalConfig.isSet(config.issuer())) {
      return stripSlash(config.issuer());
    }
    return "http://localhost:" + server.get().getPort();
  }

  public String publicUrl() {
    return PortalConfig.isSet(publicUrl) ? stripSlash(publicUrl) : issuer();
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
