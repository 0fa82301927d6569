package io.parley.infra.privacy;

import static io.parley.api.privacy.DataCategory.BLOCKED_MESSAGE;
import static io.parley.api.privacy.DataCategory.MESSAGE;
import static io.parley.api.privacy.DataCategory.PROFILE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.api.privacy.DataCategory;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cipher over an in-memory key store: no Spring, no database. */
class PersonalDataCipherTest {

  static final Instant JANUARY = Instant.parse("2026-01-31T23:59:59Z");
  static final Instant FEBRUARY = Instant.parse("2026-02-01T00:00:00Z");

  InMemoryDataKeyStore keys;
  MeterRegistry meters;
  PersonalDataCipher cipher;

  @BeforeEach
  void cipherOverAnEmptyStore() {
    keys = new InMemoryDataKeyStore();
    meters = new SimpleMeterRegistry();
    cipher = new PersonalDataCipher(keys, meters);
  }

  @Test
  void decrypt_ofWhatWasEncrypted_returnsTheClearText() {
    String text = "Grüße, 你好 🙂 — see you at 8:30";
    String envelope = cipher.encrypt(text, "alice", MESSAGE, JANUARY);
    assertThat(envelope).doesNotContain("Grüße").doesNotContain("8:30");
    assertThat(cipher.decrypt(envelope)).isEqualTo(text);
  }

  @Test
  void encrypt_namesTheSubjectCategoryAndMonthOfItsKey() {
    assertThat(cipher.encrypt("hi", "alice", MESSAGE, JANUARY))
        .startsWith("pd1:alice:MESSAGE:2026-01:");
    assertThat(cipher.encrypt("hi", "alice", MESSAGE, FEBRUARY))
        .startsWith("pd1:alice:MESSAGE:2026-02:");
    assertThat(cipher.encrypt("hi", "alice", PROFILE, JANUARY))
        .startsWith("pd1:alice:PROFILE:0000-00:");
  }

  @Test
  void encrypt_sameTextTwice_givesDifferentEnvelopes() {
    assertThat(cipher.encrypt("hi", "alice", MESSAGE, JANUARY))
        .isNotEqualTo(cipher.encrypt("hi", "alice", MESSAGE, JANUARY));
  }

  @Test
  void decrypt_underAnotherSubjectsKey_isRefused() {
    String alices = cipher.encrypt("for alice only", "alice", MESSAGE, JANUARY);
    cipher.encrypt("bob has a key of that month too", "bob", MESSAGE, JANUARY);
    String movedToBob = alices.replace("pd1:alice:", "pd1:bob:");
    assertThatThrownBy(() -> cipher.decrypt(movedToBob))
        .isInstanceOf(DataKeyUnavailableException.class);
  }

  @Test
  void decrypt_tamperedCiphertext_isRefused() {
    String envelope = cipher.encrypt("do not alter", "alice", MESSAGE, JANUARY);
    int payloadStart = envelope.lastIndexOf(':') + 1;
    byte[] sealed = Base64.getUrlDecoder().decode(envelope.substring(payloadStart));
    sealed[AesGcm.NONCE_BYTES + 2] ^= 1;
    String tampered =
        envelope.substring(0, payloadStart)
            + Base64.getUrlEncoder().withoutPadding().encodeToString(sealed);
    assertThatThrownBy(() -> cipher.decrypt(tampered))
        .isInstanceOf(DataKeyUnavailableException.class);
  }

  @Test
  void decrypt_relabelledEnvelope_isRefused_evenWhenTheKeyWouldOpenIt() {
    PersonalDataCipher oneKey = new PersonalDataCipher(new OneKeyForAll(), meters);
    String envelope = oneKey.encrypt("bound to its label", "alice", MESSAGE, JANUARY);
    for (String relabelled :
        new String[] {
          envelope.replace("pd1:alice:", "pd1:bob:"),
          envelope.replace(":MESSAGE:", ":BLOCKED_MESSAGE:"),
          envelope.replace(":2026-01:", ":2026-02:")
        }) {
      assertThatThrownBy(() -> oneKey.decrypt(relabelled))
          .as(relabelled)
          .isInstanceOf(DataKeyUnavailableException.class);
    }
    assertThat(oneKey.decrypt(envelope)).isEqualTo("bound to its label");
  }

