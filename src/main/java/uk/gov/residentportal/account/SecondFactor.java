package uk.gov.residentportal.account;

import com.eatthepath.otp.TimeBasedOneTimePasswordGenerator;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.transaction.annotation.Transactional;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.inject.Singleton;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.codec.binary.Base32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.residentportal.account.SecondFactorRepositories.RecoveryCodeRepository;
import uk.gov.residentportal.account.SecondFactorRepositories.TotpRepository;
import uk.gov.residentportal.shared.SecretBox;
import uk.gov.residentportal.web.ProblemException;

/**
 * The resident's second factor: a TOTP authenticator (RFC 6238: HMAC-SHA1, 6 digits, 30-second
 * steps, what every authenticator app speaks; codes from java-otp) and single-use recovery codes
 * for when the phone is lost. Sign-in (auth feature) asks {@link #enrolled} and {@link #verify}.
 */
@Singleton
public class SecondFactor implements ExportContributor {
  private static final Logger LOG = LoggerFactory.getLogger(SecondFactor.class);

  /** How a second factor was shown. */
  public enum Method {
    TOTP,
    RECOVERY_CODE
  }

  static final String ISSUER = "Council account";
  private static final Duration STEP = Duration.ofSeconds(30);
  private static final int SECRET_BYTES = 20; // 160 bits, RFC 4226 section 4 recommends it
  private static final int RECOVERY_CODES = 10;
  // No 0/O, 1/I/L: codes are read from paper and typed by hand.
  private static final String RECOVERY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
  private static final int RECOVERY_LENGTH = 10;

  private final TotpRepository authenticators;
  private final RecoveryCodeRepository recoveryCodes;
  private final AccountRepository accounts;
  private final PasswordHasher hasher;
  private final AccountEmails emails;
  private final SecretBox box;
  private final SecureRandom random;
  private final Clock clock;
  private final TimeBasedOneTimePasswordGenerator totp = new TimeBasedOneTimePasswordGenerator();

  SecondFactor(
      TotpRepository authenticators,
      RecoveryCodeRepository recoveryCodes,
      AccountRepository accounts,
      PasswordHasher hasher,
      AccountEmails emails,
      SecretBox box,
      SecureRandom random,
      Clock clock) {
    this.authenticators = authenticators;
    this.recoveryCodes = recoveryCodes;
    this.accounts = accounts;
    this.hasher = hasher;
    this.emails = emails;
    this.box = box;
    this.random = random;
    this.clock = clock;
  }

  /** Whether sign-in must ask this account for a second factor. */
  @Transactional(readOnly = true)
  public boolean enrolled(String accountId) {
    return authenticators.findById(accountId).filter(TotpAuthenticator::confirmed).isPresent();
  }

  /**
   * Checks a code at sign-in: the authenticator's current code (one step either side for clock
   * drift), never one accepted before, or an unused recovery code, which is then spent.
   */
  @Transactional
  public Optional<Method> verify(String accountId, String code) {
    Optional<TotpAuthenticator> found =
        authenticators.findById(accountId).filter(TotpAuthenticator::confirmed);
    if (found.isEmpty() || code == null) {
      return Optional.empty();
    }
    String digits = code.replaceAll("[\\s-]", "");
    if (digits.matches("[0-9]{6}")) {
      Optional<Long> step = matchingStep(found.get(), digits);
      if (step.isPresent() && authenticators.useStep(accountId, step.get()) == 1) {
        return Optional.of(Method.TOTP);
      }
      return Optional.empty();
    }
    String recovery = digits.toUpperCase(Locale.ROOT);
    if (recovery.length() == RECOVERY_LENGTH
        && recoveryCodes.use(accountId, recoveryHash(accountId, recovery), clock.instant()) == 1) {
      LOG.info("recovery code used id={}", accountId);
      return Optional.of(Method.RECOVERY_CODE);
    }
    return Optional.empty();
  }

  /** What a resident needs to add the account to an authenticator app. */
  @Serdeable
  @Schema(name = "TotpEnrolment")
  record Enrolment(String secret, String otpauthUri, String qrCodeSvg) {
    @Override
    public String toString() {
      return "Enrolment[***]";
    }
  }

