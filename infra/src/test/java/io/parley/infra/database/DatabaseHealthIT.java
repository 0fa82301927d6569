package io.parley.infra.database;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.infra.support.ParleyIntegrationTest;
import org.junit.jupiter.api.Test;

/**
 * Health probes report the database: readiness includes it (a load balancer stops routing to a node
 * whose database is gone, see {@link DatabaseOutageIT}), liveness does not (a restart would not
 * help), and {@code /actuator/health/db} answers its status without details.
 */
class DatabaseHealthIT extends ParleyIntegrationTest {

  @Test
  void readinessIncludesTheDatabase_livenessDoesNot() {
    JsonNode readiness = api.get("/actuator/health/readiness", null).json();
    assertThat(readiness.get("status").asText()).isEqualTo("UP");
    assertThat(readiness.get("components").get("db").get("status").asText()).isEqualTo("UP");

    JsonNode liveness = api.get("/actuator/health/liveness", null).json();
    assertThat(liveness.get("status").asText()).isEqualTo("UP");
    assertThat(liveness.path("components").has("db")).isFalse();
  }

  @Test
  void databaseComponent_answersItsStatusWithoutDetails() {
    var response = api.get("/actuator/health/db", null);
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().get("status").asText()).isEqualTo("UP");
    assertThat(response.json().has("details")).isFalse();
  }
}
