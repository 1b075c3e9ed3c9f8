package uk.gov.residentportal.auth;

import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * The address a sign-in attempt comes from, for counting failures per source.
 *
 * <p>The TCP peer's address unless {@code PORTAL_BRUTE_FORCE_CLIENT_ADDRESS_HEADER} names the
 * header a trusted reverse proxy sets. Micronaut's own {@code HttpClientAddressResolver} is not
 * used on purpose: it believes {@code Forwarded} and {@code X-Forwarded-For} from anybody, and a
 * guesser who can choose their address for each attempt would never reach the per-address limit. Of
 * a list (X-Forwarded-For) the last entry counts: the one the nearest proxy added. An IPv6 address
 * counts as its /64 network, which one household or one attacker usually holds whole (RFC 6177).
 */
@Singleton
final class SourceAddress {
  // Only literals are parsed: InetAddress.getByName would look a host name up in the DNS.
  private static final Pattern LITERAL =
      Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}|[0-9A-Fa-f.]*:[0-9A-Fa-f:.]{1,44}");

  private final BruteForceConfig config;

  SourceAddress(BruteForceConfig config) {
    this.config = config;
  }

  String of(HttpRequest<?> request) {
    String header = config.clientAddressHeader();
    if (header != null) {
      String value = request.getHeaders().get(header);
      if (value != null) {
        InetAddress forwarded = parse(value.substring(value.lastIndexOf(',') + 1).strip());
        if (forwarded != null) {
          return text(forwarded);
        }
      }
    }
    InetSocketAddress peer = request.getRemoteAddress();
    return peer.getAddress() == null ? peer.getHostString() : text(peer.getAddress());
  }

  private static InetAddress parse(String literal) {
    String bare =
        literal.startsWith("[") && literal.endsWith("]")
            ? literal.substring(1, literal.length() - 1)
            : literal;
    if (!LITERAL.matcher(bare).matches()) {
      return null;
    }
    try {
      return InetAddress.getByName(bare);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static String text(InetAddress address) {
    if (address instanceof Inet6Address) {
      byte[] bytes = address.getAddress();
      for (int i = 8; i < bytes.length; i++) {
        bytes[i] = 0;
      }
      try {
        return InetAddress.getByAddress(bytes).getHostAddress() + "/64";
      } catch (UnknownHostException e) {
        throw new IllegalStateException("16 bytes are an IPv6 address", e);
      }
    }
    return address.getHostAddress();
  }
}
