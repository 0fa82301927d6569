package io.parley.infra.moderation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.parley.api.conversation.MessageBlockedEvent;
import io.parley.api.conversation.MessageSentEvent;
import io.parley.api.conversation.Verdict;
import io.parley.api.moderation.FlagRaisedAutomaticallyEvent;
import io.parley.api.moderation.FlagRaisedEvent;
import io.parley.api.moderation.FlagResolvedEvent;
import io.parley.api.moderation.FlagSource;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.stereotype.Component;

/**
 * Moderation counters, fed by the events as they are published (a subscribing processor: no replay,
 * so a projection rebuild never counts twice). Each meter moves only after the command's
 * transaction committed. Tags are fixed vocabularies (verdict, source, outcome).
 *
 * <ul>
 *   <li>{@code parley.moderation.verdicts{verdict}}: messages by verdict
 *   <li>{@code parley.moderation.flags.raised{source}}: flags by source (USER, AUTO)
 *   <li>{@code parley.moderation.flags.resolution{outcome}}: time from raised to resolved
 * </ul>
 */
@Component
@ProcessingGroup(ModerationMetrics.PROCESSING_GROUP)
public class ModerationMetrics {

  public static final String PROCESSING_GROUP = "moderation-metrics";

  private final MeterRegistry meters;
  private final Map<Verdict, Counter> verdicts = new EnumMap<>(Verdict.class);
  private final Map<FlagSource, Counter> flagsRaised = new EnumMap<>(FlagSource.class);

  public ModerationMetrics(MeterRegistry meters) {
    this.meters = meters;
    for (Verdict verdict : Verdict.values()) {
      verdicts.put(
          verdict,
          Counter.builder("parley.moderation.verdicts")
              .description("Messages by moderation verdict")
              .tag("verdict", verdict.name())
              .register(meters));
    }
    for (FlagSource source : FlagSource.values()) {
      flagsRaised.put(
          source,
          Counter.builder("parley.moderation.flags.raised")
              .description("Flags raised, by source")
              .tag("source", source.name())
              .register(meters));
    }
  }

  @EventHandler
  void on(MessageSentEvent event) {
    verdict(event.verdict());
  }

  @EventHandler
  void on(MessageBlockedEvent event) {
    verdict(Verdict.BLOCKED);
  }

  @EventHandler
  void on(FlagRaisedEvent event) {
    flagRaised(FlagSource.USER);
  }

  @EventHandler
  void on(FlagRaisedAutomaticallyEvent event) {
    flagRaised(FlagSource.AUTO);
  }

  @EventHandler
  void on(FlagResolvedEvent event) {
    Timer timer =
        Timer.builder("parley.moderation.flags.resolution")
            .description("Time from a flag being raised to its resolution")
            .tag("outcome", event.outcome().name())
            .register(meters);
    Duration elapsed = Duration.between(event.raisedAt(), event.resolvedAt());
    afterCommit(() -> timer.record(elapsed));
  }

  private void verdict(Verdict verdict) {
    afterCommit(verdicts.get(verdict)::increment);
  }

  private void flagRaised(FlagSource source) {
    afterCommit(flagsRaised.get(source)::increment);
  }

  private static void afterCommit(Runnable action) {
    if (CurrentUnitOfWork.isStarted()) {
      CurrentUnitOfWork.get().afterCommit(unitOfWork -> action.run());
    } else {
      action.run();
    }
  }
}
