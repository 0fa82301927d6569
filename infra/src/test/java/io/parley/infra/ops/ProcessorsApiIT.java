package io.parley.infra.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.infra.support.ApiClient;
import io.parley.infra.support.ParleyIntegrationTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The processors API on the shared application: what it lists, and the replays it refuses
 * (ProcessorsAcrossNodesIT replays on two nodes of their own database).
 */
class ProcessorsApiIT extends ParleyIntegrationTest {

  static final String PROCESSORS = "/api/v1/ops/processors";

  @Autowired JdbcTemplate sql;

  @Test
  void listsEveryProcessorWithItsKindAndSegments() {
    String ops = api.token("olga", "OPS");
    ApiClient.Response response = api.get(PROCESSORS, ops);
    assertThat(response.status()).isEqualTo(200);
    List<String> names = new ArrayList<>();
    for (JsonNode p : response.json()) {
      names.add(p.get("name").asText());
      assertThat(p.fieldNames())
          .toIterable()
          .containsExactlyInAnyOrder("name", "type", "replayable", "segments", "head", "replay");
    }
    assertThat(names)
        .isSortedAccordingTo(String.CASE_INSENSITIVE_ORDER)
        .contains(
            "timeline",
            "conversations",
            "cards",
            "audit-chain",
            "ErasureSagaProcessor",
            "CardGenerationSagaProcessor");
    JsonNode saga = find(response.json(), "CardGenerationSagaProcessor");
    assertThat(saga.get("type").asText()).isEqualTo("saga");
    assertThat(saga.get("replayable").asBoolean()).isFalse();
    assertThat(find(response.json(), "audit-chain").get("replayable").asBoolean()).isFalse();
    JsonNode timeline = find(response.json(), "timeline");
    assertThat(timeline.get("segments")).hasSize(2);
    assertThat(timeline.get("segments").get(0).fieldNames())
        .toIterable()
        .containsExactly("segment", "owner", "position", "lag", "state", "error");
  }

  @Test
  void refusesWhatCannotBeReplayed_andAsksForTheOpsRole() {
    String ops = api.token("olga", "OPS");
    assertProblem(api.postJson(PROCESSORS + "/no-such-processor/replay", ops, Map.of()), 404);
    assertProblem(
        api.postJson(PROCESSORS + "/CardGenerationSagaProcessor/replay", ops, Map.of()), 409);
    assertProblem(api.postJson(PROCESSORS + "/ErasureSagaProcessor/replay", ops, Map.of()), 409);
    // The audit chain's handlers disallow a replay (ADR 0013).
    assertProblem(api.postJson(PROCESSORS + "/audit-chain/replay", ops, Map.of()), 409);
    assertThat(sql.queryForObject("select count(*) from processor_replay", Long.class)).isZero();

    assertProblem(api.get(PROCESSORS, null), 401);
    assertProblem(api.get(PROCESSORS, api.token("ulla", "USER")), 403);
    assertProblem(
        api.postJson(PROCESSORS + "/timeline/replay", api.token("cora", "COMPLIANCE"), Map.of()),
        403);
    assertProblem(api.postJson(PROCESSORS + "/timeline/replay", null, Map.of()), 401);
  }

  @Test
  void thePageIsServedWithoutATokenUnderItsPolicy_andOnlyAtOps() {
    ApiClient.Response page = api.get("/ops", null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).startsWith("text/html");
    assertThat(page.header("Content-Security-Policy"))
        .contains("default-src 'none'", "script-src 'self'", "frame-ancestors 'none'");
    assertThat(page.body()).contains("<label for=\"token\">OPS bearer token</label>");
    assertThat(api.get("/ops/ops.js", null).status()).isEqualTo(200);
    // Not also a static resource without the policy.
    assertThat(api.get("/ops/index.html", null).status()).isEqualTo(404);
  }

  static JsonNode find(JsonNode processors, String name) {
    for (JsonNode p : processors) {
      if (p.get("name").asText().equals(name)) {
        return p;
      }
    }
    throw new AssertionError("no " + name);
  }

  static void assertProblem(ApiClient.Response response, int status) {
    assertThat(response.status()).isEqualTo(status);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    assertThat(response.json().get("status").asInt()).isEqualTo(status);
  }
}