  /**
   * Starts enrolment (or starts it again): a new secret, pending until a code confirms it. The
   * current password is required (ASVS 3.7.1): someone holding only a stolen access token must not
   * be able to put their own authenticator on the account.
   */
  @Transactional
  Enrolment begin(String accountId, String password) {
    Account account = checkPassword(accountId, password);
    Optional<TotpAuthenticator> existing = authenticators.findById(accountId);
    if (existing.filter(TotpAuthenticator::confirmed).isPresent()) {
      throw new ProblemException.Conflict(
          "An authenticator is already set up. Remove it before adding another.");
    }
    byte[] secret = new byte[SECRET_BYTES];
    random.nextBytes(secret);
    TotpAuthenticator pending =
        new TotpAuthenticator(
            accountId, box.sealToText(context(accountId), secret), clock.instant(), null, null);
    if (existing.isPresent()) {
      authenticators.update(pending);
    } else {
      authenticators.save(pending);
    }
    String base32 = new Base32().encodeToString(secret).replace("=", "");
    String label = encode(ISSUER) + ":" + encode(account.email());
    String uri =
        "otpauth://totp/"
            + label
            + "?secret="
            + base32
            + "&issuer="
            + encode(ISSUER)
            + "&algorithm=SHA1&digits=6&period=30";
    LOG.info("second factor enrolment started id={}", accountId);
    return new Enrolment(base32, uri, QrCodes.svg(uri, "QR code for your authenticator app"));
  }

  /** Confirms a pending authenticator with its current code; returns new recovery codes. */
  @Transactional
  List<String> confirm(String accountId, String code) {
    active(accountId);
    TotpAuthenticator pending =
        authenticators
            .findById(accountId)
            .filter(a -> !a.confirmed())
            .orElseThrow(
                () ->
                    new ProblemException.Conflict(
                        "There is no authenticator waiting to be confirmed."));
    String digits = code == null ? "" : code.replaceAll("\\s", "");
    Optional<Long> step =
        digits.matches("[0-9]{6}") ? matchingStep(pending, digits) : Optional.empty();
    if (step.isEmpty() || authenticators.confirm(accountId, step.get(), clock.instant()) != 1) {
      throw new ProblemException.InvalidField(
          "code", "is not the current code shown by your authenticator app");
    }
    LOG.info("second factor enrolled id={}", accountId);
    Account account = active(accountId);
    emails.secondFactorChanged(
        account.email(),
        account.givenName(),
        "An authenticator app was added to your council account. From now on, signing in asks for"
            + " the security code it shows.");
    return replaceRecoveryCodes(accountId);
  }

  /** Removes the authenticator and its recovery codes; the current password is required. */
  @Transactional
  void remove(String accountId, String password) {
    Account account = checkPassword(accountId, password);
    if (!authenticators.existsById(accountId)) {
      throw new ProblemException.NotFound();
    }
    authenticators.deleteById(accountId);
    recoveryCodes.deleteByAccountId(accountId);
    LOG.info("second factor removed id={}", accountId);
    emails.secondFactorChanged(
        account.email(),
        account.givenName(),
        "The authenticator app was removed from your council account. Signing in now asks only for"
            + " your password.");
  }

  /** New recovery codes in place of the old ones; the current password is required. */
  @Transactional
  List<String> newRecoveryCodes(String accountId, String password) {
    Account account = checkPassword(accountId, password);
    if (!enrolled(accountId)) {
      throw new ProblemException.Conflict("Set up an authenticator first.");
    }
    LOG.info("recovery codes replaced id={}", accountId);
    emails.secondFactorChanged(
        account.email(),
        account.givenName(),
        "New recovery codes were made for your council account. The old ones no longer work.");
    return replaceRecoveryCodes(accountId);
  }

  /** Whether the resident has a second factor, and how many recovery codes are left. */
  @Serdeable
  @Schema(name = "SecondFactorStatus")
  record Status(boolean enrolled, @Nullable Instant enrolledAt, long recoveryCodesLeft) {}

  /** Recovery codes, shown once: only their hashes are kept. */
  @Serdeable
  @Schema(name = "RecoveryCodes")
  record RecoveryCodes(List<String> recoveryCodes) {
    @Override
    public String toString() {
      return "RecoveryCodes[***]";
    }
  }