  @Test
  void decrypt_malformedEnvelope_isRefused_notReadAsErased() {
    cipher.encrypt("alice has a key", "alice", MESSAGE, JANUARY);
    for (String malformed :
        new String[] {
          "pd1:alice:MESSAGE:2026-01",
          "pd1:alice:NO_SUCH_CATEGORY:2026-01:AAAA",
          "pd1:alice:MESSAGE:2026-01:not*base64",
          "pd1:alice:MESSAGE:2026-01:AAAA" // too short to hold a nonce and a tag
        }) {
      assertThatThrownBy(() -> cipher.decrypt(malformed))
          .as(malformed)
          .isInstanceOf(DataKeyUnavailableException.class);
    }
  }

  @Test
  void decrypt_afterTheSubjectsKeysAreDestroyed_readsAsErased_andIsCounted() {
    String message = cipher.encrypt("erase me", "alice", MESSAGE, JANUARY);
    String title = cipher.encrypt("my title", "alice", PROFILE, JANUARY);
    String bobs = cipher.encrypt("keep me", "bob", MESSAGE, JANUARY);

    keys.shredAllKeysOf("alice");

    assertThat(cipher.decrypt(message)).isNull();
    assertThat(cipher.decrypt(title)).isNull();
    assertThat(cipher.decrypt(bobs)).isEqualTo("keep me");
    assertThat(meters.counter("parley.privacy.fields.unreadable").count()).isEqualTo(2);
  }

  @Test
  void decrypt_afterRetentionDestroysAMonth_erasesOnlyThatMonthOfThatCategory() {
    String january = cipher.encrypt("old", "alice", MESSAGE, JANUARY);
    String bobsJanuary = cipher.encrypt("old too", "bob", MESSAGE, JANUARY);
    String february = cipher.encrypt("newer", "alice", MESSAGE, FEBRUARY);
    String blockedInJanuary = cipher.encrypt("blocked", "alice", BLOCKED_MESSAGE, JANUARY);
    String title = cipher.encrypt("title", "alice", PROFILE, JANUARY);

    keys.destroyExpired(MESSAGE, YearMonth.of(2026, 2));

    assertThat(cipher.decrypt(january)).isNull();
    assertThat(cipher.decrypt(bobsJanuary)).isNull();
    assertThat(cipher.decrypt(february)).isEqualTo("newer");
    assertThat(cipher.decrypt(blockedInJanuary)).isEqualTo("blocked");
    assertThat(cipher.decrypt(title)).isEqualTo("title");
  }

  @Test
  void decrypt_ofErasedData_isNotRevivedWhenTheSubjectWritesAgainUnderTheSameKeyName() {
    String before = cipher.encrypt("before erasure", "alice", MESSAGE, JANUARY);
    keys.shredAllKeysOf("alice");
    String after = cipher.encrypt("after erasure", "alice", MESSAGE, JANUARY);

    assertThat(cipher.decrypt(after)).isEqualTo("after erasure");
    // The new key has the old one's name, so today the old envelope fails authentication under it
    // (a fault, DataKeyUnavailableException) rather than reading as erased (null). Either way the
    // clear text must not come back.
    assertThat(readOrNullIfRefused(cipher, before)).isNull();
  }

  static String readOrNullIfRefused(PersonalDataCipher cipher, String envelope) {
    try {
      return cipher.decrypt(envelope);
    } catch (DataKeyUnavailableException refused) {
      return null;
    }
  }

  @Test
  void decrypt_whenTheKeyExistsButCannotBeUnwrapped_failsInsteadOfReadingAsErased() {
    String envelope = cipher.encrypt("still here", "alice", MESSAGE, JANUARY);
    PersonalDataCipher misconfigured = new PersonalDataCipher(new CannotUnwrap(), meters);
    assertThatThrownBy(() -> misconfigured.decrypt(envelope))
        .isInstanceOf(DataKeyUnavailableException.class);
    assertThat(meters.counter("parley.privacy.fields.unreadable").count()).isZero();
  }

