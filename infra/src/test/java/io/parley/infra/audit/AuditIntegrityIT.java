package io.parley.infra.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.infra.support.ApiClient.Response;
import io.parley.infra.support.ParleyIntegrationTest;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code GET /api/v1/audit/integrity} on the shared store, over HTTP: it verifies a normal store
 * and one after an erasure (crypto-shredding deletes keys, never event bytes), it is refused
 * without a reason or the role, it records itself, and the guard triggers refuse edits. Tampering
 * is in {@link AuditChainTamperingIT}, on a database of its own.
 */
class AuditIntegrityIT extends ParleyIntegrationTest {

  static final String ACCESSED = "io.parley.api.audit.AuditAccessedEvent";

  @Autowired JdbcTemplate jdbc;
  @Autowired PlatformTransactionManager transactions;

  @Test
  void normalStore_verifies_withEveryCoveredEventCounted_andTheChainsHead() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String alice = api.token("alice-" + run, "USER");
    String room = startConversation(alice, "audit " + run);
    for (int i = 0; i < 5; i++) {
      assertThat(send(alice, room, "hello " + i).status()).isEqualTo(201);
    }
    awaitChainCoversStore();
    long chained = jdbc.queryForObject("select count(*) from audit_chain", Long.class);

    JsonNode answer = integrity(officer(run)).json();

