package io.parley.saga.erasure;

import io.parley.api.subject.EraseSubjectCommand;
import io.parley.api.subject.ErasureCancelledEvent;
import io.parley.api.subject.ErasureRequestedEvent;
import io.parley.api.subject.SubjectErasedEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.axonframework.test.saga.SagaTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ErasureSagaTest {

  static final UUID ERASURE = UUID.fromString("00000000-0000-0000-0000-0000000000e1");
  SagaTestFixture<ErasureSaga> fixture;
  Instant now;

  @BeforeEach
  void setUp() {
    fixture = new SagaTestFixture<>(ErasureSaga.class);
    now = fixture.currentTime();
  }

  ErasureRequestedEvent requested(Duration grace) {
    return new ErasureRequestedEvent("eve", ERASURE, "eve", null, now, now.plus(grace));
  }

  @Test
  void onErasureRequested_schedulesTheDeadlineAtEffectiveAt() {
    fixture
        .givenNoPriorActivity()
        .whenPublishingA(requested(Duration.ofDays(30)))
        .expectActiveSagas(1)
        .expectScheduledDeadlineWithName(now.plus(Duration.ofDays(30)), ErasureSaga.DEADLINE)
        .expectNoDispatchedCommands();
  }

  @Test
  void onDeadline_sendsEraseSubject() {
    fixture
        .givenAPublished(requested(Duration.ofDays(30)))
        .whenTimeElapses(Duration.ofDays(30))
        .expectDeadlinesMet(new ErasureSaga.ErasureDue("eve", ERASURE))
        .expectDispatchedCommands(new EraseSubjectCommand("eve", ERASURE));
  }

  @Test
  void onCancelled_cancelsTheDeadlineAndEnds() {
    fixture
        .givenAPublished(requested(Duration.ofDays(30)))
        .whenPublishingA(new ErasureCancelledEvent("eve", ERASURE, now))
        .expectActiveSagas(0)
        .expectNoScheduledDeadlines()
        .expectNoDispatchedCommands();
  }

  @Test
  void onSoonerRequest_movesTheDeadline() {
    fixture
        .givenAPublished(requested(Duration.ofDays(30)))
        .whenPublishingA(requested(Duration.ZERO))
        .expectActiveSagas(1)
        .expectScheduledDeadlineWithName(now, ErasureSaga.DEADLINE)
        .expectNoScheduledDeadlineWithName(now.plus(Duration.ofDays(30)), ErasureSaga.DEADLINE);
  }

  @Test
  void onErased_ends() {
    fixture
        .givenAPublished(requested(Duration.ZERO))
        .whenPublishingA(new SubjectErasedEvent("eve", ERASURE, now, 3, 7, 1, 2))
        .expectActiveSagas(0);
  }
}
