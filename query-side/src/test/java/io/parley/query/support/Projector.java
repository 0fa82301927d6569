package io.parley.query.support;

import java.util.Arrays;
import java.util.List;
import org.axonframework.eventhandling.AnnotationEventHandlerAdapter;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;

/**
 * Delivers events to a projection the way Axon's event processors do: through {@link
 * AnnotationEventHandlerAdapter}, so the real {@code @EventHandler} and {@code @ResetHandler}
 * methods run with their parameters resolved (the {@link EventMessage}, its identifier). Delivering
 * the same message again is a redelivery: same identifier, same payload.
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

  /** Handles one event; refuses one the projection has no handler for (a test mistake). */
  public void handle(EventMessage<?> event) {
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

  /** Handles the events in order, once each. */
  public void handleAll(List<? extends EventMessage<?>> events) {
    events.forEach(this::handle);
  }

  /** Handles the events in order, each delivered twice in a row. */
  public void handleEachTwice(List<? extends EventMessage<?>> events) {
    for (EventMessage<?> event : events) {
      handle(event);
      handle(event);
    }
  }

  /** What a processor does before a replay: calls the projection's {@code @ResetHandler}. */
  public void reset() {
    if (!adapter.supportsReset()) {
      throw new IllegalStateException(adapter.getTargetType().getSimpleName() + " has no reset");
    }
    adapter.prepareReset();
  }
}
