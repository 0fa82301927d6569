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

  public MeteredToxicityScorer(ToxicityScorer delegate, String configured, MeterRegistry meters) {
    this.delegate = delegate;
    this.configured = configured;
    this.meters = meters;
  }

  @Override
  public ToxicityAssessment score(String text) {
    long start = System.nanoTime();
    ToxicityAssessment assessment = delegate.score(text);
    long elapsed = System.nanoTime() - start;
    Timer.builder("parley.moderation.scorer.latency")
        .description("Time to score a message, fallback included")
        .tag("scorer", configured)
        .tag("outcome", assessment.fellBack() ? "fallback" : "ok")
        .publishPercentileHistogram()
        .register(meters)
        .record(elapsed, java.util.concurrent.TimeUnit.NANOSECONDS);
    if (assessment.fellBack()) {
      Counter.builder("parley.moderation.scorer.fallbacks")
          .description("Messages scored by the fallback scorer because the configured one failed")
          .tag("scorer", configured)
          .tag("reason", assessment.fallbackReason())
          .register(meters)
          .increment();
    }
    return assessment;
  }
}
