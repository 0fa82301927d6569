package io.parley.infra.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.parley.infra.support.ApiClient;
import io.parley.infra.support.ParleyNode;
import io.parley.testsupport.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * {@code management.server.port} (API.md "Operations"): on a management port of its own, {@code
 * /actuator/prometheus} answers without a token, so a Prometheus inside the network can scrape it;
 * every other actuator endpoint there but health still asks for an OPS token, and the application's
 * port serves none of them.
 */
class ManagementPortIT {

  @TempDir Path dataDir;

  @Test
  void metricsNeedNoTokenOnlyOnTheManagementPort() {
    try (ConfigurableApplicationContext node =
        ParleyNode.start(dataDir, TestDatabase.newDatabase(), "--management.server.port=0")) {
      ApiClient app = ParleyNode.client(node);
      int port = node.getEnvironment().getProperty("local.management.port", Integer.class);
      ApiClient management = new ApiClient(port);
      assertThat(port)
          .isNotEqualTo(node.getEnvironment().getProperty("local.server.port", Integer.class));

      ApiClient.Response scraped = management.get("/actuator/prometheus", null);
      assertThat(scraped.status()).isEqualTo(200);
      assertThat(scraped.body()).contains("parley_processor_lag_events");

      assertThat(app.get("/actuator/prometheus", null).status()).isEqualTo(401);
      assertThat(app.get("/actuator/prometheus", app.token("ulla", "USER")).status())
          .isEqualTo(403);
      // The application's port serves no actuator endpoint any more: not even with a token.
      assertThat(app.get("/actuator/prometheus", app.token("olga", "OPS")).status()).isEqualTo(404);
      // Other actuator endpoints on the management port still ask for OPS.
      assertThat(management.get("/actuator/metrics", null).status()).isEqualTo(401);
      assertThat(management.get("/actuator/metrics", app.token("olga", "OPS")).status())
          .isEqualTo(200);
      assertThat(management.get("/actuator/health/readiness", null).status()).isEqualTo(200);
    }
  }
}
