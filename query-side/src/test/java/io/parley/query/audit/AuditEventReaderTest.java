package io.parley.query.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parley.api.moderation.FlagRaisedEvent;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** How the replay tells an erased personal field from one that was never set. */
class AuditEventReaderTest {

  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aFieldStoredEncryptedThatReadsNull_isErased() throws Exception {
    JsonNode shown =
        AuditEventReader.withErasures(
            payload("{\"text\":null,\"senderId\":\"eve\"}"),
            AuditSubjectIndexProjectionTest.message("eve", null),
            payload("{\"text\":\"pd1:eve:MESSAGE:2026-03:AAAA\",\"senderId\":\"eve\"}"));

    assertThat(shown.get("text").asText()).isEqualTo("[erased]");
    assertThat(shown.get("senderId").asText()).isEqualTo("eve");
  }

  @Test
  void aFieldNeverSet_staysNull_andADecryptedOneIsShownAsItIs() throws Exception {
    JsonNode neverSet =
        AuditEventReader.withErasures(
            payload("{\"text\":null}"),
            AuditSubjectIndexProjectionTest.message("eve", null),
            payload("{\"text\":null}"));
    assertThat(neverSet.get("text").isNull()).isTrue();

    JsonNode absent =
        AuditEventReader.withErasures(
            payload("{}"), AuditSubjectIndexProjectionTest.message("eve", null), payload("{}"));
    assertThat(absent.has("text")).isFalse();

    JsonNode readable =
        AuditEventReader.withErasures(
            payload("{\"text\":\"hello\"}"),
            AuditSubjectIndexProjectionTest.message("eve", "hello"),
            payload("{\"text\":\"pd1:eve:MESSAGE:2026-03:AAAA\"}"));
    assertThat(readable.get("text").asText()).isEqualTo("hello");
  }

  @Test
  void personalFields_areFoundOncePerTypeWithTheirSubjects() {
    var fields = PersonalFields.of(FlagRaisedEvent.class);

    assertThat(fields).isNotEmpty();
    assertThat(fields).isSameAs(PersonalFields.of(FlagRaisedEvent.class));
    assertThat(fields)
        .extracting(PersonalFields.Field::name)
        .allMatch(
            name ->
                Arrays.stream(FlagRaisedEvent.class.getRecordComponents())
                    .anyMatch(c -> c.getName().equals(name)));
    assertThat(PersonalFields.of(String.class)).isEmpty();
  }

  static ObjectNode payload(String json) throws Exception {
    return (ObjectNode) JSON.readTree(json);
  }
}
