package io.parley.infra.privacy;

import static io.parley.migrations.jooq.Tables.CONSENT;
import static io.parley.migrations.jooq.Tables.CONSENT_HISTORY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parley.infra.support.ApiClient.Response;
import io.parley.infra.support.ParleyIntegrationTest;
import io.parley.query.subject.SubjectExportWriter;
import java.io.ByteArrayOutputStream;
import java.sql.Connection;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The GDPR export holds every kind of data a subject can create today (consents and their history,
 * conversations, messages) and nobody else's personal data.
 */
class SubjectExportIT extends ParleyIntegrationTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Autowired DSLContext db;
  @Autowired DataSource dataSource;
  @Autowired PlatformTransactionManager transactions;

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

    // Ben's message must be projected before the export is read, or its absence proves nothing.
    eventually(
        () -> api.get("/api/v1/conversations/" + annsRoom + "/messages", annToken),
        r -> r.status() == 200 && r.body().contains(bensText));
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

  /**
   * A projection committing while an export is being written must not show up in some sections and
   * not others: the export is one snapshot. Here the consent projection's tables change (on another
   * connection, committed) right after the export has read the current consents; the history in the
   * same document must still be the one that matches them.
   */
  @Test
  void exportIsOneSnapshot_evenWhenAProjectionCommitsBetweenItsSections() throws Exception {
    String subject = "snap-" + UUID.randomUUID().toString().substring(0, 8);
    OffsetDateTime v1At = OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
    db.insertInto(CONSENT)
        .set(CONSENT.SUBJECT_ID, subject)
        .set(CONSENT.PURPOSE, "CARD_GENERATION")
        .set(CONSENT.GRANTED, true)
        .set(CONSENT.POLICY_VERSION, "v1")
        .set(CONSENT.CHANGED_AT, v1At)
        .execute();
    insertHistory(db, subject, "v1", v1At);

    ExecuteListener commitAfterFirstRead =
        new ExecuteListener() {
          private boolean done;

          @Override
          public void executeEnd(ExecuteContext ctx) {
            if (done) {
              return;
            }
            done = true;
            // Another connection, auto-commit: what the consent projection does between the
            // export's first and second section.
            try (Connection other = dataSource.getConnection()) {
              DSLContext projection = DSL.using(other, SQLDialect.POSTGRES);
              OffsetDateTime v2At = v1At.plusDays(1);
              projection
                  .update(CONSENT)
                  .set(CONSENT.GRANTED, false)
                  .set(CONSENT.POLICY_VERSION, "v2")
                  .set(CONSENT.CHANGED_AT, v2At)
                  .where(CONSENT.SUBJECT_ID.eq(subject))
                  .execute();
              insertHistory(projection, subject, "v2", v2At);
            } catch (java.sql.SQLException e) {
              throw new IllegalStateException(e);
            }
          }
        };
    DSLContext watched = DSL.using(db.configuration().deriveAppending(commitAfterFirstRead));
    ByteArrayOutputStream during = new ByteArrayOutputStream();
    new SubjectExportWriter(watched, transactions, Clock.systemUTC()).write(subject, during);

    JsonNode snapshot = JSON.readTree(during.toByteArray());
    assertThat(snapshot.get("consents").get(0).get("policyVersion").asText()).isEqualTo("v1");
    assertThat(snapshot.get("consentHistory")).hasSize(1);

    // The change did commit: the next export has both.
    ByteArrayOutputStream after = new ByteArrayOutputStream();
    new SubjectExportWriter(db, transactions, Clock.systemUTC()).write(subject, after);
    JsonNode next = JSON.readTree(after.toByteArray());
    assertThat(next.get("consents").get(0).get("policyVersion").asText()).isEqualTo("v2");
    assertThat(next.get("consentHistory")).hasSize(2);
  }

  private static void insertHistory(
      DSLContext db, String subject, String policyVersion, OffsetDateTime at) {
    db.insertInto(CONSENT_HISTORY)
        .set(CONSENT_HISTORY.EVENT_ID, UUID.randomUUID().toString())
        .set(CONSENT_HISTORY.SUBJECT_ID, subject)
        .set(CONSENT_HISTORY.PURPOSE, "CARD_GENERATION")
        .set(CONSENT_HISTORY.GRANTED, !"v2".equals(policyVersion))
        .set(CONSENT_HISTORY.POLICY_VERSION, policyVersion)
        .set(CONSENT_HISTORY.CHANGED_AT, at)
        .execute();
  }
}
