package io.parley.infra.privacy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.api.privacy.DataCategory;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.SecretKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encrypts one personal field into a self-describing envelope and back:
 *
 * <pre>
 * pd1:&lt;subjectId&gt;:&lt;category&gt;:&lt;yyyy-MM&gt;:&lt;base64url(nonce ‖ ciphertext ‖ tag)&gt;
 * </pre>
 *
 * The envelope names its key, so reading needs no context. A destroyed key reads as {@code null}
 * (never an exception). A malformed or tampered envelope is corruption, not erasure: it throws
 * {@link DataKeyUnavailableException} so the reader retries or parks the event.
 */
public class PersonalDataCipher {

  static final String PREFIX = "pd1:";
  private static final Logger log = LoggerFactory.getLogger(PersonalDataCipher.class);

  private final DataKeyStore keys;
  private final Counter unreadable;

  public PersonalDataCipher(DataKeyStore keys, MeterRegistry meters) {
    this.keys = keys;
    this.unreadable =
        Counter.builder("parley.privacy.fields.unreadable")
            .description("Personal fields read after their key was destroyed (erased or expired)")
            .register(meters);
  }

  public String encrypt(
      String plaintext, String subjectId, DataCategory category, Instant datedAt) {
    DataKeyRef ref = DataKeyRef.of(subjectId, category, datedAt);
    byte[] sealed =
        AesGcm.encrypt(
            keys.keyForWriting(ref), plaintext.getBytes(StandardCharsets.UTF_8), ref.fieldAad());
    return PREFIX
        + ref.subjectId()
        + ':'
        + ref.category().name()
        + ':'
        + ref.period()
        + ':'
        + Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
  }

  public static boolean isEnvelope(String value) {
    return value != null && value.startsWith(PREFIX);
  }

  /** The clear text, or null when its key is gone. */
  public String decrypt(String envelope) {
    Optional<Parsed> parsed = parse(envelope);
    if (parsed.isEmpty()) {
      log.error("A personal field has a malformed envelope");
      throw new DataKeyUnavailableException("malformed personal data envelope");
    }
    Optional<SecretKey> key = keys.keyForReading(parsed.get().ref());
    if (key.isEmpty()) {
      unreadable.increment();
      return null;
    }
    try {
      return new String(
          AesGcm.decrypt(key.get(), parsed.get().sealed(), parsed.get().ref().fieldAad()),
          StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      log.error("A personal field failed authentication");
      throw new DataKeyUnavailableException("a personal field failed authentication");
    }
  }

  record Parsed(DataKeyRef ref, byte[] sealed) {}

  static Optional<Parsed> parse(String envelope) {
    if (!isEnvelope(envelope)) {
      return Optional.empty();
    }
    String[] parts = envelope.substring(PREFIX.length()).split(":", 4);
    if (parts.length != 4) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new Parsed(
              new DataKeyRef(parts[0], DataCategory.valueOf(parts[1]), parts[2]),
              Base64.getUrlDecoder().decode(parts[3])));
    } catch (IllegalArgumentException malformed) {
      return Optional.empty();
    }
  }
}
