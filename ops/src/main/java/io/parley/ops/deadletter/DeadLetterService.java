package io.parley.ops.deadletter;

import io.parley.api.error.ConflictException;
import io.parley.api.error.NotFoundException;
import io.parley.ops.saga.AssociationMask;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcDeadLetter;
import org.axonframework.messaging.deadletter.DeadLetter;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * The dead letters of every processor, projections' and sagas' alike, read, retried and evicted
 * through Axon's {@link SequencedDeadLetterQueue} and {@link SequencedDeadLetterProcessor} only
 * (the JDBC queue: a letter's id is its row's id). Payloads are never read; cause messages are
 * masked ({@link CauseMask}). Every retry and eviction is logged at INFO with the operator, the
 * processor, the letter and the outcome, never a payload or a cause message.
 */
@Service
public class DeadLetterService {

  /** A listing shows at most this many letters (processor by processor, in queue order). */
  public static final int MAX_ITEMS = 500;

  /** The diagnostic in which the dead-letter policy counts failed retries. */
  static final String RETRIES = "retries";

  private static final Pattern LETTER_ID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private static final Logger log = LoggerFactory.getLogger(DeadLetterService.class);

  /** What a retry did. */
  public enum RetryOutcome {
    /** Every letter of the sequence was handled and evicted. */
    PROCESSED,
    /** The first letters were handled and evicted; a later one failed again and stays parked. */
    PARTLY_PROCESSED,
    /** The first letter failed again: it stays parked, its retries counted and touched. */
    STILL_FAILING
  }

  /** The pseudonym key's context for sequence identifiers ({@link #shownSequenceId}). */
  static final String SEQUENCE = "dead-letter-sequence";

  private final EventProcessingConfiguration processing;
  private final DeadLetterProcessors processors;
  private final AssociationMask pseudonyms;

  public DeadLetterService(
      EventProcessingConfiguration processing,
      DeadLetterProcessors processors,
      AssociationMask pseudonyms) {
    this.processing = processing;
    this.processors = processors;
    this.pseudonyms = pseudonyms;
  }

  /** At most {@link #MAX_ITEMS} letters, of one processor or of all; unknown processor: 404. */
  public List<DeadLetterView> list(String processor) {
    List<String> groups = processingGroups();
    if (processor != null) {
      if (!groups.contains(processor)) {
        throw new NotFoundException("No such processor");
      }
      groups = List.of(processor);
    }
    List<DeadLetterView> items = new ArrayList<>();
    for (String group : groups) {
      Optional<SequencedDeadLetterQueue<EventMessage<?>>> queue = processing.deadLetterQueue(group);
      if (queue.isEmpty()) {
        continue;
      }
      for (Iterable<DeadLetter<? extends EventMessage<?>>> sequence : queue.get().deadLetters()) {
        for (DeadLetter<? extends EventMessage<?>> letter : sequence) {
          if (items.size() >= MAX_ITEMS) {
            return items;
          }
          items.add(view(group, letter));
        }
      }
    }
    return items;
  }

  /**
   * Retries the sequence of letter {@code id} from its first letter, synchronously: when this
   * returns, the handled letters are evicted and the first that failed again is requeued (retries
   * counted, last touched now). 404 for an unknown id; 409 when the sequence's first letter holds a
   * claim (a retry elsewhere that has not released it; a claim lapses after Axon's claim duration,
   * 30 s) or its processor cannot retry. Two retries of one sequence at the same time wait for each
   * other on the claim's row lock; the second then finds the letters gone, or retries what the
   * first left.
   */
  public RetryOutcome retry(String id, String operator) {
    Found found = find(id);
    SequencedDeadLetterProcessor<EventMessage<?>> processor =
        processors
            .of(found.group())
            .orElseThrow(
                () -> new ConflictException("Processor " + found.group() + " cannot retry"));
    JdbcDeadLetter<?> head = head(found).orElseThrow(() -> notFound(id));
    boolean processed =
        processor.process(
            letter ->
                letter instanceof JdbcDeadLetter<?> jdbc
                    && jdbc.getIdentifier().equals(head.getIdentifier()));
    RetryOutcome outcome;
    if (processed) {
      outcome = RetryOutcome.PROCESSED;
    } else {
      Optional<JdbcDeadLetter<?>> headNow = head(found);
      if (headNow.isEmpty()) {
        outcome = RetryOutcome.PROCESSED; // by a retry that ran at the same time, elsewhere
      } else if (!headNow.get().getIdentifier().equals(head.getIdentifier())) {
        outcome = RetryOutcome.PARTLY_PROCESSED;
      } else if (headNow.get().lastTouched().equals(head.lastTouched())) {
        log.info(
            "Dead letter {} of {}: retry by {} not run, its sequence is being retried elsewhere",
            id,
            found.group(),
            operator);
        throw new ConflictException("This dead letter's sequence is being retried elsewhere");
      } else {
        outcome = RetryOutcome.STILL_FAILING;
      }
    }
    log.info(
        "Dead letter {} of {} (sequence {}): retried by {}: {}",
        id,
        found.group(),
        shownSequenceId(found.group(), found.letter().getSequenceIdentifier()),
        operator,
        outcome);
    return outcome;
  }

