package io.parley.command.subject;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.parley.api.FreeText;
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
import java.util.EnumMap;
import java.util.Map;
import java.util.UUID;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A data subject (id = user id): their consents and the lifecycle of an erasure request. Exists
 * from the first consent change or erasure request.
 */
@Aggregate
@JsonAutoDetect(
    fieldVisibility = JsonAutoDetect.Visibility.ANY,
    getterVisibility = JsonAutoDetect.Visibility.NONE,
    isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class DataSubjectAggregate {

  static final int POLICY_VERSION_MAX = 64;
  static final int REASON_MAX = 2_000;

  @AggregateIdentifier private String subjectId;
  private Map<ConsentPurpose, Consent> consents = new EnumMap<>(ConsentPurpose.class);
  private UUID pendingErasureId;
  private Instant pendingEffectiveAt;
  private boolean erased;

  protected DataSubjectAggregate() {}

  record Consent(boolean granted, String policyVersion) {}

  @CommandHandler
  @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
  void handle(ChangeConsentCommand command, Clock clock) {
    if (command.purpose() == null) {
      throw new InvalidInputException(
          "purpose", "must be one of CARD_GENERATION, ANALYTICS, AI_PROCESSING");
    }
    String version = FreeText.require("policyVersion", command.policyVersion(), POLICY_VERSION_MAX);
    requireNotErased();
    Consent current = consents.get(command.purpose());
    Consent wanted = new Consent(command.granted(), version);
    if (wanted.equals(current) || (current == null && !command.granted())) {
      return; // no change (everything starts withdrawn)
    }
    Instant now = clock.instant();
    if (command.granted()) {
      apply(new ConsentGrantedEvent(command.subjectId(), command.purpose(), version, now));
    } else {
      apply(new ConsentWithdrawnEvent(command.subjectId(), command.purpose(), version, now));
    }
  }

  /**
   * A pending request is answered again rather than duplicated — unless the new one is due sooner
   * (a compliance officer's immediate erasure), which brings the same erasure forward.
   */
  @CommandHandler
  @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
  ErasureRequestResult handle(RequestErasureCommand command, Clock clock) {
    requireNotErased();
    String reason = FreeText.optional("reason", command.reason(), REASON_MAX);
    Instant now = clock.instant();
    Duration grace = command.gracePeriod() == null ? Duration.ZERO : command.gracePeriod();
    Instant effectiveAt = now.plus(grace.isNegative() ? Duration.ZERO : grace);
    if (pendingErasureId != null && !effectiveAt.isBefore(pendingEffectiveAt)) {
      return new ErasureRequestResult(pendingErasureId, pendingEffectiveAt);
    }
    UUID erasureId = pendingErasureId != null ? pendingErasureId : command.erasureId();
    apply(
        new ErasureRequestedEvent(
            command.subjectId(), erasureId, command.requestedBy(), reason, now, effectiveAt));
    return new ErasureRequestResult(erasureId, effectiveAt);
  }

  @CommandHandler
  void handle(CancelErasureCommand command, Clock clock) {
    requireNotErased();
    if (pendingErasureId == null) {
      throw new NotFoundException("No erasure is pending");
    }
    if (!clock.instant().isBefore(pendingEffectiveAt)) {
      throw new ConflictException(
          "The grace period is over; the erasure can no longer be cancelled");
    }
    apply(new ErasureCancelledEvent(subjectId, pendingErasureId, clock.instant()));
  }

  /** Idempotent: a stale or repeated deadline (after a cancel, or after erasure) does nothing. */
  @CommandHandler
  void handle(
      EraseSubjectCommand command,
      Clock clock,
      SubjectKeyShredder shredder,
      PersonalDataInventory inventory) {
    if (erased || pendingErasureId == null || !pendingErasureId.equals(command.erasureId())) {
      return;
    }
    PersonalDataInventory.Counts counts = inventory.count(subjectId);
    int keys = shredder.shredAllKeysOf(subjectId);
    apply(
        new SubjectErasedEvent(
            subjectId,
            pendingErasureId,
            clock.instant(),
            keys,
            counts.messages(),
            counts.conversationsOwned(),
            counts.consents()));
  }

  @EventSourcingHandler
  void on(ConsentGrantedEvent event) {
    subjectId = event.subjectId();
    consents.put(event.purpose(), new Consent(true, event.policyVersion()));
  }

  @EventSourcingHandler
  void on(ConsentWithdrawnEvent event) {
    subjectId = event.subjectId();
    consents.put(event.purpose(), new Consent(false, event.policyVersion()));
  }

  @EventSourcingHandler
  void on(ErasureRequestedEvent event) {
    subjectId = event.subjectId();
    pendingErasureId = event.erasureId();
    pendingEffectiveAt = event.effectiveAt();
  }

  @EventSourcingHandler
  void on(ErasureCancelledEvent event) {
    pendingErasureId = null;
    pendingEffectiveAt = null;
  }

  @EventSourcingHandler
  void on(SubjectErasedEvent event) {
    erased = true;
    pendingErasureId = null;
    pendingEffectiveAt = null;
    consents.clear();
  }

  private void requireNotErased() {
    if (erased) {
      throw new ConflictException("This data subject has been erased");
    }
  }
}
