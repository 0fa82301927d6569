package io.parley.infra.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.api.privacy.DataCategory;
import io.parley.infra.support.ApiClient.Response;
import io.parley.infra.support.ParleyIntegrationTest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Erasure, proven from the raw rows: after a compliance officer erases a subject, no column of any
 * table holds their text, and no remaining key decrypts any stored envelope to it. Other subjects'
 * data still reads back.
 */
class ErasureIT extends ParleyIntegrationTest {

  static final Pattern ENVELOPE =
      Pattern.compile("pd1:[A-Za-z0-9._@-]+:[A-Z_]+:[0-9-]+:[A-Za-z0-9_-]+");

  @Autowired JdbcTemplate jdbc;
  @Autowired MasterKeys masterKeys;
  @Autowired PersonalDataCipher cipher;

  /** A personal field of a card's CardGeneratedEvent as stored (its envelope). */
  String storedCardField(String cardId, String field) throws Exception {
    String payload =
        jdbc.queryForObject(
            "select convert_from(payload, 'UTF8') from domain_event_entry"
                + " where aggregate_identifier = ?"
                + " and payload_type = 'io.parley.api.card.CardGeneratedEvent'",
            String.class,
            cardId);
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(payload).get(field).asText();
  }

  @Test
  void immediateErasure_leavesNoRecoverableTrace_andSparesOthers() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String eve = "eve-" + run;
    String bob = "bob-" + run;
    String eveToken = api.token(eve, "USER");
    String bobToken = api.token(bob, "USER");
    String officer = api.token("officer-" + run, "COMPLIANCE");
    List<String> eveSecrets = new ArrayList<>();

    // Eve owns a conversation, writes in it and in Bob's, consents to things.
    String eveTitle = "EVE-TITLE-" + run;
    eveSecrets.add(eveTitle);
    String eves = startConversation(eveToken, eveTitle, bob);
    String bobs = startConversation(bobToken, "bob's room " + run, eve);
    for (int i = 0; i < 3; i++) {
      String text = "EVE-SAYS-" + i + "-" + run;
      eveSecrets.add(text);
      assertThat(send(eveToken, i % 2 == 0 ? eves : bobs, text).status()).isEqualTo(201);
    }
    String bobText = "BOB-SAYS-" + run;
    send(bobToken, eves, bobText);
    api.putJson(
        "/api/v1/me/consents/ANALYTICS", eveToken, Map.of("granted", true, "policyVersion", "v1"));
    for (String token : List.of(eveToken, bobToken)) {
      api.putJson(
          "/api/v1/me/consents/CARD_GENERATION",
          token,
          Map.of("granted", true, "policyVersion", "v1"));
    }
    // Every projection the assertions below read must have Eve's data (the title proves her room's
    // conversation rows exist, which the certificate counts) and Bob's message (another sender:
    // possibly another timeline segment) before she is erased.
    eventually(
        () -> api.get("/api/v1/me/export", eveToken),
        r -> r.status() == 200 && eveSecrets.stream().allMatch(r.body()::contains));
    eventually(
        () -> api.get("/api/v1/conversations/" + eves + "/messages", bobToken),
        r -> r.status() == 200 && r.body().contains(bobText));
    awaitSagaProcessorReady(jdbc);

    // A card of Eve's room draws on Eve's and Bob's messages: its title and caption are both's.
    awaitProcessorClaimed(jdbc, "CardGenerationSagaProcessor");
    eventually(
        () -> api.get("/api/v1/me/consents", eveToken),
        r -> r.body().contains("\"CARD_GENERATION\",\"granted\":true"));
    eventually(
        () -> api.get("/api/v1/me/consents", bobToken),
        r -> r.body().contains("\"CARD_GENERATION\",\"granted\":true"));
    String cardId =
        api.postJson("/api/v1/conversations/" + eves + "/cards", bobToken, null)
            .json()
            .get("cardId")
            .asText();
    JsonNode card =
        eventually(
                () -> api.get("/api/v1/cards/" + cardId, bobToken),
                r -> r.status() == 200 && r.json().get("status").asText().equals("READY"))
            .json();
    assertThat(card.get("messageCount").asInt()).isEqualTo(3);
    String cardTitle = card.get("title").asText();
    String cardCaption = card.get("caption").asText();
    String storedTitle = storedCardField(cardId, "title");
    assertThat(storedTitle).startsWith(PersonalDataCipher.SHARED_PREFIX);
    assertThat(cipher.decrypt(storedTitle)).isEqualTo(cardTitle); // readable while both keys live
    assertThat(tablesContaining(cardTitle)).contains("card.title");

