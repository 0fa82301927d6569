package io.parley.ops.saga;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * How a saga's association values are shown: safe by default. A value is shown in clear only when
 * its key is one the application declares non-personal (an id of a thing, such as {@code cardId})
 * <em>and</em> the value is a canonical UUID. Everything else — a user id under {@code subjectId},
 * any key not declared, any value that is not a UUID — is shown as a pseudonym: {@code "hmac:"} and
 * the first 16 hex digits of HMAC-SHA256 over key and value, under a key that never leaves the
 * server. The same value reads the same on every node (so an engineer can match instances), yet a
 * guessed user id cannot be checked against it without the key.
 */
public final class AssociationMask {

  static final String PREFIX = "hmac:";
  private static final Pattern UUID_TEXT =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  private final SecretKeySpec key;
  private final Set<String> clearKeys;

  /**
   * @param key the pseudonym key (at least 16 bytes)
   * @param clearKeys association keys whose UUID values are not personal
   */
  public AssociationMask(byte[] key, Set<String> clearKeys) {
    if (key.length < 16) {
      throw new IllegalArgumentException("A pseudonym key needs at least 16 bytes");
    }
    this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
    this.clearKeys = Set.copyOf(clearKeys);
  }

  /** The value as shown to an engineer. */
  public String show(String associationKey, String value) {
    if (value == null) {
      return null;
    }
    if (clearKeys.contains(associationKey) && isUuid(value)) {
      return value;
    }
    return PREFIX + pseudonym(associationKey, value);
  }

  private String pseudonym(String associationKey, String value) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(associationKey.getBytes(StandardCharsets.UTF_8));
      mac.update((byte) 0);
      byte[] digest = mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  static boolean isUuid(String value) {
    if (!UUID_TEXT.matcher(value).matches()) {
      return false;
    }
    try {
      return UUID.fromString(value).toString().equals(value);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
