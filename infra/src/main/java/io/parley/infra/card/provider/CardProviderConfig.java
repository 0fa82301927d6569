package io.parley.infra.card.provider;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The external AI card provider (docs/runbooks/plug-in-a-card-provider.md): an {@link
 * OpenAiCardWriter} when {@code parley.cards.provider.base-url} ({@code
 * PARLEY_CARDS_PROVIDER_BASE_URL}) is set, none otherwise. Closed at shutdown: its dispatcher stops
 * and the cards still waiting are answered {@code NotWritten(ERROR)}.
 */
@Configuration(proxyBeanMethods = false)
public class CardProviderConfig {

  static final String ON = "!'${parley.cards.provider.base-url:}'.isBlank()";

  private static final Logger log = LoggerFactory.getLogger(CardProviderConfig.class);

  @Bean(destroyMethod = "close")
  @ConditionalOnExpression(ON)
  public OpenAiCardWriter openAiCardWriter(
      CardProviderProperties properties, MeterRegistry meters) {
    OpenAiCardWriter writer = new OpenAiCardWriter(properties, meters);
    log.info(
        "Card provider: {} (model {}) at {}, up to {} cards a call, {} calls a minute",
        properties.name(),
        properties.model(),
        properties.baseUrl(),
        properties.batchSize(),
        properties.requestsPerMinute());
    return writer;
  }

  /** A picture for each card the provider writes, when {@code parley.cards.provider.images}. */
  @Bean
  @ConditionalOnExpression(ON + " and ${parley.cards.provider.images:false}")
  public CardIllustrator cardIllustrator(
      CardProviderProperties properties, CardPictureProperties pictures, MeterRegistry meters) {
    log.info(
        "Card provider: {} draws a picture for each card it writes (model {})",
        properties.name(),
        pictures.imageModel());
    return new CardIllustrator(properties, pictures, meters);
  }
}
