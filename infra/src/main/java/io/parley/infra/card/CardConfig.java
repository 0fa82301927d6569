package io.parley.infra.card;

import io.micrometer.core.instrument.MeterRegistry;
import io.parley.command.card.AutomaticCards;
import io.parley.infra.card.provider.CardIllustrator;
import io.parley.infra.card.provider.ExternalCardWriter;
import io.parley.saga.card.CardGenerationSettings;
import io.parley.text.card.BuiltInCardGenerator;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import org.axonframework.queryhandling.QueryGateway;
import org.jooq.DSLContext;
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

  /**
   * The card maker, with its own threads (not beans: an {@code Executor} bean would replace Spring
   * Boot's task executor): one makes built-in cards off the saga's thread, two wait for pictures.
   * Closed with the context.
   */
  @Bean(destroyMethod = "close")
  public RoutingCardMaker cardMaker(
      CardProperties cards,
      ObjectProvider<ExternalCardWriter> external,
      ObjectProvider<CardIllustrator> illustrator,
      QueryGateway queries,
      DSLContext db,
      Clock clock,
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
    ExecutorService cardMakerExecutor = Executors.newSingleThreadExecutor(daemon("card-maker"));
    Optional<RoutingCardMaker.Pictures> pictures =
        Optional.ofNullable(illustrator.getIfAvailable())
            .map(
                drawer ->
                    new RoutingCardMaker.Pictures(
                        drawer,
                        new CardPictureStore(db, clock),
                        Executors.newFixedThreadPool(2, daemon("card-picture"))));
    return new RoutingCardMaker(
        new BuiltInCardGenerator(),
        writer,
        cards.fallback(),
        queries,
        cardMakerExecutor,
        meters,
        pictures);
  }

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}
