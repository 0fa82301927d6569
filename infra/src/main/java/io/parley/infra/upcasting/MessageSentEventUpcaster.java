package io.parley.infra.upcasting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.api.conversation.MessageSentEvent;
import org.axonframework.serialization.SimpleSerializedType;
import org.axonframework.serialization.upcasting.event.IntermediateEventRepresentation;
import org.axonframework.serialization.upcasting.event.SingleEventUpcaster;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Revision 1 → 2 of {@link MessageSentEvent}: revision 2 added the per-attribute {@code scores} and
 * the {@code scorer}. Revision 1 messages were sent before scoring existed (verdict ALLOWED, their
 * single {@code toxicity} is all there is), so they read as scored by {@value
 * MessageSentEvent#UNSCORED} with that toxicity as the general attribute and zero elsewhere.
 */
@Component
@Order(0)
public class MessageSentEventUpcaster extends SingleEventUpcaster {

  private static final SimpleSerializedType REVISION_1 =
      new SimpleSerializedType(MessageSentEvent.class.getName(), "1");
  private static final SimpleSerializedType REVISION_2 =
      new SimpleSerializedType(MessageSentEvent.class.getName(), "2");

  @Override
  protected boolean canUpcast(IntermediateEventRepresentation representation) {
    return REVISION_1.equals(representation.getType());
  }

  @Override
  protected IntermediateEventRepresentation doUpcast(
      IntermediateEventRepresentation representation) {
    return representation.upcastPayload(REVISION_2, JsonNode.class, MessageSentEventUpcaster::v2);
  }

  private static JsonNode v2(JsonNode payload) {
    ObjectNode event = (ObjectNode) payload;
    JsonNode toxicity = event.path("toxicity");
    ObjectNode scores = event.putObject("scores");
    scores.set("toxicity", toxicity.isMissingNode() ? scores.numberNode(0) : toxicity);
    scores.put("severeToxicity", 0);
    scores.put("insult", 0);
    scores.put("threat", 0);
    event.put("scorer", MessageSentEvent.UNSCORED);
    return event;
  }
}
