package io.parley.infra.moderation;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.parley.api.moderation.FlagStatus;
import io.parley.command.moderation.ToxicityScorer;
import io.parley.query.moderation.ModerationQueryHandler;
import java.util.List;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Moderation wiring: the toxicity scorer (Perspective when {@code
 * parley.moderation.perspective.api-key} is set, falling back to the built-in lexicon scorer;
 * otherwise the built-in scorer alone), the shared send rate limiter and its cleanup task, and the
 * moderator-queue gauges.
 */
@Configuration(proxyBeanMethods = false)
public class ModerationConfig {

  private static final Logger log = LoggerFactory.getLogger(ModerationConfig.class);

  static final String RATE_LIMIT_CLEANUP_TASK = "send-rate-limit-cleanup";

  @Bean
  public ToxicityScorer toxicityScorer(PerspectiveProperties perspective, MeterRegistry meters) {
    ToxicityScorer builtIn = new LexiconToxicityScorer();
    if (perspective.apiKey() == null || perspective.apiKey().isBlank()) {
      log.info("Toxicity scorer: {} (built in)", LexiconToxicityScorer.NAME);
      return new MeteredToxicityScorer(builtIn, LexiconToxicityScorer.NAME, meters);
    }
    log.info(
        "Toxicity scorer: {} at {}, falling back to {}",
        PerspectiveToxicityScorer.NAME,
        perspective.url(),
        LexiconToxicityScorer.NAME);
    return new MeteredToxicityScorer(
        new PerspectiveToxicityScorer(perspective, builtIn, meters),
        PerspectiveToxicityScorer.NAME,
        meters);
  }

  @Bean
  public JooqSendRateLimiter sendRateLimiter(DSLContext db, RateLimitProperties properties) {
    return new JooqSendRateLimiter(db, properties);
  }

  @Bean
  public RecurringTask<Void> sendRateLimitCleanupTask(
      JooqSendRateLimiter limiter, RateLimitProperties properties) {
    return Tasks.recurring(RATE_LIMIT_CLEANUP_TASK, FixedDelay.of(properties.cleanupInterval()))
        .execute((instance, context) -> limiter.deleteExpired());
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