    assertThat(answer.get("verified").asBoolean()).as(answer.toString()).isTrue();
    assertThat(answer.get("events").asLong()).isEqualTo(chained).isGreaterThanOrEqualTo(6);
    byte[] head =
        jdbc.queryForObject(
            "select hash from audit_chain order by position desc limit 1", byte[].class);
    assertThat(answer.get("head").asText()).isEqualTo(HexFormat.of().formatHex(head));
    assertThat(answer.has("firstBrokenAt")).isFalse();
    // Every stored event of this run is covered.
    assertThat(chainedOf(room)).isEqualTo(storedOf(room)).isGreaterThanOrEqualTo(6);
  }

  @Test
  void afterAnErasure_theChainStillVerifies() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String eve = "eve-" + run;
    String eveToken = api.token(eve, "USER");
    String room = startConversation(eveToken, "EVE-TITLE-" + run);
    String secret = "EVE-SAYS-" + run;
    assertThat(send(eveToken, room, secret).status()).isEqualTo(201);
    eventually(
        () -> api.get("/api/v1/me/export", eveToken),
        r -> r.status() == 200 && r.body().contains(secret));
    awaitChainCoversStore();
    assertThat(integrity(officer(run)).json().get("verified").asBoolean()).isTrue();
    awaitSagaProcessorReady(jdbc);

    Response erasure =
        api.postJson(
            "/api/v1/compliance/subjects/" + eve + "/erasure",
            officer(run),
            Map.of("immediate", true, "reason", "audit chain test " + run));
    assertThat(erasure.status()).as(erasure.body()).isEqualTo(202);
    eventually(() -> api.get("/api/v1/me/export", eveToken), r -> r.status() == 410);
    assertThat(
            jdbc.queryForObject(
                "select count(*) from data_key where subject_id = ?", Long.class, eve))
        .isZero();
    eventually(
        () ->
            jdbc.queryForObject(
                "select count(*) from domain_event_entry where aggregate_identifier = ?"
                    + " and payload_type = 'io.parley.api.subject.SubjectErasedEvent'",
                Long.class,
                eve),
        count -> count == 1);
    awaitChainCoversStore();

    JsonNode answer = integrity(officer(run)).json();

    assertThat(answer.get("verified").asBoolean()).as(answer.toString()).isTrue();
    // The erased subject's events are still stored and still in the chain, bytes unchanged.
    assertThat(chainedOf(room)).isEqualTo(storedOf(room)).isGreaterThanOrEqualTo(2);
  }

  @Test
  void withoutAReason_answers400_andRecordsNothing() {
    String officer = officer("no-reason");
    long before = accessesRecorded();
    Response missing = api.get("/api/v1/audit/integrity", officer);
    Response blank = api.get("/api/v1/audit/integrity", officer, Map.of("X-Audit-Reason", "  "));
    Response tooLong =
        api.get("/api/v1/audit/integrity", officer, Map.of("X-Audit-Reason", "x".repeat(501)));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(blank.status()).isEqualTo(400);
    assertThat(tooLong.status()).isEqualTo(400);
    assertThat(accessesRecorded()).isEqualTo(before);
  }

  @Test
  void otherRoles_are403() {
    for (String role : new String[] {"USER", "MODERATOR", "OPS"}) {
      Response answer =
          api.get(
              "/api/v1/audit/integrity",
              api.token("someone", role),
              Map.of("X-Audit-Reason", "curious"));
      assertThat(answer.status()).as(role).isEqualTo(403);
    }
  }

  @Test
  void theReadIsRecorded_asAnAuditAccessedEvent() {
    String reader = "officer-recorded-" + UUID.randomUUID().toString().substring(0, 8);
    long before = accessesRecorded();
    Response answer = integrity(api.token(reader, "COMPLIANCE"));
    assertThat(answer.status()).isEqualTo(200);
    assertThat(accessesRecorded()).isEqualTo(before + 1);
    String payload =
        jdbc.queryForObject(
            "select convert_from(payload, 'UTF8') from domain_event_entry where payload_type = ?"
                + " order by global_index desc limit 1",
            String.class,
            ACCESSED);
    assertThat(payload).contains("\"readerId\":\"" + reader + "\"").contains("\"integrity\"");
  }

  @Test
  void guardTriggers_refuseUpdateAndDelete_ofStoredEventsAndTheChain() {
    awaitChainCoversStore();
    for (String edit :
        new String[] {
          "update domain_event_entry set payload = payload"
              + " where global_index = (select max(global_index) from domain_event_entry)",
          "delete from domain_event_entry"
              + " where global_index = (select max(global_index) from domain_event_entry)",
          "truncate domain_event_entry",
          "update audit_chain set hash = hash where position = 1",
          "delete from audit_chain where position = 1",
          "truncate audit_chain",
          "truncate audit_chain_checkpoint",
        }) {
      // Rolled back whatever happens: if a trigger were missing, nothing would be lost.
      TransactionTemplate rollingBack = new TransactionTemplate(transactions);
      Throwable refused =
          catchThrowable(
              () ->
                  rollingBack.executeWithoutResult(
                      status -> {
                        status.setRollbackOnly();
                        jdbc.execute(edit);
                      }));
      assertThat(refused).as(edit).isNotNull().hasStackTraceContaining("is append-only");
    }
  }

  @Test
  void metrics_showTheChainsLag_andTheLastVerification() {
    awaitChainCoversStore();
    JsonNode answer = integrity(officer("metrics")).json();
    assertThat(answer.get("verified").asBoolean()).isTrue();
    Response scrape = api.get("/actuator/prometheus", api.token("ops", "OPS"));
    assertThat(scrape.status()).isEqualTo(200);
    assertThat(scrape.body())
        .contains("parley_audit_verification_verified 1.0")
        .containsPattern("parley_audit_chain_lag_events [0-9.]+")
        .contains("parley_audit_verification_duration_seconds_count");
  }

  @Test
  void theChainsProcessor_cannotBeReset() {
    // No @ResetHandler and @DisallowReplay: a replay would build a different chain (ADR 0013).
    assertThat(processor("audit-chain").supportsReset()).isFalse();
  }

  private Response integrity(String officer) {
    Response answer =
        api.get(
            "/api/v1/audit/integrity", officer, Map.of("X-Audit-Reason", "integrity check test"));
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    return answer;
  }

  private String officer(String run) {
    return api.token("officer-" + run, "COMPLIANCE");
  }

  private long chainedOf(String aggregateId) {
    return jdbc.queryForObject(
        "select count(*) from audit_chain c join domain_event_entry e"
            + " on e.global_index = c.global_index where e.aggregate_identifier = ?",
        Long.class,
        aggregateId);
  }

  private long storedOf(String aggregateId) {
    return jdbc.queryForObject(
        "select count(*) from domain_event_entry where aggregate_identifier = ?",
        Long.class,
        aggregateId);
  }

  private long accessesRecorded() {
    return jdbc.queryForObject(
        "select count(*) from domain_event_entry where payload_type = ?", Long.class, ACCESSED);
  }

  /** Waits until every stored event is in the chain. */
  private void awaitChainCoversStore() {
    eventually(
        () ->
            jdbc.queryForObject(
                "select count(*) from domain_event_entry e where not exists"
                    + " (select 1 from audit_chain c where c.global_index = e.global_index)",
                Long.class),
        uncovered -> uncovered == 0);
  }

  private String startConversation(String token, String title) {
    Response created = api.postJson("/api/v1/conversations", token, Map.of("title", title));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("conversationId").asText();
  }

  private Response send(String token, String room, String text) {
    return api.postJson("/api/v1/conversations/" + room + "/messages", token, Map.of("text", text));
  }
}
