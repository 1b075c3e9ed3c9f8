package uk.gov.residentportal.account;

import jakarta.inject.Singleton;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import uk.gov.residentportal.notify.EmailMessage;
import uk.gov.residentportal.notify.EmailSender;
import uk.gov.residentportal.shared.PortalUrls;

/** The emails the account feature sends, in plain English (GOV.UK style: short, direct). */
@Singleton
final class AccountEmails {
  private final EmailSender sender;
  private final PortalUrls urls;

  AccountEmails(EmailSender sender, PortalUrls urls) {
    this.sender = sender;
    this.urls = urls;
  }

  void verify(String to, String givenName, String token) {
    sender.send(
        new EmailMessage(
            to,
            "Confirm your email address",
            greeting(givenName)
                + "Confirm your email address to finish creating your council account:\n\n"
                + link("/account/verify-email", token)
                + "\n\nThe link works once and expires in 24 hours.\n\n"
                + "If you did not create an account, you can ignore this email."));
  }

  void alreadyRegistered(String to, String givenName) {
    sender.send(
        new EmailMessage(
            to,
            "You already have a council account",
            greeting(givenName)
                + "Someone tried to create a council account with this email address, but you"
                + " already have one.\n\nIf it was you, sign in, or reset your password at:\n\n"
                + urls.publicUrl()
                + "/account/reset-password\n\n"
                + "If it was not you, you do not need to do anything: your account is safe."));
  }

  void resetPassword(String to, String givenName, String token) {
    sender.send(
        new EmailMessage(
            to,
            "Reset your password",
            greeting(givenName)
                + "Use this link to choose a new password for your council account:\n\n"
                + link("/account/reset-password", token)
                + "\n\nThe link works once and expires in 30 minutes.\n\n"
                + "If you did not ask to reset your password, you can ignore this email."));
  }

  void recordsLinkedByAnother(String to, String givenName) {
    sender.send(
        new EmailMessage(
            to,
            "Another account can now see your council records",
            greeting(givenName)
                + "Someone linked another council account to council records that your account"
                + " is linked to. They used a one-time code from a letter the council sent.\n\n"
                + "This is normal when people share a home or a council tax account. If you do"
                + " not know who it was, contact the council and sign in to check the records"
                + " linked to your account at:\n\n"
                + urls.publicUrl()
                + "\n\nWe will never ask for your password in an email."));
  }

  void linkAttemptByAnother(String to, String givenName) {
    sender.send(
        new EmailMessage(
            to,
            "Someone tried to link your council tax account",
            greeting(givenName)
                + "Someone entered your council tax account's details (the account reference and"
                + " postcode) while trying to link it to another council account. It was not"
                + " linked: that needs a one-time code from a letter the council sends to the"
                + " address.\n\n"
                + "If this was not someone in your household, contact the council.\n\n"
                + "You can check the records linked to your account at:\n\n"
                + urls.publicUrl()
                + "\n\nWe will never ask for your password in an email."));
  }

  void passwordChanged(String to, String givenName) {
    sender.send(
        new EmailMessage(
            to,
            "Your password has been changed",
            greeting(givenName)
                + "The password for your council account has just been changed, and you have been"
                + " signed out everywhere.\n\n"
                + "If you did not do this, contact the council straight away."));
  }

  void accountLocked(String to, String givenName, long minutes) {
    sender.send(
        new EmailMessage(
            to,
            "Sign-in to your council account is paused",
            greeting(givenName)
                + "Someone has tried to sign in to your council account with the wrong password"
                + " many times, so we have stopped sign-in to it for "
                + (minutes <= 1 ? "1 minute" : minutes + " minutes")
                + ". After that you can sign in as usual.\n\n"
                + "If this was not you, someone may be trying to guess your password. Your account"
                + " is safe while sign-in is paused. To be sure, choose a new password at:\n\n"
                + urls.publicUrl()
                + "/account/reset-password\n\n"
                + "Never use the same password for your council account as for anything else."));
  }

  /**
   * Tells the owner that the second factor of their account changed (an authenticator app added or
   * removed, new recovery codes), so a change they did not make does not go unnoticed.
   */
  void secondFactorChanged(String to, String givenName, String what) {
    sender.send(
        new EmailMessage(
            to,
            "The security of your council account changed",
            greeting(givenName)
                + what
                + "\n\nIf this was you, there is nothing more to do. If it was not, someone may"
                + " have your password: choose a new one now at:\n\n"
                + urls.publicUrl()
                + "/account/reset-password\n\nand contact the council."));
  }

  private String link(String path, String token) {
    return urls.publicUrl() + path + "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
  }

  private static String greeting(String givenName) {
    return givenName == null || givenName.isBlank() ? "Hello,\n\n" : "Dear " + givenName + ",\n\n";
  }
}
