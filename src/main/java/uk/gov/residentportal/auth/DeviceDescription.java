package uk.gov.residentportal.auth;

import io.micronaut.core.annotation.Nullable;
import java.util.Locale;

/**
 * A short, human description of a browser from its User-Agent ("Firefox on Windows"), for the
 * resident's list of signed-in devices. Deliberately coarse: no versions, nothing that
 * fingerprints.
 */
final class DeviceDescription {
  private DeviceDescription() {}

  static String of(@Nullable String userAgent) {
    if (userAgent == null || userAgent.isBlank()) {
      return "Unknown device";
    }
    String ua = userAgent.toLowerCase(Locale.ROOT);
    String browser = browser(ua);
    String system = system(ua);
    if (browser == null && system == null) {
      return "Unknown device";
    }
    if (browser == null) {
      return "A browser on " + system;
    }
    return system == null ? browser : browser + " on " + system;
  }

  // Order matters: Edge and Opera also say Chrome, Chrome also says Safari.
  private static String browser(String ua) {
    if (ua.contains("edg/") || ua.contains("edge/")) {
      return "Edge";
    }
    if (ua.contains("opr/") || ua.contains("opera")) {
      return "Opera";
    }
    if (ua.contains("firefox/") || ua.contains("fxios/")) {
      return "Firefox";
    }
    if (ua.contains("chrome/") || ua.contains("chromium/") || ua.contains("crios/")) {
      return "Chrome";
    }
    if (ua.contains("safari/")) {
      return "Safari";
    }
    return null;
  }

  private static String system(String ua) {
    if (ua.contains("iphone")) {
      return "iPhone";
    }
    if (ua.contains("ipad")) {
      return "iPad";
    }
    if (ua.contains("android")) {
      return "Android";
    }
    if (ua.contains("windows")) {
      return "Windows";
    }
    if (ua.contains("mac os x") || ua.contains("macintosh")) {
      return "macOS";
    }
    if (ua.contains("cros")) {
      return "ChromeOS";
    }
    if (ua.contains("linux")) {
      return "Linux";
    }
    return null;
  }
}
