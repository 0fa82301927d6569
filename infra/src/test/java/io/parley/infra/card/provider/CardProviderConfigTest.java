package io.parley.infra.card.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.api.card.ProviderCallOutcome;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** The provider's wiring: on only with a base URL, a model required, closed at shutdown. */
class CardProviderConfigTest {

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(CardProviderProperties.class)
  static class Properties {}

  final ApplicationContextRunner context =
      new ApplicationContextRunner()
          .withUserConfiguration(Properties.class, CardProviderConfig.class)
          .withBean(MeterRegistry.class, SimpleMeterRegistry::new);

  @Test
  void noWriter_whenNoBaseUrlIsSet() {
    context
        .withPropertyValues("parley.cards.provider.base-url=", "parley.cards.provider.model=m")
        .run(
            app -> {
              assertThat(app).hasNotFailed();
              assertThat(app).doesNotHaveBean(ExternalCardWriter.class);
              assertThat(app.getBean(CardProviderProperties.class).batchSize()).isEqualTo(20);
            });
  }

  @Test
  void startupFails_namingTheModelKey_whenABaseUrlIsSetWithoutAModel() {
    context
        .withPropertyValues("parley.cards.provider.base-url=http://localhost:11434/v1")
        .run(
            app ->
                assertThat(app)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("parley.cards.provider.model"));
  }

  @Test
  void startupFails_whenTheBatchSizeIsAboveFifty() {
    context
        .withPropertyValues(
            "parley.cards.provider.base-url=http://localhost:11434/v1",
            "parley.cards.provider.model=llama3.1",
            "parley.cards.provider.batch-size=51")
        .run(
            app ->
                assertThat(app)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("parley.cards.provider.batch-size"));
  }

  @Test
  void aWriter_withTheSettings_closedWithTheContext() {
    AtomicReference<ExternalCardWriter> writer = new AtomicReference<>();
    context
        .withPropertyValues(
            "parley.cards.provider.base-url=http://127.0.0.1:1/v1",
            "parley.cards.provider.model=llama3.1",
            "parley.cards.provider.name=ollama",
            "parley.cards.provider.api-key=sk-secret-77",
            "parley.cards.provider.batch-linger=PT10S")
        .run(
            app -> {
              assertThat(app).hasSingleBean(ExternalCardWriter.class);
              writer.set(app.getBean(ExternalCardWriter.class));
              assertThat(writer.get().provider()).isEqualTo("ollama");
              assertThat(writer.get().model()).isEqualTo("llama3.1");
              assertThat(app.getBean(CardProviderProperties.class).toString())
                  .doesNotContain("sk-secret-77");
            });

    // Closed: no dispatcher to take the card, answered at once with no call.
    assertThat(writer.get().write(new CardWritingRequest(UUID.randomUUID(), List.of())).join())
        .isEqualTo(new CardWriting.NotWritten(ProviderCallOutcome.ERROR, List.of()));
  }
}
