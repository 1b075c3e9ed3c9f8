package uk.gov.residentportal.support;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reads the local email outbox the service writes to, as a resident reads their inbox. */
public final class Outbox {
  private static final Pattern TOKEN = Pattern.compile("token=([A-Za-z0-9_-]{43})");

  private final Path dir;

  public Outbox(Path dir) {
    this.dir = dir;
  }

  /** A received email, decoded. */
  public record Email(String to, String subject, String body) {
    public String token() {
      Matcher m = TOKEN.matcher(body);
      if (!m.find()) {
        throw new AssertionError("no token link in email '" + subject + "'");
      }
      return m.group(1);
    }
  }

  public List<Email> to(String address) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(f -> f.toString().endsWith(".eml"))
          .sorted()
          // Parsing every message of a long test run is slow (the outbox grows to thousands):
          // only those that name the address anywhere are parsed.
          .filter(f -> mentions(f, address))
          .map(Outbox::read)
          .filter(e -> e.to().equalsIgnoreCase(address))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The newest email to the address. */
  public Email latest(String address) {
    List<Email> emails = to(address);
    if (emails.isEmpty()) {
      throw new AssertionError("no email to " + address);
    }
    return emails.get(emails.size() - 1);
  }

  private static boolean mentions(Path file, String address) {
    try {
      return Files.readString(file, StandardCharsets.ISO_8859_1)
          .toLowerCase(Locale.ROOT)
          .contains(address.toLowerCase(Locale.ROOT));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Email read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), in);
      return new Email(
          message.getAllRecipients()[0].toString(),
          message.getSubject(),
          String.valueOf(message.getContent()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (MessagingException e) {
      throw new IllegalStateException(file + " is not an email", e);
    }
  }
}
