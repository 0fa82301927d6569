package io.parley.query.audit;

import static io.parley.migrations.jooq.Tables.MODERATION_FLAG;

import io.parley.query.audit.ConversationStateAsOf.TimedEvent;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.DomainEventStream;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.jooq.DSLContext;
import org.springframework.stereotype.Component;

/**
 * Feeds {@link ConversationStateAsOf} from Axon's event store: the conversation aggregate's stream,
 * then the stream of each of its flags, every stream read from sequence 0 (never from a snapshot,
 * which holds only what decisions need and no history).
 *
 * <p>Flags are aggregates of their own. Their ids are the automatic flags of the WARNED messages
 * (derived from the message id) plus the flag ids the moderation projection's {@code
 * moderation_flag} table lists for the conversation: the projection is used only to find aggregate
 * ids, never for state. A user flag raised in the last moments, which the projection has not
 * handled yet, is therefore missing until it has (the projection is seconds behind at most).
 */
@Component
public class ConversationStateRebuilder {

  private final EventStore eventStore;
  private final DSLContext db;

  public ConversationStateRebuilder(EventStore eventStore, DSLContext db) {
    this.eventStore = eventStore;
    this.db = db;
  }

  /** The rebuild of {@code conversationId} at {@code asOf}; its state is empty before creation. */
  public ConversationStateAsOf rebuild(UUID conversationId, Instant asOf) {
    ConversationStateAsOf rebuild = new ConversationStateAsOf(conversationId, asOf);
    rebuild.applyConversationStream(stream(conversationId));
    if (!rebuild.started()) {
      return rebuild;
    }
    Set<UUID> flagIds = new LinkedHashSet<>(rebuild.automaticFlagIds());
    flagIds.addAll(
        db.select(MODERATION_FLAG.FLAG_ID)
            .from(MODERATION_FLAG)
            .where(MODERATION_FLAG.CONVERSATION_ID.eq(conversationId))
            .fetch(MODERATION_FLAG.FLAG_ID));
    for (UUID flagId : flagIds) {
      rebuild.applyFlagStream(stream(flagId));
    }
    return rebuild;
  }

  /** One aggregate's events from sequence 0, read lazily, as timestamped payloads. */
  private Iterable<TimedEvent> stream(UUID aggregateId) {
    return () -> {
      DomainEventStream events = eventStore.readEvents(aggregateId.toString(), 0L);
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return events.hasNext();
        }

        @Override
        public TimedEvent next() {
          DomainEventMessage<?> event = events.next();
          return new TimedEvent(event.getPayload(), event.getTimestamp());
        }
      };
    };
  }
}
