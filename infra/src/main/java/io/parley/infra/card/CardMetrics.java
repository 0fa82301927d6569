package io.parley.infra.card;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.api.card.CardFailedEvent;
import io.parley.api.card.CardGeneratedEvent;
import io.parley.api.card.CardRequestedEvent;
import io.parley.api.card.CardStatus;
import io.parley.query.card.CardProjection;
import io.parley.query.card.CardQueryHandler;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DisallowReplay;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.stereotype.Component;

/**
 * Card counters, counted once in the cluster by the node that projects cards (the same processor as
 * {@link CardProjection}, so no processor of its own) and never again on a replay: {@code
 * parley.cards.requested{trigger}}, {@code parley.cards.generated{provider}}, {@code
 * parley.cards.failed{reason}}; and the gauge {@code parley.cards.pending}, read from the cards
 * table (the same on every node). The provider's own calls and latency are {@code
 * parley.cards.provider.*}; fallbacks {@code parley.cards.fallbacks}.
 */
@Component
@ProcessingGroup(CardProjection.PROCESSING_GROUP)
public class CardMetrics {

  private final MeterRegistry meters;

  public CardMetrics(MeterRegistry meters, CardQueryHandler cards) {
    this.meters = meters;
    Gauge.builder("parley.cards.pending", cards, c -> c.countInStatus(CardStatus.PENDING))
        .description("Cards requested and not yet READY or FAILED")
        .register(meters);
  }

  @EventHandler
  @DisallowReplay
  void on(CardRequestedEvent event) {
    meters.counter("parley.cards.requested", "trigger", event.trigger().name()).increment();
  }

  @EventHandler
  @DisallowReplay
  void on(CardGeneratedEvent event) {
    meters.counter("parley.cards.generated", "provider", event.provider()).increment();
  }

  @EventHandler
  @DisallowReplay
  void on(CardFailedEvent event) {
    meters.counter("parley.cards.failed", "reason", event.reason().name()).increment();
  }
}
