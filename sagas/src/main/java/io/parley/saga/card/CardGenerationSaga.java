package io.parley.saga.card;

import io.parley.api.card.CardFailedEvent;
import io.parley.api.card.CardFailureReason;
import io.parley.api.card.CardGeneratedEvent;
import io.parley.api.card.CardRequestedEvent;
import io.parley.api.card.CardWindow;
import io.parley.api.card.FailCardCommand;
import io.parley.api.card.FetchCardWindowQuery;
import java.util.List;
import java.util.UUID;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.deadline.annotation.DeadlineHandler;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.modelling.saga.EndSaga;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.modelling.saga.SagaLifecycle;
import org.axonframework.modelling.saga.StartSaga;
import org.axonframework.queryhandling.QueryGateway;
import org.axonframework.serialization.Revision;
import org.axonframework.spring.stereotype.Saga;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one card (ARCHITECTURE.md "Cards"). It starts on the conversation's request and schedules
 * its timeout (a persistent deadline: every instance ends). It asks the query side for the window's
 * qualifying messages — consent as the card is made — and waits (a short deadline, again and again)
 * while the read side has not yet seen the window's last message. No qualifying message: the card
 * fails at once with NO_CONSENTED_MESSAGES. Otherwise {@link CardMaker} makes it off this thread
 * and the outcome is sent to the card as a command; the card's {@code CardGeneratedEvent} or {@code
 * CardFailedEvent} ends the saga. The timeout fails a card still pending with TIMED_OUT.
 *
 * <p>State is ids and positions only: no message text ever reaches the saga store. The saga is
 * driven by a processor that is never replayed, so a provider is never called again for an old
 * request.
 */
@Saga
@Revision("1")
public class CardGenerationSaga {

  static final String TIMEOUT = "card-timeout";
  static final String WINDOW_RETRY = "card-window-retry";

  private static final Logger log = LoggerFactory.getLogger(CardGenerationSaga.class);

  private UUID cardId;
  private UUID conversationId;
  private long afterPosition;
  private long upToPosition;
  private String timeoutId;
  private String windowRetryId;
  private boolean ordered;

  /** The timeout deadline's payload: ids only. */
  public record CardTimeout(UUID cardId) {}

  /** The "look at the window again" deadline's payload: ids only. */
  public record WindowRetry(UUID cardId) {}

  @StartSaga
  @SagaEventHandler(associationProperty = "cardId")
  public void on(
      CardRequestedEvent event,
      DeadlineManager deadlines,
      CardGenerationSettings settings,
      QueryGateway queries,
      CardMaker maker,
      CommandGateway commands) {
    cardId = event.cardId();
    conversationId = event.conversationId();
    afterPosition = event.afterPosition();
    upToPosition = event.upToPosition();
    timeoutId = deadlines.schedule(settings.timeout(), TIMEOUT, new CardTimeout(cardId));
    makeOnceTheWindowIsReady(deadlines, settings, queries, maker, commands);
  }

  @DeadlineHandler(deadlineName = WINDOW_RETRY)
  public void on(
      WindowRetry retry,
      DeadlineManager deadlines,
      CardGenerationSettings settings,
      QueryGateway queries,
      CardMaker maker,
      CommandGateway commands) {
    makeOnceTheWindowIsReady(deadlines, settings, queries, maker, commands);
  }

  @DeadlineHandler(deadlineName = TIMEOUT)
  public void on(CardTimeout timeout, CommandGateway commands) {
    commands.sendAndWait(
        new FailCardCommand(cardId, conversationId, CardFailureReason.TIMED_OUT, List.of()));
    SagaLifecycle.end(); // the card has ended now, one way or the other
  }

  @EndSaga
  @SagaEventHandler(associationProperty = "cardId")
  public void on(CardGeneratedEvent event, DeadlineManager deadlines) {
    cancelTimeout(deadlines);
  }

  @EndSaga
  @SagaEventHandler(associationProperty = "cardId")
  public void on(CardFailedEvent event, DeadlineManager deadlines) {
    cancelTimeout(deadlines);
  }

  private void makeOnceTheWindowIsReady(
      DeadlineManager deadlines,
      CardGenerationSettings settings,
      QueryGateway queries,
      CardMaker maker,
      CommandGateway commands) {
    if (ordered) {
      return; // a late retry after the order went out
    }
    CardWindow window =
        queries
            .query(
                new FetchCardWindowQuery(conversationId, afterPosition, upToPosition),
                ResponseTypes.instanceOf(CardWindow.class))
            .join();
    if (!window.complete()) {
      windowRetryId =
          deadlines.schedule(settings.windowRetry(), WINDOW_RETRY, new WindowRetry(cardId));
      return;
    }
    ordered = true;
    if (window.messages().isEmpty()) {
      commands.send(
          new FailCardCommand(
              cardId, conversationId, CardFailureReason.NO_CONSENTED_MESSAGES, List.of()));
      return;
    }
    UUID card = cardId;
    UUID conversation = conversationId;
    maker
        .make(new CardOrder(card, conversation, window.messages()))
        .thenAccept(outcome -> commands.send(outcome.command(card, conversation)))
        .exceptionally(
            failure -> {
              // a defect in a card maker: the timeout fails the card
              log.error(
                  "Making card {} failed: {}", card, failure.getClass().getSimpleName(), failure);
              return null;
            });
  }

  /**
   * Cancels by id: the db-scheduler deadline manager's {@code cancelAllWithinScope} reads every
   * scheduled deadline of every saga to find this one's.
   */
  private void cancelTimeout(DeadlineManager deadlines) {
    if (timeoutId != null) {
      deadlines.cancelSchedule(TIMEOUT, timeoutId);
    }
    if (windowRetryId != null) {
      deadlines.cancelSchedule(WINDOW_RETRY, windowRetryId);
    }
  }

  public UUID getCardId() {
    return cardId;
  }

  public void setCardId(UUID cardId) {
    this.cardId = cardId;
  }

  public UUID getConversationId() {
    return conversationId;
  }

  public void setConversationId(UUID conversationId) {
    this.conversationId = conversationId;
  }

  public long getAfterPosition() {
    return afterPosition;
  }

  public void setAfterPosition(long afterPosition) {
    this.afterPosition = afterPosition;
  }

  public long getUpToPosition() {
    return upToPosition;
  }

  public void setUpToPosition(long upToPosition) {
    this.upToPosition = upToPosition;
  }

  public String getTimeoutId() {
    return timeoutId;
  }

  public void setTimeoutId(String timeoutId) {
    this.timeoutId = timeoutId;
  }

  public String getWindowRetryId() {
    return windowRetryId;
  }

  public void setWindowRetryId(String windowRetryId) {
    this.windowRetryId = windowRetryId;
  }

  public boolean isOrdered() {
    return ordered;
  }

  public void setOrdered(boolean ordered) {
    this.ordered = ordered;
  }
}