    String reason = "ERASURE-REASON-" + run;
    Response erasure =
        api.postJson(
            "/api/v1/compliance/subjects/" + eve + "/erasure",
            officer,
            Map.of("immediate", true, "reason", reason));
    assertThat(erasure.status()).as(erasure.body()).isEqualTo(202);
    assertThat(erasure.json().get("erasureId").asText()).isNotBlank();

    eventually(() -> api.get("/api/v1/me/export", eveToken), r -> r.status() == 410);
    JsonNode bobsView =
        eventually(
                () -> api.get("/api/v1/conversations/" + eves + "/messages", bobToken),
                r ->
                    r.status() == 200
                        && r.json().get("items").findValues("erased").stream()
                                .filter(JsonNode::asBoolean)
                                .count()
                            == 2)
            .json();
    for (JsonNode item : bobsView.get("items")) {
      if (item.get("senderId").asText().equals(eve)) {
        assertThat(item.get("erased").asBoolean()).isTrue();
        assertThat(item.get("text").isNull()).isTrue();
      } else {
        assertThat(item.get("text").asText()).isEqualTo(bobText); // others' data still reads
      }
    }
    eventually(
        () -> api.get("/api/v1/conversations/" + eves, bobToken),
        r -> r.status() == 200 && r.json().get("title").isNull());

    // The card: text gone for everyone (Bob included), rarity and sentiment kept; from the raw
    // bytes, neither field decrypts any more with the keys that remain.
    JsonNode erasedCard =
        eventually(
                () -> api.get("/api/v1/cards/" + cardId, bobToken),
                r -> r.status() == 200 && r.json().get("erased").asBoolean())
            .json();
    assertThat(erasedCard.get("title").isNull()).isTrue();
    assertThat(erasedCard.get("caption").isNull()).isTrue();
    assertThat(erasedCard.get("rarity")).isEqualTo(card.get("rarity"));
    assertThat(erasedCard.get("sentiment")).isEqualTo(card.get("sentiment"));
    assertThat(cipher.decrypt(storedCardField(cardId, "title"))).isNull();
    assertThat(cipher.decrypt(storedCardField(cardId, "caption"))).isNull();
    for (String cardText : List.of(cardTitle, cardCaption)) {
      if (!bobText.contains(cardText)) { // a one-word title could be part of Bob's own text
        assertThat(tablesContaining(cardText)).as(cardText).isEmpty();
      }
    }

    // The certificate: a PII-free SubjectErasedEvent with counts.
    String certificate =
        jdbc.queryForObject(
            "select convert_from(payload, 'UTF8') from domain_event_entry where aggregate_identifier = ?"
                + " and payload_type = 'io.parley.api.subject.SubjectErasedEvent'",
            String.class,
            eve);
    assertThat(certificate)
        .contains("\"messages\":3")
        .contains("\"conversationsOwned\":1")
        .contains("\"keysDestroyed\":");

