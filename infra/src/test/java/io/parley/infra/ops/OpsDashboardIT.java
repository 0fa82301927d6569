package io.parley.infra.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.support.ApiClient;
import io.parley.infra.support.ParleyNode;
import io.parley.testsupport.FakeCardProvider;
import io.parley.testsupport.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code docs/ops/grafana-dashboard.json} and {@code docs/ops/alert-rules.yml} against the running
 * application: every metric they query exists on {@code /actuator/prometheus} of a node that sent a
 * message and had a card written by an external provider (so the provider's meters and circuit
 * breaker exist), and {@code promtool} (Debian's prometheus package, installed by {@code
 * src/test/scripts/install-test-tools.sh}) accepts the rules.
 */
class OpsDashboardIT {

  static final Path DOCS = Path.of("..", "docs", "ops");

  /** Metric names in PromQL: the families Parley, Axon, Spring and Resilience4j publish. */
  static final Pattern METRIC =
      Pattern.compile(
          "\\b(?:parley|eventProcessor|eventStore|commandBus|http_server|resilience4j)_[A-Za-z0-9_]+");

  @TempDir Path dataDir;

  @Test
  void everyMetricTheDashboardAndTheAlertsQueryExists() throws Exception {
    Set<String> queried = new TreeSet<>();
    queried.addAll(metricsIn(Files.readString(DOCS.resolve("grafana-dashboard.json"))));
    queried.addAll(metricsIn(Files.readString(DOCS.resolve("alert-rules.yml"))));
    assertThat(queried)
        .contains(
            "parley_processor_lag_events",
            "parley_deadletters",
            "parley_sagas_active",
            "eventStore_ingestedCounter_total",
            "http_server_requests_seconds_count",
            "parley_cards_provider_calls_total",
            "resilience4j_circuitbreaker_state",
            "parley_readiness");

    try (FakeCardProvider provider = FakeCardProvider.start();
        ConfigurableApplicationContext node =
            ParleyNode.start(
                dataDir,
                TestDatabase.newDatabase(),
                "--parley.cards.provider.base-url=" + provider.baseUrl(),
                "--parley.cards.provider.model=fake-model",
                "--parley.cards.provider.batch-linger=PT0.05S")) {
      ApiClient api = ParleyNode.client(node);
      String alice = api.token("alice", "USER");
      for (String consent : new String[] {"CARD_GENERATION", "AI_PROCESSING"}) {
        api.putJson(
            "/api/v1/me/consents/" + consent,
            alice,
            Map.of("granted", true, "policyVersion", "v1"));
      }
      String room =
          api.postJson("/api/v1/conversations", alice, Map.of("title", "metrics"))
              .json()
              .get("conversationId")
              .asText();
      api.postJson(
          "/api/v1/conversations/" + room + "/messages",
          alice,
          Map.of("text", "what a lovely afternoon"));
      api.postJson("/api/v1/conversations/" + room + "/cards", alice, Map.of());
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> provider.calls() > 0);

      String ops = api.token("olga", "OPS");
      Set<String> missing =
          Awaitility.await()
              .atMost(Duration.ofSeconds(20))
              .until(
                  () -> {
                    String scrape = api.get("/actuator/prometheus", ops).body();
                    Set<String> absent = new TreeSet<>(queried);
                    absent.removeIf(
                        m -> Pattern.compile("(?m)^" + m + "[{ ]").matcher(scrape).find());
                    return absent;
                  },
                  Set::isEmpty);
      assertThat(missing).isEmpty();
    }
  }

  @Test
  void promtoolAcceptsTheAlertRules() throws IOException, InterruptedException {
    Process promtool =
        new ProcessBuilder("promtool", "check", "rules", DOCS.resolve("alert-rules.yml").toString())
            .redirectErrorStream(true)
            .start();
    String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(promtool.waitFor()).as(output).isZero();
    assertThat(output).contains("SUCCESS: 6 rules found");
  }

  static Set<String> metricsIn(String text) {
    Set<String> names = new TreeSet<>();
    Matcher m = METRIC.matcher(text);
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }
}
