package io.parley.ops.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.parley.ops.saga.AssociationMask;
import java.util.List;
import java.util.Set;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.config.SagaConfiguration;
import org.junit.jupiter.api.Test;

class DeadLetterServiceTest {

  static final AssociationMask MASK =
      new AssociationMask("a test pseudonym key of 32 bytes!".getBytes(), Set.of("cardId"));

  @Test
  void shownSequenceId_keepsASagasId_andPseudonymisesEveryOtherSequence() {
    EventProcessingConfiguration processing = mock(EventProcessingConfiguration.class);
    SagaConfiguration<?> saga = mock(SagaConfiguration.class);
    when(saga.processingGroup()).thenReturn("CardGenerationSagaProcessor");
    when(processing.sagaConfigurations()).thenReturn(List.of(saga));
    DeadLetterService service = new DeadLetterService(processing, group -> null, MASK);

    String uuid = "3b0a4c2e-8f1d-4e6a-9c57-2d9e1f0b7a41";
    assertThat(service.shownSequenceId("CardGenerationSagaProcessor", uuid)).isEqualTo(uuid);
    // A projection's sequence may be a user id, also one that looks like a UUID.
    assertThat(service.shownSequenceId("consents", uuid))
        .matches("hmac:[0-9a-f]{16}")
        .isEqualTo(MASK.show(DeadLetterService.SEQUENCE, uuid));
    String sender = service.shownSequenceId("timeline", "alice@example.org");
    assertThat(sender).matches("hmac:[0-9a-f]{16}").doesNotContain("alice");
    assertThat(service.shownSequenceId("timeline", "alice@example.org")).isEqualTo(sender);
    assertThat(service.shownSequenceId("timeline", null)).isNull();
  }
}
