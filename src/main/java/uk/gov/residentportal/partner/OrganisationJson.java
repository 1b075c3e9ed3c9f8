package uk.gov.residentportal.partner;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import java.io.IOException;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import uk.gov.residentportal.partner.OrganisationBodies.Changes;
import uk.gov.residentportal.partner.OrganisationBodies.Registration;
import uk.gov.residentportal.web.ProblemException;

/**
 * Reads organisation bodies strictly. The JSON mapper would coerce {@code "active": "maybe"} to
 * false or {@code "active": 2} to true, and a number to an ODS code; here each field must have its
 * own JSON type and {@code type} one of the known names, or the field is named in a 400. Then the
 * body's constraints are checked as {@code @Valid} would.
 */
@Singleton
final class OrganisationJson {
  private static final String TYPES =
      Arrays.stream(OrganisationType.values()).map(Enum::name).collect(Collectors.joining(", "));

  private final JsonMapper json;
  private final Validator validator;

  OrganisationJson(JsonMapper json, Validator validator) {
    this.json = json;
    this.validator = validator;
  }

  Registration registration(JsonNode body) {
    checkTypes(body, "odsCode", "name");
    return validated(read(body, Registration.class));
  }

  Changes changes(JsonNode body) {
    checkTypes(body, "name");
    return validated(read(body, Changes.class));
  }

  private static void checkTypes(JsonNode body, String... textFields) {
    if (body == null || !body.isObject()) {
      throw new ProblemException.InvalidField("body", "must be a JSON object");
    }
    for (String field : textFields) {
      JsonNode value = body.get(field);
      if (value != null && !value.isNull() && !value.isString()) {
        throw new ProblemException.InvalidField(field, "must be text");
      }
    }
    JsonNode type = body.get("type");
    if (type != null && !type.isNull() && !(type.isString() && isType(type.getStringValue()))) {
      throw new ProblemException.InvalidField("type", "must be one of " + TYPES);
    }
    JsonNode active = body.get("active");
    if (active != null && !active.isNull() && !active.isBoolean()) {
      throw new ProblemException.InvalidField("active", "must be true or false");
    }
  }

  private static boolean isType(String value) {
    return Arrays.stream(OrganisationType.values()).anyMatch(t -> t.name().equals(value));
  }

  private <T> T read(JsonNode body, Class<T> type) {
    try {
      return json.readValueFromTree(body, type);
    } catch (IOException | RuntimeException e) {
      // Every field's type was checked above; what is left is a shape the mapper cannot take.
      throw new ProblemException.InvalidField("body", "could not be read");
    }
  }

  private <T> T validated(T body) {
    Set<ConstraintViolation<T>> violations = validator.validate(body);
    if (!violations.isEmpty()) {
      throw new ConstraintViolationException(violations);
    }
    return body;
  }
}
