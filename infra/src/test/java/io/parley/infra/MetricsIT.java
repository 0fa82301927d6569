package io.parley.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.support.ApiClient.Response;
import io.parley.infra.support.ParleyIntegrationTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Micrometer measures the message path and the data lifecycle; only OPS may scrape. */
class MetricsIT extends ParleyIntegrationTest {

  @Test
  void prometheusServesParleyAndAxonMetrics_toOpsOnly_withoutPersonalData() {
    String user = api.token("metrics-" + UUID.randomUUID().toString().substring(0, 8), "USER");
    String secret = "METRIC-SECRET-" + UUID.randomUUID();
    String id =
        api.postJson("/api/v1/conversations", user, Map.of("title", secret))
            .json()
            .get("conversationId")
            .asText();
    api.postJson("/api/v1/conversations/" + id + "/messages", user, Map.of("text", secret));
    api.get("/api/v1/me/export", user);

    assertThat(api.get("/actuator/prometheus", user).status()).isEqualTo(403);
    assertThat(api.get("/actuator/prometheus", null).status()).isEqualTo(401);
    String ops = api.token("ops", "OPS");
    Response scrape = api.get("/actuator/prometheus", ops);
    assertThat(scrape.status()).isEqualTo(200);
    assertThat(scrape.body())
        .contains("parley_erasures_pending")
        .contains("parley_erasures_completed")
        .contains("parley_export_duration_seconds_count")
        .contains("parley_export_size_bytes_count")
        .contains("parley_privacy_keys_shredded_total")
        .contains("parley_retention_sweeps_total")
        .contains("http_server_requests_seconds_count")
        .contains("commandBus")
        .doesNotContain(secret);
    // The message above was counted by verdict (registered up front, so its value must move).
    assertThat(
            scrape
                .body()
                .lines()
                .filter(line -> line.startsWith("parley_moderation_verdicts_total{"))
                .filter(line -> line.contains("verdict=\"ALLOWED\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum())
        .isGreaterThanOrEqualTo(1);
  }
}
