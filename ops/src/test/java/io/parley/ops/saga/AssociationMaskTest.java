package io.parley.ops.saga;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AssociationMaskTest {

  static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();
  final AssociationMask mask = new AssociationMask(KEY, Set.of("cardId"));

  @Test
  void aDeclaredIdKeyHoldingAUuid_isShownInClear() {
    String cardId = UUID.randomUUID().toString();
    assertThat(mask.show("cardId", cardId)).isEqualTo(cardId);
  }

  @Test
  void aUserId_isShownAsAKeyedPseudonym_neverInClear() {
    String shown = mask.show("subjectId", "alice");
    assertThat(shown).matches("hmac:[0-9a-f]{16}").doesNotContain("alice");
  }

  @Test
  void aUuidUnderAnUndeclaredKey_isPseudonymised_safeByDefault() {
    String userUuid = UUID.randomUUID().toString();
    assertThat(mask.show("subjectId", userUuid)).startsWith("hmac:").doesNotContain(userUuid);
  }

  @Test
  void aDeclaredKeyHoldingSomethingElse_isPseudonymised() {
    assertThat(mask.show("cardId", "alice@example.org")).startsWith("hmac:");
    assertThat(mask.show("cardId", UUID.randomUUID().toString().toUpperCase())).startsWith("hmac:");
  }

  @Test
  void pseudonymsAreStablePerKeyAndValue_andDependOnTheSecret() {
    assertThat(mask.show("subjectId", "alice")).isEqualTo(mask.show("subjectId", "alice"));
    assertThat(mask.show("subjectId", "alice")).isNotEqualTo(mask.show("subjectId", "bob"));
    assertThat(mask.show("subjectId", "alice")).isNotEqualTo(mask.show("ownerId", "alice"));
    AssociationMask otherKey =
        new AssociationMask("fedcba9876543210fedcba9876543210".getBytes(), Set.of("cardId"));
    assertThat(otherKey.show("subjectId", "alice")).isNotEqualTo(mask.show("subjectId", "alice"));
  }

  @Test
  void nullStaysNull_andAShortKeyIsRefused() {
    assertThat(mask.show("subjectId", null)).isNull();
    assertThatThrownBy(() -> new AssociationMask(new byte[8], Set.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
