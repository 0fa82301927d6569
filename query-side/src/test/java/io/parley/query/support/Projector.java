package io.parley.query.support;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Delivers events to a projection the way Axon's event processors do: through {@link
 * AnnotationEventHandlerAdapter}, so the real {@code @EventHandler} and {@code @ResetHandler}
 * methods run with their parameters resolved (the {@link EventMessage}, its identifier). Delivering
 * the same message again is a redelivery: same identifier, same payload. Handlers run inside a unit
 * of work, as in a processor: one per event, or one per batch ({@link #handleAll}).
 */
public final class Projector {

  private final AnnotationEventHandlerAdapter adapter;

  public Projector(Object projection) {
    this.adapter = new AnnotationEventHandlerAdapter(projection);
  }

  /** An event message of this payload, with an identifier of its own. */
  public static EventMessage<?> event(Object payload) {
    return GenericEventMessage.asEventMessage(payload);
  }

  /** Event messages of these payloads, each with an identifier of its own. */
  public static List<EventMessage<?>> messages(Object... payloads) {
    return Arrays.stream(payloads)
        .<EventMessage<?>>map(GenericEventMessage::asEventMessage)
        .toList();
  }

  /** Whether the projection has a handler for this event. */
  public boolean canHandle(EventMessage<?> event) {
    return adapter.canHandle(event);
  }

  /**
   * Handles one event in a unit of work of its own (a batch of one), unless it is part of a batch
   * already; refuses one the projection has no handler for (a test mistake).
   */
  public void handle(EventMessage<?> event) {
    inOneBatch(event, () -> invoke(event));
  }

  private void invoke(EventMessage<?> event) {
    if (!canHandle(event)) {
      throw new IllegalArgumentException(
          adapter.getTargetType().getSimpleName()
              + " has no handler for "
              + event.getPayloadType());
    }
    try {
      adapter.handle(event);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Handles the events in order, once each, as one batch: in one unit of work, as a streaming
   * processor does, so what a projection writes per batch is written when the batch commits.
   */
  public void handleAll(List<? extends EventMessage<?>> events) {
    if (!events.isEmpty()) {
      inOneBatch(events.get(0), () -> events.forEach(this::invoke));
    }
  }

  private static void inOneBatch(EventMessage<?> first, Runnable handling) {
    if (CurrentUnitOfWork.isStarted()) {
      handling.run();
      return;
    }
    UnitOfWork<?> batch = DefaultUnitOfWork.startAndGet(first);
    try {
      handling.run();
    } catch (RuntimeException | Error e) {
      batch.rollback(e);
      throw e;
    }
    batch.commit();
  }

  /** Handles the events in order, each delivered twice in a row. */
  public void handleEachTwice(List<? extends EventMessage<?>> events) {
    for (EventMessage<?> event : events) {
      handle(event);
      handle(event);
    }
  }

  /** The rows after one pass over a history ({@code once}) and after it was delivered again. */
  public record TwoPasses<R>(R once, R again) {}

  /**
   * A redelivered event: {@code history} handled once and {@code rows} read; then {@code clear}ed
   * and handled again with each event delivered twice in a row, and {@code rows} read again.
   */
  public <R> TwoPasses<R> onceThenEachTwice(
      List<? extends EventMessage<?>> history, Supplier<R> rows, Runnable clear) {
    handleAll(history);
    R once = rows.get();
    clear.run();
    handleEachTwice(history);
    return new TwoPasses<>(once, rows.get());
  }

  /** A redelivered history: handled once, then the whole of it delivered again on top. */
  public <R> TwoPasses<R> onceThenAgain(List<? extends EventMessage<?>> history, Supplier<R> rows) {
    handleAll(history);
    R once = rows.get();
    handleAll(history);
    return new TwoPasses<>(once, rows.get());
  }

  /**
   * A replay: handled once; then the {@code @ResetHandler}, {@code afterReset} (a check that it
   * cleared what it should), and the same stored events (same identifiers) handled again.
   */
  public <R> TwoPasses<R> onceThenReplayedAfterReset(
      List<? extends EventMessage<?>> history, Supplier<R> rows, Runnable afterReset) {
    handleAll(history);
    R once = rows.get();
    reset();
    afterReset.run();
    handleAll(history);
    return new TwoPasses<>(once, rows.get());
  }

  /** What a processor does before a replay: calls the projection's {@code @ResetHandler}. */
  public void reset() {
    if (!adapter.supportsReset()) {
      throw new IllegalStateException(adapter.getTargetType().getSimpleName() + " has no reset");
    }
    adapter.prepareReset();
  }
}
