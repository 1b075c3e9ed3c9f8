package uk.gov.residentportal.notify;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.service.notify.NotificationClient;
import uk.gov.service.notify.NotificationClientApi;
import uk.gov.service.notify.NotificationClientException;
import uk.gov.service.notify.SendEmailResponse;

/**
 * Sends through GOV.UK Notify with one generic email template whose subject is {@code ((subject))}
 * and whose body is {@code ((body))}, so the wording stays in this code base.
 *
 * <p>Notify formats the body as its own markdown: a line starting with {@code #} or {@code *}
 * becomes a heading or a bullet. The From address is the Notify service's, not {@code
 * portal.email.from}.
 */
@Context // built at start-up: a missing API key or template id stops the service
@Requires(property = EmailConfig.SENDER, value = EmailConfig.NOTIFY)
final class NotifyEmailSender implements EmailSender {

  static final String LIVE_BASE_URL = "https://api.notifications.service.gov.uk";

  private static final Logger LOG = LoggerFactory.getLogger(NotifyEmailSender.class);

  private static final String UUID_PATTERN =
      "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  // Notify's key format: <key name>-<service id>-<secret>; the client cuts the two UUIDs off the
  // end without checking, so a truncated key would otherwise fail only on the first email.
  private static final Pattern API_KEY =
      Pattern.compile(".+-" + UUID_PATTERN + "-" + UUID_PATTERN, Pattern.CASE_INSENSITIVE);
  private static final Pattern TEMPLATE_ID =
      Pattern.compile(UUID_PATTERN, Pattern.CASE_INSENSITIVE);

  private final NotificationClientApi client;
  private final String templateId;

  NotifyEmailSender(EmailConfig config) {
    String apiKey = apiKey(config);
    String baseUrl = baseUrl(config);
    this.templateId = templateId(config);
    this.client = new NotificationClient(apiKey, baseUrl);
    LOG.info("Emails are sent through GOV.UK Notify at {} with template {}", baseUrl, templateId);
  }

  private static String apiKey(EmailConfig config) {
    String key = config.notifyApiKey();
    if (key == null) {
      throw new ConfigurationException(
          "portal.email.notify-api-key (PORTAL_NOTIFY_API_KEY) must be set when"
              + " portal.email.sender=notify");
    }
    // The message never repeats the key: start-up failures get logged.
    if (!API_KEY.matcher(key).matches()) {
      throw new ConfigurationException(
          "portal.email.notify-api-key (PORTAL_NOTIFY_API_KEY) is not a GOV.UK Notify API key"
              + " (<name>-<service id>-<secret>, both UUIDs)");
    }
    return key;
  }

  private static String templateId(EmailConfig config) {
    String id = config.notifyTemplateId();
    if (id == null) {
      throw new ConfigurationException(
          "portal.email.notify-template-id (PORTAL_NOTIFY_TEMPLATE_ID) must be set when"
              + " portal.email.sender=notify");
    }
    if (!TEMPLATE_ID.matcher(id).matches()) {
      throw new ConfigurationException(
          "portal.email.notify-template-id (PORTAL_NOTIFY_TEMPLATE_ID) must be a template UUID");
    }
    return id;
  }

  private static String baseUrl(EmailConfig config) {
    String url = config.notifyBaseUrl();
    if (!isHttpUrl(url)) {
      throw new ConfigurationException(
          "portal.email.notify-base-url (PORTAL_NOTIFY_BASE_URL) must be an absolute http(s) URL");
    }
    // The client appends "/v2/...": a trailing slash would double it.
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static boolean isHttpUrl(String url) {
    try {
      URI uri = new URI(url);
      return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
          && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  @Override
  public void send(EmailMessage message) {
    SendEmailResponse response;
    try {
      response =
          client.sendEmail(
              templateId,
              message.to(),
              Map.of("subject", message.subject(), "body", message.textBody()),
              null);
    } catch (NotificationClientException e) {
      // The client reports "no answer" (an I/O error) as HTTP status 0.
      throw new EmailDeliveryException(
          e.getHttpResult() > 0
              ? "GOV.UK Notify did not take the email (HTTP status " + e.getHttpResult() + ")"
              : "GOV.UK Notify could not be reached",
          e);
    } catch (RuntimeException e) {
      // The client parses the answer with org.json, whose errors are unchecked.
      throw new EmailDeliveryException("GOV.UK Notify's answer could not be read", e);
    }
    LOG.info(
        "Email accepted by GOV.UK Notify as notification {} for {}",
        response.getNotificationId(),
        EmailMessage.mask(message.to()));
  }
}
