package io.parley.infra.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.infra.support.ApiClient.Response;
import io.parley.infra.support.ParleyIntegrationTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Input the contract calls malformed is a 400 (or 415) problem document naming what is wrong, never
 * a 500 and never silently read another way (issue 9, items 3 and 7). Through real HTTP and the
 * real filter chain; the raw-socket cases are in {@link MalformedRequestIT}.
 */
class BadInputIT extends ParleyIntegrationTest {

  String user;
  String token;
  String moderator;
  String compliance;
  String conversation;

  @BeforeEach
  void callers() {
    user = "bad-input-" + UUID.randomUUID().toString().substring(0, 8);
    token = api.token(user, "USER");
    moderator = api.token(user + "-mod", "MODERATOR");
    compliance = api.token(user + "-co", "COMPLIANCE");
    conversation =
        api.postJson("/api/v1/conversations", token, Map.of("title", "bad input"))
            .json()
            .get("conversationId")
            .asText();
  }

  @Test
  void errorRequestedDirectly_isNoResource() {
    for (String method : List.of("GET", "POST", "PUT", "DELETE")) {
      assertProblem(api.send(method, "/error", null, null, null, Map.of()), 404, method);
      assertProblem(
          api.send(method, "/error", token, "{}", "application/json", Map.of()), 404, method);
    }
  }

  @Test
  void springsOwnErrors_doNotQuoteTheRequest() {
    Response method = api.send("PATCH", "/api/v1/conversations", token, null, null, Map.of());
    assertProblem(method, 405, "PATCH");
    assertThat(method.json().get("detail").asText()).doesNotContain("PATCH");
    Response type =
        api.send("POST", "/api/v1/conversations", token, "{}", "text/x-secret-type", Map.of());
    assertProblem(type, 415, "text/x-secret-type");
    assertThat(type.json().get("detail").asText()).doesNotContain("secret");
    Response path = api.get("/api/v1/no-such-secret-path", token);
    assertProblem(path, 404, "unknown path");
    assertThat(path.json().get("detail").asText()).doesNotContain("secret");
  }

  static void assertProblem(Response response, int status, String what) {
    assertThat(response.status()).as(what + ": " + response.body()).isEqualTo(status);
    assertThat(response.header("Content-Type")).as(what).startsWith("application/problem+json");
    JsonNode problem = response.json();
    assertThat(problem.get("status").asInt()).as(what).isEqualTo(status);
    assertThat(problem.hasNonNull("type")).as(what).isTrue();
    assertThat(problem.hasNonNull("title")).as(what).isTrue();
    assertThat(problem.hasNonNull("detail")).as(what).isTrue();
  }

  static void assertFieldError(Response response, String field, String what) {
    assertProblem(response, 400, what);
    JsonNode errors = response.json().get("errors");
    assertThat(errors).as(what + ": " + response.body()).isNotNull();
    assertThat(errors.findValuesAsText("field")).as(what).contains(field);
  }
}
