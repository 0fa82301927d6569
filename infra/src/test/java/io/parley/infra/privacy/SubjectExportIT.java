package io.parley.infra.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.infra.support.ApiClient.Response;
import io.parley.infra.support.ParleyIntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The GDPR export holds every kind of data a subject can create today (consents and their history,
 * conversations, messages) and nobody else's personal data.
 */
class SubjectExportIT extends ParleyIntegrationTest {

  @Test
  void exportHoldsEverythingOfTheSubject_andNothingPersonalOfOthers() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String ann = "ann-" + run;
    String ben = "ben-" + run;
    String annToken = api.token(ann, "USER");
    String benToken = api.token(ben, "USER");

    String annsTitle = "ANN-TITLE-" + run;
    String bensTitle = "BEN-TITLE-" + run;
    String annsRoom =
        api.postJson(
                "/api/v1/conversations",
                annToken,
                Map.of("title", annsTitle, "participants", List.of(ben)))
            .json()
            .get("conversationId")
            .asText();
    String bensRoom =
        api.postJson(
                "/api/v1/conversations",
                benToken,
                Map.of("title", bensTitle, "participants", List.of(ann)))
            .json()
            .get("conversationId")
            .asText();
    List<String> annsTexts = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      String text = "ANN-" + i + "-" + run;
      annsTexts.add(text);
      api.postJson(
          "/api/v1/conversations/" + (i % 2 == 0 ? annsRoom : bensRoom) + "/messages",
          annToken,
          Map.of("text", text));
    }
    String bensText = "BEN-SAYS-" + run;
    api.postJson(
        "/api/v1/conversations/" + annsRoom + "/messages", benToken, Map.of("text", bensText));
    api.putJson(
        "/api/v1/me/consents/CARD_GENERATION",
        annToken,
        Map.of("granted", true, "policyVersion", "v1"));
    api.putJson(
        "/api/v1/me/consents/CARD_GENERATION",
        annToken,
        Map.of("granted", false, "policyVersion", "v2"));

    Response export =
        eventually(
            () -> api.get("/api/v1/me/export", annToken),
            r ->
                r.status() == 200
                    && r.json().get("messages").size() == 4
                    && r.json().get("consentHistory").size() == 2
                    && r.json().get("conversations").size() == 2);
    assertThat(export.header("Content-Disposition")).startsWith("attachment");
    JsonNode doc = export.json();
    assertThat(doc.get("subjectId").asText()).isEqualTo(ann);
    assertThat(doc.get("generatedAt").asText()).endsWith("Z");
    for (String section :
        List.of(
            "consents",
            "consentHistory",
            "conversations",
            "messages",
            "flagsRaised",
            "flagsAgainst",
            "cards")) {
      assertThat(doc.get(section).isArray()).as(section).isTrue();
    }
    List<String> texts = new ArrayList<>();
    doc.get("messages")
        .forEach(
            m -> {
              texts.add(m.get("text").asText());
              assertThat(m.get("verdict").asText()).isEqualTo("ALLOWED");
              assertThat(m.has("messageId") && m.has("conversationId") && m.has("sentAt")).isTrue();
            });
    assertThat(texts).containsExactlyInAnyOrderElementsOf(annsTexts);
    assertThat(doc.get("consents").get(0).get("granted").asBoolean()).isFalse();
    assertThat(doc.get("consents").get(0).get("policyVersion").asText()).isEqualTo("v2");
    assertThat(export.body()).contains(annsTitle);
    // Nobody else's personal data: not Ben's messages, not the title of Ben's conversation.
    assertThat(export.body()).doesNotContain(bensText).doesNotContain(bensTitle);

    // Compliance sees the same document for any subject.
    String officer = api.token("officer-" + run, "COMPLIANCE");
    JsonNode byCompliance =
        api.get("/api/v1/compliance/subjects/" + ann + "/export", officer).json();
    assertThat(byCompliance.get("messages")).hasSize(4);
    assertThat(byCompliance.get("subjectId").asText()).isEqualTo(ann);
  }
}