  @Transactional(readOnly = true)
  Status status(String accountId) {
    active(accountId);
    Optional<TotpAuthenticator> confirmed =
        authenticators.findById(accountId).filter(TotpAuthenticator::confirmed);
    return new Status(
        confirmed.isPresent(),
        confirmed.map(TotpAuthenticator::confirmedAt).orElse(null),
        confirmed.isPresent() ? recoveryCodes.countByAccountIdAndUsedAtIsNull(accountId) : 0);
  }

  @Override
  public String section() {
    return "secondFactor";
  }

  @Override
  public Object export(String accountId) {
    Status status = status(accountId);
    Map<String, Object> part = new LinkedHashMap<>();
    part.put("authenticatorApp", status.enrolled());
    if (status.enrolledAt() != null) {
      part.put("enrolledAt", status.enrolledAt().toString());
    }
    part.put("recoveryCodesLeft", status.recoveryCodesLeft());
    return part;
  }

  /** Erasure removes the second factor with the rest of the account's credentials. */
  @EventListener
  void on(AccountEvent event) {
    if (event instanceof AccountEvent.Erased) {
      authenticators.deleteById(event.accountId());
      recoveryCodes.deleteByAccountId(event.accountId());
    }
  }

  private Optional<Long> matchingStep(TotpAuthenticator authenticator, String digits) {
    Key key =
        new SecretKeySpec(
            box.openText(context(authenticator.accountId()), authenticator.secretSealed()),
            totp.getAlgorithm());
    Instant now = clock.instant();
    long current = now.getEpochSecond() / STEP.toSeconds();
    byte[] given = digits.getBytes(StandardCharsets.US_ASCII);
    Optional<Long> match = Optional.empty();
    // RFC 6238 section 5.2: one step either side for drift. Every candidate is compared, in
    // constant time, so the time taken says nothing about which one matched.
    for (long step = current - 1; step <= current + 1; step++) {
      String expected;
      try {
        expected =
            String.format(
                Locale.ROOT,
                "%06d",
                totp.generateOneTimePassword(key, Instant.ofEpochSecond(step * STEP.toSeconds())));
      } catch (InvalidKeyException e) {
        throw new IllegalStateException("The TOTP key is unusable", e);
      }
      if (MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given)
          && match.isEmpty()) {
        match = Optional.of(step);
      }
    }
    return match;
  }

  private List<String> replaceRecoveryCodes(String accountId) {
    recoveryCodes.deleteByAccountId(accountId);
    Instant now = clock.instant();
    List<String> codes = new ArrayList<>();
    for (int i = 0; i < RECOVERY_CODES; i++) {
      StringBuilder code = new StringBuilder();
      for (int c = 0; c < RECOVERY_LENGTH; c++) {
        code.append(RECOVERY_ALPHABET.charAt(random.nextInt(RECOVERY_ALPHABET.length())));
      }
      String value = code.toString();
      recoveryCodes.save(
          new RecoveryCode(
              UUID.randomUUID().toString(), accountId, recoveryHash(accountId, value), now, null));
      codes.add(value.substring(0, 5) + "-" + value.substring(5));
    }
    return codes;
  }

  private Account checkPassword(String accountId, String password) {
    Account account = active(accountId);
    if (!hasher.matches(PasswordPolicy.normalise(password), account.passwordHash())) {
      throw new ProblemException.Forbidden("The password is not right.");
    }
    return account;
  }

  private Account active(String accountId) {
    return accounts
        .findById(accountId)
        .filter(a -> a.status() == AccountStatus.ACTIVE)
        .orElseThrow(() -> new ProblemException.Unauthorized("The account is not active."));
  }

  /**
   * Recovery codes carry about 50 bits: a plain SHA-256 of every possible code is within reach of
   * one GPU, so they are kept as an HMAC under a key derived from the KEK (not in the database),
   * bound to the account.
   */
  private String recoveryHash(String accountId, String code) {
    return box.keyedHash("recovery-code", accountId + ":" + code);
  }

  private static String context(String accountId) {
    return "totp:" + accountId;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
