package io.parley.infra.moderation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.parley.command.moderation.ToxicityAssessment;
import io.parley.command.moderation.ToxicityScorer;

/**
 * Measures the configured scorer: {@code parley.moderation.scorer.latency} (tagged with the
 * configured scorer and whether it answered itself or fell back) and {@code
 * parley.moderation.scorer.fallbacks} by reason. Tags come from fixed vocabularies, never from the
 * text.
 */
public class MeteredToxicityScorer implements ToxicityScorer {

  private final ToxicityScorer delegate;
  private final String configured;
  private final MeterRegistry meters;
  private final Timer answered;
  private final Timer fellBack;

  public MeteredToxicityScorer(ToxicityScorer delegate, String configured, MeterRegistry meters) {
    this.delegate = delegate;
    this.configured = configured;
    this.meters = meters;
    this.answered = latency("ok");
    this.fellBack = latency("fallback");
  }

  @Override
  public ToxicityAssessment score(String text) {
    long start = System.nanoTime();
    ToxicityAssessment assessment = delegate.score(text);
    long elapsed = System.nanoTime() - start;
    (assessment.fellBack() ? fellBack : answered)
        .record(elapsed, java.util.concurrent.TimeUnit.NANOSECONDS);
    if (assessment.fellBack()) { // rare: registered (looked up) only then, by reason
      Counter.builder("parley.moderation.scorer.fallbacks")
          .description("Messages scored by the fallback scorer because the configured one failed")
          .tag("scorer", configured)
          .tag("reason", assessment.fallbackReason())
          .register(meters)
          .increment();
    }
    return assessment;
  }

  private Timer latency(String outcome) {
    return Timer.builder("parley.moderation.scorer.latency")
        .description("Time to score a message, fallback included")
        .tag("scorer", configured)
        .tag("outcome", outcome)
        .publishPercentileHistogram()
        .register(meters);
  }
}