  /** Evicts letter {@code id} for good (404 when unknown). */
  public void evict(String id, String operator) {
    Found found = find(id);
    processing.deadLetterQueue(found.group()).orElseThrow().evict(found.letter());
    log.info(
        "Dead letter {} of {} (sequence {}): evicted by {}",
        id,
        found.group(),
        shownSequenceId(found.group(), found.letter().getSequenceIdentifier()),
        operator);
  }

  private Optional<JdbcDeadLetter<?>> head(Found found) {
    for (DeadLetter<?> letter :
        processing
            .deadLetterQueue(found.group())
            .orElseThrow()
            .deadLetterSequence(found.letter().getSequenceIdentifier())) {
      return letter instanceof JdbcDeadLetter<?> jdbc ? Optional.of(jdbc) : Optional.empty();
    }
    return Optional.empty();
  }

  private record Found(String group, JdbcDeadLetter<? extends EventMessage<?>> letter) {}

  private Found find(String id) {
    if (id == null || !LETTER_ID.matcher(id).matches()) {
      throw notFound(id);
    }
    for (String group : processingGroups()) {
      Optional<SequencedDeadLetterQueue<EventMessage<?>>> queue = processing.deadLetterQueue(group);
      if (queue.isEmpty()) {
        continue;
      }
      for (Iterable<DeadLetter<? extends EventMessage<?>>> sequence : queue.get().deadLetters()) {
        for (DeadLetter<? extends EventMessage<?>> letter : sequence) {
          if (letter instanceof JdbcDeadLetter<? extends EventMessage<?>> jdbc
              && jdbc.getIdentifier().equalsIgnoreCase(id)) {
            return new Found(group, jdbc);
          }
        }
      }
    }
    throw notFound(id);
  }

  private static NotFoundException notFound(String id) {
    return new NotFoundException("No dead letter with this id");
  }

  private List<String> processingGroups() {
    return List.copyOf(new TreeSet<>(processing.eventProcessors().keySet()));
  }

  /**
   * A sequence identifier as shown: in clear only for a saga processor, where it is the saga's id
   * (a random UUID); otherwise a pseudonym ({@link AssociationMask}: {@code hmac:} and 16 hex
   * digits under a server key), since a projection's sequence may name a person — the timeline
   * orders a sender's messages by the sender's user id, the consent projections a subject's events
   * by the subject's, and a user id may itself look like a UUID. Letters of one sequence still show
   * the same value, on every node.
   */
  String shownSequenceId(String group, String sequenceId) {
    if (sequenceId == null) {
      return null;
    }
    if (isSagaProcessor(group) && LETTER_ID.matcher(sequenceId).matches()) {
      return sequenceId;
    }
    return pseudonyms.show(SEQUENCE, sequenceId);
  }

  private boolean isSagaProcessor(String group) {
    return processing.sagaConfigurations().stream()
        .anyMatch(saga -> saga.processingGroup().equals(group));
  }

  DeadLetterView view(String group, DeadLetter<? extends EventMessage<?>> letter) {
    EventMessage<?> event = letter.message();
    Long globalIndex = null;
    if (event instanceof TrackedEventMessage<?> tracked && tracked.trackingToken() != null) {
      var position = tracked.trackingToken().position();
      globalIndex = position.isPresent() ? position.getAsLong() : null;
    }
    Object retries = letter.diagnostics().get(RETRIES);
    return new DeadLetterView(
        letter instanceof JdbcDeadLetter<?> jdbc ? jdbc.getIdentifier() : null,
        group,
        letter instanceof JdbcDeadLetter<?> jdbc
            ? shownSequenceId(group, jdbc.getSequenceIdentifier())
            : null,
        event.getPayloadType().getSimpleName(),
        event.getIdentifier(),
        globalIndex,
        letter
            .cause()
            .map(c -> new DeadLetterView.Cause(c.type(), CauseMask.mask(c.message())))
            .orElse(null),
        letter.enqueuedAt(),
        letter.lastTouched(),
        retries instanceof Number n ? n.intValue() : 0);
  }
}
