package io.parley.infra.conversation;

import io.parley.api.conversation.MessageSentEvent;
import io.parley.api.moderation.MessageRemovedEvent;
import io.parley.api.subject.SubjectErasedEvent;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.async.SequencingPolicy;
import org.axonframework.eventhandling.async.SequentialPerAggregatePolicy;

/**
 * Orders a projection's events by the data subject they belong to where that matters: a message and
 * its sender's erasure land in the same segment, in store order. Otherwise a segment that lags
 * could insert a message (decrypted with a key still cached on its node) after another segment had
 * already erased that sender's rows. A moderator's removal of a message is ordered with its sender
 * too, so that a replay never marks a row removed before the row exists. Everything else is ordered
 * per aggregate.
 */
public class SubjectOrderedSequencingPolicy implements SequencingPolicy<EventMessage<?>> {

  @Override
  public Object getSequenceIdentifierFor(EventMessage<?> event) {
    Object payload = event.getPayload();
    if (payload instanceof MessageSentEvent message) {
      return message.senderId();
    }
    if (payload instanceof MessageRemovedEvent removed) {
      return removed.messageSenderId(); // after the message it removes, also on replay
    }
    if (payload instanceof SubjectErasedEvent erased) {
      return erased.subjectId();
    }
    return SequentialPerAggregatePolicy.instance().getSequenceIdentifierFor(event);
  }
}