    List<String> everything = new ArrayList<>(eveSecrets);
    everything.add(reason); // the officer's reason is the officer's data, not Eve's: it survives
    assertThat(tablesContaining(bobText)).isNotEmpty(); // the scan does find live data
    for (String secret : eveSecrets) {
      assertThat(tablesContaining(secret)).as(secret).isEmpty();
    }
    assertThat(tablesContaining(reason)).isEmpty(); // encrypted at rest, under the officer's key
    assertThat(decryptableWithAnyRemainingKey(eveSecrets)).isEmpty();
    assertThat(data_keysOf(eve)).isZero();
  }

  @Test
  void selfServiceErasure_answers202WithTheGracePeriod_andCanBeCancelled() {
    String user = "grace-" + UUID.randomUUID().toString().substring(0, 8);
    String token = api.token(user, "USER");
    Response requested = api.send("POST", "/api/v1/me/erasure", token, null, null, Map.of());
    assertThat(requested.status()).isEqualTo(202);
    java.time.Instant effectiveAt =
        java.time.Instant.parse(requested.json().get("effectiveAt").asText());
    assertThat(effectiveAt).isAfter(java.time.Instant.now().plus(java.time.Duration.ofDays(29)));
    // A second request answers the pending one.
    Response again = api.send("POST", "/api/v1/me/erasure", token, null, null, Map.of());
    assertThat(again.json().get("erasureId")).isEqualTo(requested.json().get("erasureId"));
    assertThat(api.send("DELETE", "/api/v1/me/erasure", token, null, null, Map.of()).status())
        .isEqualTo(204);
    Response nothingPending = api.send("DELETE", "/api/v1/me/erasure", token, null, null, Map.of());
    assertThat(nothingPending.status()).isEqualTo(404);
    assertThat(api.get("/api/v1/me/export", token).status()).isEqualTo(200);
  }

  @Test
  void complianceEndpoints_requireTheRoleAndValidInput() {
    String user = api.token("plain-user", "USER");
    String officer = api.token("officer", "COMPLIANCE");
    assertThat(
            api.postJson(
                    "/api/v1/compliance/subjects/x/erasure",
                    user,
                    Map.of("immediate", true, "reason", "r"))
                .status())
        .isEqualTo(403);
    assertThat(api.get("/api/v1/compliance/subjects/x/export", user).status()).isEqualTo(403);
    assertThat(
            api.postJson(
                    "/api/v1/compliance/subjects/x/erasure", officer, Map.of("immediate", true))
                .status())
        .isEqualTo(400);
    assertThat(
            api.postJson(
                    "/api/v1/compliance/subjects/bad%20id/erasure",
                    officer, Map.of("immediate", true, "reason", "r"))
                .status())
        .isEqualTo(400);
  }

  String startConversation(String token, String title, String... participants) {
    return api.postJson(
            "/api/v1/conversations",
            token,
            Map.of("title", title, "participants", List.of(participants)))
        .json()
        .get("conversationId")
        .asText();
  }

  Response send(String token, String conversationId, String text) {
    return api.postJson(
        "/api/v1/conversations/" + conversationId + "/messages", token, Map.of("text", text));
  }

  int data_keysOf(String subject) {
    return jdbc.queryForObject(
        "select count(*) from data_key where subject_id = ?", Integer.class, subject);
  }

  /**
   * Every text, json and bytea column of every table in the schema that contains {@code needle}.
   */
  List<String> tablesContaining(String needle) {
    List<String> hits = new ArrayList<>();
    List<Map<String, Object>> columns =
        jdbc.queryForList(
            "select table_name, column_name, data_type from information_schema.columns"
                + " where table_schema = 'public' and data_type in"
                + " ('text', 'character varying', 'character', 'bytea', 'json', 'jsonb')");
    for (Map<String, Object> column : columns) {
      String table = (String) column.get("table_name");
      String name = (String) column.get("column_name");
      boolean bytea = "bytea".equals(column.get("data_type"));
      String predicate =
          bytea
              ? "position(convert_to(?, 'UTF8') in \"" + name + "\") > 0"
              : "\"" + name + "\"::text like '%' || ? || '%'";
      Integer count =
          jdbc.queryForObject(
              "select count(*) from \"" + table + "\" where " + predicate, Integer.class, needle);
      if (count != null && count > 0) {
        hits.add(table + "." + name);
      }
    }
    return hits;
  }

  /** Tries every remaining data key on every stored envelope; returns any that yield a secret. */
  List<String> decryptableWithAnyRemainingKey(List<String> secrets) {
    List<String> envelopes = new ArrayList<>();
    for (String table :
        List.of("domain_event_entry", "snapshot_event_entry", "saga_entry", "dead_letter_entry")) {
      String column = table.equals("saga_entry") ? "serialized_saga" : "payload";
      for (byte[] bytes : jdbc.queryForList("select " + column + " from " + table, byte[].class)) {
        if (bytes == null) {
          continue;
        }
        Matcher m = ENVELOPE.matcher(new String(bytes, StandardCharsets.UTF_8));
        while (m.find()) {
          envelopes.add(m.group());
        }
      }
    }
    assertThat(envelopes).isNotEmpty();
    List<SecretKey> keys = new ArrayList<>();
    List<DataKeyRef> refs = new ArrayList<>();
    for (Map<String, Object> row : jdbc.queryForList("select * from data_key")) {
      DataKeyRef ref =
          new DataKeyRef(
              (String) row.get("subject_id"),
              DataCategory.valueOf((String) row.get("category")),
              (String) row.get("period"));
      try {
        byte[] raw =
            AesGcm.decrypt(
                masterKeys.byId((String) row.get("master_key_id")),
                (byte[]) row.get("wrapped_key"),
                ref.keyAad());
        keys.add(new SecretKeySpec(raw, "AES"));
        refs.add(ref);
      } catch (Exception e) {
        throw new AssertionError("a remaining key does not unwrap", e);
      }
    }
    List<String> leaks = new ArrayList<>();
    for (String envelope : envelopes) {
      PersonalDataCipher.Parsed parsed = PersonalDataCipher.parse(envelope).orElseThrow();
      for (int k = 0; k < keys.size(); k++) {
        for (byte[] aad : List.of(parsed.ref().fieldAad(), refs.get(k).fieldAad())) {
          try {
            String clear =
                new String(
                    AesGcm.decrypt(keys.get(k), parsed.sealed(), aad), StandardCharsets.UTF_8);
            if (secrets.stream().anyMatch(clear::contains)) {
              leaks.add(envelope);
            }
          } catch (Exception expected) {
            // wrong key or wrong binding: nothing recovered
          }
        }
      }
    }
    return leaks;
  }
}
