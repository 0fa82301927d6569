package io.parley.ops.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeadLetterServiceTest {

  @Test
  void shownSequenceId_keepsUuids_andHashesAnythingElse() {
    String uuid = "3b0a4c2e-8f1d-4e6a-9c57-2d9e1f0b7a41";
    assertThat(DeadLetterService.shownSequenceId(uuid)).isEqualTo(uuid);
    String hashed = DeadLetterService.shownSequenceId("alice@example.org");
    assertThat(hashed).matches("sha256:[0-9a-f]{16}").doesNotContain("alice");
    assertThat(DeadLetterService.shownSequenceId("alice@example.org")).isEqualTo(hashed);
  }
}
