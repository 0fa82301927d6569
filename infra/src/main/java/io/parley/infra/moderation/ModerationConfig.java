package io.parley.infra.moderation;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.api.moderation.FlagStatus;
import io.parley.command.moderation.ToxicityAssessment;
import io.parley.command.moderation.ToxicityScorer;
import io.parley.infra.axon.CommandBatchProperties;
import io.parley.query.moderation.ModerationQueryHandler;
import io.parley.text.toxicity.LexiconToxicityScorer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Moderation wiring: the toxicity scorer (Perspective when {@code
 * parley.moderation.perspective.api-key} is set, falling back to the built-in lexicon scorer;
 * otherwise the built-in scorer alone, adapted from {@code text-analysis}) and the moderator-queue
 * gauges.
 */
@Configuration(proxyBeanMethods = false)
public class ModerationConfig {

  private static final Logger log = LoggerFactory.getLogger(ModerationConfig.class);

  @Bean
  public ToxicityScorer toxicityScorer(
      PerspectiveProperties perspective, CommandBatchProperties batches, MeterRegistry meters) {
    LexiconToxicityScorer lexicon = new LexiconToxicityScorer();
    ToxicityScorer builtIn =
        text -> ToxicityAssessment.by(LexiconToxicityScorer.NAME, lexicon.score(text));
    if (perspective.apiKey() == null || perspective.apiKey().isBlank()) {
      log.info("Toxicity scorer: {} (built in)", LexiconToxicityScorer.NAME);
      return new MeteredToxicityScorer(builtIn, LexiconToxicityScorer.NAME, meters);
    }
    log.info(
        "Toxicity scorer: {} at {}, falling back to {}",
        PerspectiveToxicityScorer.NAME,
        perspective.url(),
        LexiconToxicityScorer.NAME);
    if (batches.committers() == 1) {
      log.warn(
          "A remote toxicity scorer with one command batch thread: each batch calls it once per"
              + " message, one call after another. Set parley.command-batch.committers (for"
              + " example 16) to overlap batches (ADR 0021, docs/runbooks/plug-in-perspective.md)");
    }
    return new MeteredToxicityScorer(
        new PerspectiveToxicityScorer(perspective, builtIn, meters),
        PerspectiveToxicityScorer.NAME,
        meters);
  }

  /** {@code parley.moderation.queue.size{status}}: flags waiting for, or under, review. */
  @Bean
  public List<Gauge> moderationQueueGauges(ModerationQueryHandler queue, MeterRegistry meters) {
    return List.of(FlagStatus.PENDING, FlagStatus.REVIEWING).stream()
        .map(
            status ->
                Gauge.builder("parley.moderation.queue.size", queue, q -> q.countInStatus(status))
                    .description("Flags in the moderator queue")
                    .tag("status", status.name())
                    .register(meters))
        .toList();
  }
}
