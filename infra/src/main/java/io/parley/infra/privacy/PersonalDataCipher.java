package io.parley.infra.privacy;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.api.privacy.DataCategory;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
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
  static final String SHARED_PREFIX = "pds1:";
  private static final String SHARE_SEPARATOR = ";";
  private static final int SHARE_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder BASE64_DECODER = Base64.getUrlDecoder();
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

  /**
   * Encrypts a field that is personal data of several subjects at once (a card's title: every
   * contributor's), so that it stays readable only while every one of their keys lives. A fresh
   * field key is split n-of-n (XOR) into one share per subject; each share is sealed under that
   * subject's own key as an ordinary envelope; the text is sealed under the field key:
   *
   * <pre>
   * pds1:&lt;share envelope&gt;;&lt;share envelope&gt;;…;&lt;base64url(nonce ‖ ciphertext ‖ tag)&gt;
   * </pre>
   *
   * Destroying any one subject's key loses that share, hence the field key, hence the text: no
   * mapping from subjects to such fields is needed for erasure (ADR 0016).
   */
  public String encryptShared(
      String plaintext, Collection<String> subjectIds, DataCategory category, Instant datedAt) {
    SortedSet<String> subjects = new TreeSet<>(subjectIds);
    if (subjects.isEmpty()) {
      throw new IllegalArgumentException("Shared personal data needs at least one subject");
    }
    byte[] fieldKey = new byte[SHARE_BYTES];
    RANDOM.nextBytes(fieldKey);
    byte[] lastShare = fieldKey.clone(); // becomes the field key XOR every other share
    StringBuilder envelope = new StringBuilder(SHARED_PREFIX);
    int remaining = subjects.size();
    for (String subject : subjects) {
      byte[] share = new byte[SHARE_BYTES];
      if (--remaining == 0) {
        share = lastShare;
      } else {
        RANDOM.nextBytes(share);
        xorInto(lastShare, share);
      }
      envelope.append(encrypt(BASE64.encodeToString(share), subject, category, datedAt));
      envelope.append(SHARE_SEPARATOR);
    }
    byte[] sealed =
        AesGcm.encrypt(
            new SecretKeySpec(fieldKey, "AES"),
            plaintext.getBytes(StandardCharsets.UTF_8),
            sharedAad(subjects, category));
    return envelope.append(BASE64.encodeToString(sealed)).toString();
  }

  public static boolean isEnvelope(String value) {
    return value != null && (value.startsWith(PREFIX) || value.startsWith(SHARED_PREFIX));
  }

  /** The clear text, or null when its key (one of its keys, when shared) is gone. */
  public String decrypt(String envelope) {
    if (envelope.startsWith(SHARED_PREFIX)) {
      return decryptShared(envelope);
    }
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

  private String decryptShared(String envelope) {
    String[] parts = envelope.substring(SHARED_PREFIX.length()).split(SHARE_SEPARATOR, -1);
    if (parts.length < 2) {
      log.error("A shared personal field has a malformed envelope");
      throw new DataKeyUnavailableException("malformed personal data envelope");
    }
    byte[] fieldKey = new byte[SHARE_BYTES];
    SortedSet<String> subjects = new TreeSet<>();
    DataCategory category = null;
    for (int i = 0; i < parts.length - 1; i++) {
      Optional<Parsed> share = parse(parts[i]);
      if (share.isEmpty()) {
        log.error("A shared personal field has a malformed share");
        throw new DataKeyUnavailableException("malformed personal data envelope");
      }
      String clear = decrypt(parts[i]);
      if (clear == null) {
        return null; // one subject's key is gone: so is the field
      }
      xorInto(fieldKey, decodeShare(clear));
      subjects.add(share.get().ref().subjectId());
      category = share.get().ref().category();
    }
    try {
      return new String(
          AesGcm.decrypt(
              new SecretKeySpec(fieldKey, "AES"),
              BASE64_DECODER.decode(parts[parts.length - 1]),
              sharedAad(subjects, category)),
          StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      log.error("A shared personal field failed authentication");
      throw new DataKeyUnavailableException("a personal field failed authentication");
    }
  }

  private static byte[] decodeShare(String encoded) {
    try {
      byte[] share = BASE64_DECODER.decode(encoded);
      if (share.length == SHARE_BYTES) {
        return share;
      }
    } catch (IllegalArgumentException malformed) {
      // reported below
    }
    log.error("A shared personal field has a malformed share");
    throw new DataKeyUnavailableException("malformed personal data envelope");
  }

  /** Binds the sealed text to its subjects and category: shares cannot be swapped in or out. */
  private static byte[] sharedAad(SortedSet<String> subjects, DataCategory category) {
    return ("pds1|" + category + "|" + String.join(",", subjects)).getBytes(StandardCharsets.UTF_8);
  }

  private static void xorInto(byte[] target, byte[] other) {
    for (int i = 0; i < target.length; i++) {
      target[i] ^= other[i];
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
