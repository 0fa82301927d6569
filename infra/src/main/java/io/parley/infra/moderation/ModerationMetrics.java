package io.parley.infra.moderation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.parley.api.conversation.MessageBlockedEvent;
import io.parley.api.conversation.MessageSentEvent;
import io.parley.api.conversation.Verdict;
import io.parley.api.moderation.FlagOutcome;
import io.parley.api.moderation.FlagRaisedAutomaticallyEvent;
import io.parley.api.moderation.FlagRaisedEvent;
import io.parley.api.moderation.FlagResolvedEvent;
import io.parley.api.moderation.FlagSource;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.axonframework.common.Registration;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Moderation counters, fed by the events this node publishes, each moved only after the publishing
 * transaction committed. Tags are fixed vocabularies (verdict, source, outcome).
 *
 * <ul>
 *   <li>{@code parley.moderation.verdicts{verdict}}: messages by verdict
 *   <li>{@code parley.moderation.flags.raised{source}}: flags by source (USER, AUTO)
 *   <li>{@code parley.moderation.flags.resolution{outcome}}: time from raised to resolved
 * </ul>
 *
 * <p>A plain subscription to Axon's event bus rather than an event processor: counters must see
 * each event once, where it is published, and never on a replay (a tracking processor would count a
 * projection rebuild twice). A subscribing processor does that too, but wrapped in a unit of work,
 * a savepoint and four per-message Axon monitors on every send, for three counters.
 */
@Component
public class ModerationMetrics implements DisposableBean {

  private final Map<Verdict, Counter> verdicts;
  private final Map<FlagSource, Counter> flagsRaised;
  private final Map<FlagOutcome, Timer> resolutions;
  private final Registration subscription;

  public ModerationMetrics(MeterRegistry meters, EventBus eventBus) {
    this.verdicts =
        oneEach(
            Verdict.class,
            verdict ->
                Counter.builder("parley.moderation.verdicts")
                    .description("Messages by moderation verdict")
                    .tag("verdict", verdict.name())
                    .register(meters));
    this.flagsRaised =
        oneEach(
            FlagSource.class,
            source ->
                Counter.builder("parley.moderation.flags.raised")
                    .description("Flags raised, by source")
                    .tag("source", source.name())
                    .register(meters));
    this.resolutions =
        oneEach(
            FlagOutcome.class,
            outcome ->
                Timer.builder("parley.moderation.flags.resolution")
                    .description("Time from a flag being raised to its resolution")
                    .tag("outcome", outcome.name())
                    .register(meters));
    this.subscription = eventBus.subscribe(this::count);
  }

  /** A meter per value of a fixed vocabulary, registered up front (no lookup per event). */
  private static <E extends Enum<E>, M> Map<E, M> oneEach(Class<E> type, Function<E, M> meter) {
    Map<E, M> meters = new EnumMap<>(type);
    for (E value : type.getEnumConstants()) {
      meters.put(value, meter.apply(value));
    }
    return meters;
  }

  void count(List<? extends EventMessage<?>> events) {
    for (EventMessage<?> event : events) {
      Class<?> type = event.getPayloadType();
      if (type == MessageSentEvent.class) {
        afterCommit(verdicts.get(((MessageSentEvent) event.getPayload()).verdict())::increment);
      } else if (type == MessageBlockedEvent.class) {
        afterCommit(verdicts.get(Verdict.BLOCKED)::increment);
      } else if (type == FlagRaisedEvent.class) {
        afterCommit(flagsRaised.get(FlagSource.USER)::increment);
      } else if (type == FlagRaisedAutomaticallyEvent.class) {
        afterCommit(flagsRaised.get(FlagSource.AUTO)::increment);
      } else if (type == FlagResolvedEvent.class) {
        FlagResolvedEvent resolved = (FlagResolvedEvent) event.getPayload();
        Duration elapsed = Duration.between(resolved.raisedAt(), resolved.resolvedAt());
        afterCommit(() -> resolutions.get(resolved.outcome()).record(elapsed));
      }
    }
  }

  private static void afterCommit(Runnable action) {
    if (CurrentUnitOfWork.isStarted()) {
      CurrentUnitOfWork.get().afterCommit(unitOfWork -> action.run());
    } else {
      action.run();
    }
  }

  @Override
  public void destroy() {
    subscription.cancel();
  }
}
