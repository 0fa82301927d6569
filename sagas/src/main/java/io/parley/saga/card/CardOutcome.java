package io.parley.saga.card;

import io.parley.api.card.CardContent;
import io.parley.api.card.CardFailureReason;
import io.parley.api.card.CompleteCardCommand;
import io.parley.api.card.FailCardCommand;
import io.parley.api.card.ProviderCall;
import java.util.List;
import java.util.UUID;

/** What {@link CardMaker} made of an order, with the external calls it took. */
public sealed interface CardOutcome {

  /** The command that records this outcome on the card. */
  Object command(UUID cardId, UUID conversationId);

  /** The card is made. */
  record Made(CardContent content, List<ProviderCall> providerCalls) implements CardOutcome {
    @Override
    public Object command(UUID cardId, UUID conversationId) {
      return new CompleteCardCommand(cardId, conversationId, content, providerCalls);
    }
  }

  /** The card cannot be made. */
  record Failed(CardFailureReason reason, List<ProviderCall> providerCalls) implements CardOutcome {
    @Override
    public Object command(UUID cardId, UUID conversationId) {
      return new FailCardCommand(cardId, conversationId, reason, providerCalls);
    }
  }
}
