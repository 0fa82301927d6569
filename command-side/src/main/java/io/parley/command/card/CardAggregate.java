package io.parley.command.card;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.parley.api.card.CardContent;
import io.parley.api.card.CardFailedEvent;
import io.parley.api.card.CardGeneratedEvent;
import io.parley.api.card.CardProviderCalledEvent;
import io.parley.api.card.CardStatus;
import io.parley.api.card.CompleteCardCommand;
import io.parley.api.card.FailCardCommand;
import io.parley.api.card.ProviderCall;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A card's outcome: made once or failed once, never both, never twice. The request is the
 * conversation's event ({@code CardRequestedEvent}); this aggregate begins with the outcome the
 * card generation saga reports, preceded by the provider calls it took (the provenance ledger). A
 * second outcome — the saga's deadline firing after the card was made, a redelivered report — is
 * ignored: the first one stands.
 */
@Aggregate
@JsonAutoDetect(
    fieldVisibility = JsonAutoDetect.Visibility.ANY,
    getterVisibility = JsonAutoDetect.Visibility.NONE,
    isGetterVisibility = JsonAutoDetect.Visibility.NONE)
public class CardAggregate {

  @AggregateIdentifier private UUID cardId;
  private CardStatus status;

  /** For Axon (event sourcing and creation policy). */
  protected CardAggregate() {}

  @CommandHandler
  @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
  void handle(CompleteCardCommand command, Clock clock) {
    if (status != null) {
      return; // already ended
    }
    record(command.cardId(), command.conversationId(), command.providerCalls());
    CardContent content = command.content();
    apply(
        new CardGeneratedEvent(
            command.cardId(),
            command.conversationId(),
            content.rarity(),
            content.polarity(),
            content.confidence(),
            content.title(),
            content.caption(),
            List.copyOf(content.contributorIds()),
            content.messageCount(),
            content.windowHash(),
            content.artworkSvg(),
            content.provider(),
            content.model(),
            content.fallbackReason(),
            content.reusedFrom(),
            clock.instant()));
  }

  @CommandHandler
  @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
  void handle(FailCardCommand command, Clock clock) {
    if (status != null) {
      return; // already ended
    }
    record(command.cardId(), command.conversationId(), command.providerCalls());
    apply(
        new CardFailedEvent(
            command.cardId(), command.conversationId(), command.reason(), clock.instant()));
  }

  private static void record(UUID cardId, UUID conversationId, List<ProviderCall> calls) {
    if (calls == null) {
      return;
    }
    for (ProviderCall call : calls) {
      apply(new CardProviderCalledEvent(cardId, conversationId, call));
    }
  }

  @EventSourcingHandler
  void on(CardProviderCalledEvent event) {
    cardId = event.cardId();
  }

  @EventSourcingHandler
  void on(CardGeneratedEvent event) {
    cardId = event.cardId();
    status = CardStatus.READY;
  }

  @EventSourcingHandler
  void on(CardFailedEvent event) {
    cardId = event.cardId();
    status = CardStatus.FAILED;
  }
}
