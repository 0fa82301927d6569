package io.parley.infra.card;

import io.micrometer.core.instrument.MeterRegistry;
import io.parley.command.card.AutomaticCards;
import io.parley.infra.card.provider.ExternalCardWriter;
import io.parley.saga.card.CardGenerationSettings;
import io.parley.saga.card.CardMaker;
import io.parley.text.card.BuiltInCardGenerator;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.axonframework.queryhandling.QueryGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Card generation wiring: automatic requests, the saga's settings, and the card maker (the built-in
 * generator from {@code text-analysis}, and an external provider when {@code
 * parley.cards.provider.base-url} is set).
 */
@Configuration(proxyBeanMethods = false)
public class CardConfig {

  private static final Logger log = LoggerFactory.getLogger(CardConfig.class);

  @Bean
  public AutomaticCards automaticCards(CardProperties cards) {
    return new AutomaticCards(cards.everyMessages());
  }

  @Bean
  public CardGenerationSettings cardGenerationSettings(CardProperties cards) {
    return new CardGenerationSettings(cards.timeout(), cards.windowRetry());
  }

  /** One thread makes built-in cards, off the saga's thread; shut down with the context. */
  @Bean(destroyMethod = "shutdown")
  public ExecutorService cardMakerExecutor() {
    return Executors.newSingleThreadExecutor(
        runnable -> {
          Thread thread = new Thread(runnable, "card-maker");
          thread.setDaemon(true);
          return thread;
        });
  }

  @Bean
  public CardMaker cardMaker(
      CardProperties cards,
      ObjectProvider<ExternalCardWriter> external,
      QueryGateway queries,
      ExecutorService cardMakerExecutor,
      MeterRegistry meters) {
    Optional<ExternalCardWriter> writer = Optional.ofNullable(external.getIfAvailable());
    writer.ifPresentOrElse(
        w ->
            log.info(
                "Card provider: {} ({}) for participants who granted AI_PROCESSING, fallback {}",
                w.provider(),
                w.model(),
                cards.fallback().name().toLowerCase(java.util.Locale.ROOT)),
        () -> log.info("Card provider: {} (built in)", BuiltInCardGenerator.NAME));
    return new RoutingCardMaker(
        new BuiltInCardGenerator(), writer, cards.fallback(), queries, cardMakerExecutor, meters);
  }
}
