package io.parley.ops.deadletter;

import java.util.Optional;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;

/**
 * The port through which the dead-letter API retries: the {@link SequencedDeadLetterProcessor} of a
 * processing group, a projection's (Axon's {@code EventProcessingConfiguration}) or a saga
 * processor's (which Axon 4 does not have; the application provides it).
 */
@FunctionalInterface
public interface DeadLetterProcessors {

  Optional<SequencedDeadLetterProcessor<EventMessage<?>>> of(String processingGroup);
}
