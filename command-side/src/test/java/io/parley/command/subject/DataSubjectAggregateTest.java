package io.parley.command.subject;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.api.error.ConflictException;
import io.parley.api.error.InvalidInputException;
import io.parley.api.error.NotFoundException;
import io.parley.api.subject.CancelErasureCommand;
import io.parley.api.subject.ChangeConsentCommand;
import io.parley.api.subject.ConsentGrantedEvent;
import io.parley.api.subject.ConsentPurpose;
import io.parley.api.subject.ConsentWithdrawnEvent;
import io.parley.api.subject.EraseSubjectCommand;
import io.parley.api.subject.ErasureCancelledEvent;
import io.parley.api.subject.ErasureRequestResult;
import io.parley.api.subject.ErasureRequestedEvent;
import io.parley.api.subject.RequestErasureCommand;
import io.parley.api.subject.SubjectErasedEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DataSubjectAggregateTest {

  static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
  static final Duration GRACE = Duration.ofDays(30);
  static final UUID ERASURE = UUID.fromString("00000000-0000-0000-0000-0000000000e1");

  AggregateTestFixture<DataSubjectAggregate> fixture;
  List<String> shredded;

  @BeforeEach
  void setUp() {
    fixture = new AggregateTestFixture<>(DataSubjectAggregate.class);
    shredded = new ArrayList<>();
    fixture.registerInjectableResource(Clock.fixed(NOW, ZoneOffset.UTC));
    fixture.registerInjectableResource(
        (SubjectKeyShredder)
            subject -> {
              shredded.add(subject);
              return 3;
            });
    fixture.registerInjectableResource(
        (PersonalDataInventory) subject -> new PersonalDataInventory.Counts(7, 1, 2));
  }

  static ErasureRequestedEvent requested(Instant effectiveAt) {
    return new ErasureRequestedEvent(
        "eve", ERASURE, "eve", null, NOW.minusSeconds(60), effectiveAt);
  }

  @Test
  void changeConsent_grantOnNewSubject_recordsGrant() {
    fixture
        .givenNoPriorActivity()
        .when(new ChangeConsentCommand("eve", ConsentPurpose.ANALYTICS, true, "v1"))
        .expectEvents(new ConsentGrantedEvent("eve", ConsentPurpose.ANALYTICS, "v1", NOW));
  }

  @Test
  void changeConsent_withdrawAfterGrant_recordsWithdrawal() {
    fixture
        .given(new ConsentGrantedEvent("eve", ConsentPurpose.ANALYTICS, "v1", NOW))
        .when(new ChangeConsentCommand("eve", ConsentPurpose.ANALYTICS, false, "v2"))
        .expectEvents(new ConsentWithdrawnEvent("eve", ConsentPurpose.ANALYTICS, "v2", NOW));
  }

  @Test
  void changeConsent_sameStateAndVersion_recordsNothing() {
    fixture
        .given(new ConsentGrantedEvent("eve", ConsentPurpose.ANALYTICS, "v1", NOW))
        .when(new ChangeConsentCommand("eve", ConsentPurpose.ANALYTICS, true, "v1"))
        .expectSuccessfulHandlerExecution()
        .expectNoEvents();
  }

  @Test
  void changeConsent_grantUnderNewPolicyVersion_recordsIt() {
    fixture
        .given(new ConsentGrantedEvent("eve", ConsentPurpose.ANALYTICS, "v1", NOW))
        .when(new ChangeConsentCommand("eve", ConsentPurpose.ANALYTICS, true, "v2"))
        .expectEvents(new ConsentGrantedEvent("eve", ConsentPurpose.ANALYTICS, "v2", NOW));
  }

  @Test
  void changeConsent_rejectsBlankPolicyVersion() {
    fixture
        .givenNoPriorActivity()
        .when(new ChangeConsentCommand("eve", ConsentPurpose.ANALYTICS, true, "  "))
        .expectException(InvalidInputException.class)
        .expectNoEvents();
  }

  @Test
  void changeConsent_rejectedAfterErasure() {
    fixture
        .given(requested(NOW), new SubjectErasedEvent("eve", ERASURE, NOW, 3, 7, 1, 2))
        .when(new ChangeConsentCommand("eve", ConsentPurpose.ANALYTICS, true, "v1"))
        .expectException(ConflictException.class)
        .expectNoEvents();
  }

  @Test
  void requestErasure_startsGracePeriod() {
    fixture
        .givenNoPriorActivity()
        .when(new RequestErasureCommand("eve", ERASURE, "eve", GRACE, null))
        .expectResultMessagePayload(new ErasureRequestResult(ERASURE, NOW.plus(GRACE)))
        .expectEvents(new ErasureRequestedEvent("eve", ERASURE, "eve", null, NOW, NOW.plus(GRACE)));
  }

  @Test
  void requestErasure_whilePending_answersThePendingRequest() {
    fixture
        .given(requested(NOW.plus(GRACE)))
        .when(new RequestErasureCommand("eve", UUID.randomUUID(), "eve", GRACE, null))
        .expectResultMessagePayload(new ErasureRequestResult(ERASURE, NOW.plus(GRACE)))
        .expectNoEvents();
  }

  @Test
  void requestErasure_immediateWhilePending_bringsTheSameErasureForward() {
    fixture
        .given(requested(NOW.plus(GRACE)))
        .when(
            new RequestErasureCommand(
                "eve", UUID.randomUUID(), "officer", Duration.ZERO, "ticket 12"))
        .expectEvents(new ErasureRequestedEvent("eve", ERASURE, "officer", "ticket 12", NOW, NOW));
  }

  @Test
  void requestErasure_rejectedAfterErasure() {
    fixture
        .given(requested(NOW), new SubjectErasedEvent("eve", ERASURE, NOW, 3, 7, 1, 2))
        .when(new RequestErasureCommand("eve", UUID.randomUUID(), "eve", GRACE, null))
        .expectException(ConflictException.class)
        .expectNoEvents();
  }

  @Test
  void cancelErasure_duringGracePeriod_cancelsIt() {
    fixture
        .given(requested(NOW.plusSeconds(1)))
        .when(new CancelErasureCommand("eve"))
        .expectEvents(new ErasureCancelledEvent("eve", ERASURE, NOW));
  }

  @Test
  void cancelErasure_afterTheDeadline_isAConflict() {
    fixture
        .given(requested(NOW))
        .when(new CancelErasureCommand("eve"))
        .expectException(ConflictException.class)
        .expectNoEvents();
  }

  @Test
  void cancelErasure_afterErasure_isAConflict() {
    fixture
        .given(requested(NOW), new SubjectErasedEvent("eve", ERASURE, NOW, 3, 7, 1, 2))
        .when(new CancelErasureCommand("eve"))
        .expectException(ConflictException.class)
        .expectNoEvents();
  }

  @Test
  void cancelErasure_withNothingPending_isNotFound() {
    fixture
        .given(new ConsentGrantedEvent("eve", ConsentPurpose.ANALYTICS, "v1", NOW))
        .when(new CancelErasureCommand("eve"))
        .expectException(NotFoundException.class)
        .expectNoEvents();
  }

  @Test
  void eraseSubject_whenDue_shredsKeysAndRecordsACertificate() {
    fixture
        .given(requested(NOW))
        .when(new EraseSubjectCommand("eve", ERASURE))
        .expectEvents(new SubjectErasedEvent("eve", ERASURE, NOW, 3, 7, 1, 2));
    assertThat(shredded).containsExactly("eve");
  }

  @Test
  void eraseSubject_staleDeadlineAfterCancel_doesNothing() {
    fixture
        .given(requested(NOW.plusSeconds(60)), new ErasureCancelledEvent("eve", ERASURE, NOW))
        .when(new EraseSubjectCommand("eve", ERASURE))
        .expectSuccessfulHandlerExecution()
        .expectNoEvents();
    assertThat(shredded).isEmpty();
  }

  @Test
  void eraseSubject_repeated_doesNothingTheSecondTime() {
    fixture
        .given(requested(NOW), new SubjectErasedEvent("eve", ERASURE, NOW, 3, 7, 1, 2))
        .when(new EraseSubjectCommand("eve", ERASURE))
        .expectSuccessfulHandlerExecution()
        .expectNoEvents();
    assertThat(shredded).isEmpty();
  }
}
