package io.parley.infra.moderation;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.command.moderation.ToxicityAssessment;
import io.parley.command.moderation.ToxicityScorer;
import io.parley.infra.axon.CommandBatchProperties;
import io.parley.text.toxicity.LexiconToxicityScorer;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Which scorer Parley runs, and that the metered wrapper counts what happened. */
class ModerationConfigTest {

  static final CommandBatchProperties BATCHES =
      new CommandBatchProperties(64, java.time.Duration.ofMillis(2), 16);

  final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  @Test
  void withoutAnApiKey_theBuiltInScorerAnswers() {
    ToxicityScorer scorer =
        new ModerationConfig().toxicityScorer(perspective(null), BATCHES, meters);

    ToxicityAssessment assessment = scorer.score("see you at noon");

    assertThat(assessment.scorer()).isEqualTo(LexiconToxicityScorer.NAME);
    assertThat(assessment.fellBack()).isFalse();
    assertThat(
            meters
                .get("parley.moderation.scorer.latency")
                .tag("scorer", LexiconToxicityScorer.NAME)
                .tag("outcome", "ok")
                .timer()
                .count())
        .isEqualTo(1);
  }

  @Test
  void withAnApiKey_perspectiveIsAsked_andAFailureFallsBackToTheBuiltInScorer_andIsCounted() {
    // Nothing listens on port 1: every attempt is refused at once.
    ToxicityScorer scorer =
        new ModerationConfig().toxicityScorer(perspective("key"), BATCHES, meters);

    ToxicityAssessment assessment = scorer.score("see you at noon");

    assertThat(assessment.scorer()).isEqualTo(LexiconToxicityScorer.NAME);
    assertThat(assessment.fallbackReason()).isEqualTo("perspective:io-error");
    assertThat(
            meters
                .get("parley.moderation.scorer.fallbacks")
                .tag("scorer", PerspectiveToxicityScorer.NAME)
                .tag("reason", "perspective:io-error")
                .counter()
                .count())
        .isEqualTo(1.0);
  }

  static PerspectiveProperties perspective(String apiKey) {
    return new PerspectiveProperties(
        apiKey,
        URI.create("http://127.0.0.1:1/v1alpha1/comments:analyze"),
        Duration.ofMillis(500),
        new PerspectiveProperties.RetrySettings(2, Duration.ofMillis(10), 2),
        new PerspectiveProperties.CircuitBreakerSettings(50, 20, 10, Duration.ofSeconds(30)));
  }
}