  /** One key under every name, so that only the associated data tells envelopes apart. */
  static final class OneKeyForAll implements DataKeyStore {
    private final SecretKey key = new SecretKeySpec(new byte[32], "AES");

    @Override
    public SecretKey keyForWriting(DataKeyRef ref) {
      return key;
    }

    @Override
    public Optional<SecretKey> keyForReading(DataKeyRef ref) {
      return Optional.of(key);
    }

    @Override
    public int shredAllKeysOf(String subjectId) {
      throw new UnsupportedOperationException("the cipher never erases keys");
    }

    @Override
    public int destroyExpired(DataCategory category, YearMonth firstKeptMonth) {
      throw new UnsupportedOperationException("the cipher never expires keys");
    }
  }

  /** A node whose keys are wrapped by a master key it is not configured with. */
  static final class CannotUnwrap implements DataKeyStore {
    @Override
    public SecretKey keyForWriting(DataKeyRef ref) {
      throw new DataKeyUnavailableException("master key 'old' is not configured");
    }

    @Override
    public Optional<SecretKey> keyForReading(DataKeyRef ref) {
      throw new DataKeyUnavailableException("master key 'old' is not configured");
    }

    @Override
    public int shredAllKeysOf(String subjectId) {
      throw new UnsupportedOperationException("the cipher never erases keys");
    }

    @Override
    public int destroyExpired(DataCategory category, YearMonth firstKeptMonth) {
      throw new UnsupportedOperationException("the cipher never expires keys");
    }
  }

  // --- shared by several subjects (a card's title: every contributor's)

  @Test
  void shared_readsBackWhileEveryKeyLives_andNamesNoClearText() {
    String envelope =
        cipher.encryptShared("Lake day 🙂", List.of("carol", "alice", "bob"), MESSAGE, JANUARY);
    assertThat(envelope).startsWith("pds1:").doesNotContain("Lake");
    assertThat(envelope).contains("pd1:alice:MESSAGE:2026-01:", "pd1:bob:", "pd1:carol:");
    assertThat(cipher.decrypt(envelope)).isEqualTo("Lake day 🙂");
  }

  @Test
  void shared_isLostWithAnyOneSubjectsKeys_andNobodyElsesDataIs() {
    String shared = cipher.encryptShared("our title", List.of("alice", "bob"), MESSAGE, JANUARY);
    String bobs = cipher.encrypt("keep me", "bob", MESSAGE, JANUARY);

    keys.shredAllKeysOf("alice");

    assertThat(cipher.decrypt(shared)).isNull();
    assertThat(cipher.decrypt(bobs)).isEqualTo("keep me");
  }

  @Test
  void shared_isLostWhenTheMonthExpires() {
    String shared = cipher.encryptShared("old title", List.of("alice", "bob"), MESSAGE, JANUARY);
    keys.destroyExpired(MESSAGE, java.time.YearMonth.of(2026, 2));
    assertThat(cipher.decrypt(shared)).isNull();
  }

  @Test
  void shared_ofOneSubject_works_andDuplicateSubjectsCountOnce() {
    String one = cipher.encryptShared("mine", List.of("alice", "alice"), MESSAGE, JANUARY);
    assertThat(one.split(";")).hasSize(2); // one share and the sealed text
    assertThat(cipher.decrypt(one)).isEqualTo("mine");
  }

  @Test
  void shared_withASubjectsShareRemoved_isRefused_notReadAsSomethingElse() {
    String shared = cipher.encryptShared("ours", List.of("alice", "bob"), MESSAGE, JANUARY);
    String[] parts = shared.substring("pds1:".length()).split(";");
    String withoutBob = "pds1:" + parts[0] + ";" + parts[2];
    assertThatThrownBy(() -> cipher.decrypt(withoutBob))
        .isInstanceOf(DataKeyUnavailableException.class);
  }

  @Test
  void shared_withNoSubject_isRefused() {
    assertThatThrownBy(() -> cipher.encryptShared("x", List.of(), MESSAGE, JANUARY))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
