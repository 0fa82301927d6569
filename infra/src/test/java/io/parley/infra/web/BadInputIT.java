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

  /** Every endpoint that reads a JSON body, with a body whose keys are all valid but repeated. */
  @Test
  void aRepeatedKeyIsMalformedJson_onEveryEndpointWithABody() {
    String message = UUID.randomUUID().toString();
    String flag = UUID.randomUUID().toString();
    String c = "/api/v1/conversations/" + conversation;
    List<Object[]> cases =
        List.of(
            new Object[] {"POST", "/api/dev/tokens", null, "{\"sub\":\"a\",\"sub\":\"b\"}"},
            new Object[] {
              "POST", "/api/v1/conversations", token, "{\"title\":\"t\",\"title\":\"u\"}"
            },
            new Object[] {
              "POST", "/api/v1/conversations", token, "{\"title\":\"t\",\"title\":null}"
            },
            new Object[] {
              "POST", c + "/participants", token, "{\"userId\":\"bob\",\"userId\":null}"
            },
            new Object[] {"POST", c + "/messages", token, "{\"text\":\"hi\",\"text\":\"ho\"}"},
            new Object[] {
              "PUT",
              c + "/moderation",
              token,
              "{\"warnThreshold\":0.5,\"blockThreshold\":0.9,\"warnThreshold\":null}"
            },
            new Object[] {
              "POST",
              "/api/v1/messages/" + message + "/flags",
              token,
              "{\"reason\":\"r\",\"reason\":\"s\"}"
            },
            new Object[] {
              "POST",
              "/api/v1/flags/" + flag + "/resolve",
              moderator,
              "{\"outcome\":\"UPHELD\",\"outcome\":null}"
            },
            new Object[] {
              "PUT",
              "/api/v1/me/consents/ANALYTICS",
              token,
              "{\"granted\":true,\"policyVersion\":\"v1\",\"granted\":null}"
            },
            new Object[] {
              "POST",
              "/api/v1/compliance/subjects/" + user + "-gone/erasure",
              compliance,
              "{\"immediate\":false,\"reason\":\"r\",\"immediate\":true}"
            });
    for (Object[] c0 : cases) {
      Response response =
          api.send(
              (String) c0[0],
              (String) c0[1],
              (String) c0[2],
              (String) c0[3],
              "application/json",
              Map.of());
      assertProblem(response, 400, c0[0] + " " + c0[1] + " " + c0[3]);
      assertThat(response.json().get("detail").asText())
          .isEqualTo("The request body is not valid JSON");
    }
  }

  @Test
  void multipartOnAJsonEndpoint_isUnsupportedMediaType_withOrWithoutABoundary() {
    for (String type :
        List.of(
            "multipart/form-data",
            "multipart/form-data; boundary=xyz",
            "multipart/mixed",
            "multipart/form-data; boundary=")) {
      for (String[] endpoint :
          List.of(
              new String[] {"POST", "/api/v1/conversations"},
              new String[] {"POST", "/api/v1/conversations/" + conversation + "/messages"},
              new String[] {"PUT", "/api/v1/me/consents/ANALYTICS"})) {
        Response response =
            api.send(endpoint[0], endpoint[1], token, "{\"title\":\"t\"}", type, Map.of());
        assertProblem(response, 415, type + " " + endpoint[1]);
        assertThat(response.body()).doesNotContain("multipart");
      }
    }
    // A multipart body (with a part) is not read either.
    String body = "--xyz\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nt\r\n--xyz--\r\n";
    assertProblem(
        api.send(
            "POST",
            "/api/v1/conversations",
            token,
            body,
            "multipart/form-data; boundary=xyz",
            Map.of()),
        415,
        "multipart with a part");
  }

  /**
   * Spring's FormContentFilter decodes a form body of a PUT before Spring MVC sees the request; one
   * that does not decode (a bad %-escape, found by InputFuzzIT) was a 500.
   */
  @Test
  void aFormBodyThatDoesNotDecode_isMalformed() {
    for (String body : List.of("a=%zz", "%", "granted=%E0%A4%A", "x=%s%n%x")) {
      Response response =
          api.send(
              "PUT",
              "/api/v1/me/consents/ANALYTICS",
              token,
              body,
              "application/x-www-form-urlencoded",
              Map.of());
      assertProblem(response, 400, body);
      assertThat(response.body()).doesNotContain(body);
    }
  }

  /**
   * A wildcard belongs in Accept; Spring fails on one in Content-Type where nothing checks first.
   */
  @Test
  void aWildcardContentType_isUnsupportedMediaType_evenOnTheProbes() {
    for (String type :
        List.of("*/*", "application/*", "*/*; charset=UTF-8", "application/*+json")) {
      assertProblem(
          api.send("GET", "/actuator/health/liveness", null, "{}", type, Map.of()), 415, type);
      assertProblem(
          api.send("POST", "/api/v1/conversations", token, "{\"title\":\"t\"}", type, Map.of()),
          415,
          type);
    }
    assertThat(api.get("/actuator/health/liveness", null).status()).isEqualTo(200);
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
  void numericQueryParameters_arePlainDecimals() {
    String messages = "/api/v1/conversations/" + conversation + "/messages?limit=";
    for (String limit :
        List.of("0x10", "010", "%2B5", "%205", "5%20", "1e1", "%D9%A3", "", "5.0")) {
      Response response = api.get(messages + limit, token);
      assertFieldError(response, "limit", "limit=" + limit);
    }
    assertFieldError(api.get("/api/v1/flags?limit=0x10", moderator), "limit", "flags limit=0x10");
    eventually(() -> api.get(messages + "16", token).status(), status -> status == 200);
    assertThat(api.get(messages + "0", token).status()).isEqualTo(400);
    assertThat(api.get("/api/v1/flags?limit=200", moderator).status()).isEqualTo(200);
  }

  @Test
  void anEnumIsOneOfItsNamesExactly_inABody() {
    String resolve = "/api/v1/flags/" + UUID.randomUUID() + "/resolve";
    for (String outcome :
        List.of("1", "0", "\"1\"", "\" UPHELD\"", "\"UPHELD \"", "\"upheld\"", "1.5")) {
      Response response =
          api.send(
              "POST",
              resolve,
              moderator,
              "{\"outcome\":" + outcome + "}",
              "application/json",
              Map.of());
      assertFieldError(response, "outcome", "outcome " + outcome);
    }
    // The exact name passes validation and reaches the (unknown) flag.
    assertThat(api.postJson(resolve, moderator, Map.of("outcome", "UPHELD")).status())
        .isEqualTo(404);
  }

  @Test
  void anEnumIsOneOfItsNamesExactly_inThePath() {
    String body = "{\"granted\":true,\"policyVersion\":\"v1\"}";
    for (String purpose :
        List.of("ANALYTICS%20", "%20ANALYTICS", "ANALYTICS%09", "analytics", "1")) {
      Response response =
          api.send(
              "PUT", "/api/v1/me/consents/" + purpose, token, body, "application/json", Map.of());
      assertFieldError(response, "purpose", purpose);
    }
    assertThat(
            api.send(
                    "PUT",
                    "/api/v1/me/consents/ANALYTICS",
                    token,
                    body,
                    "application/json",
                    Map.of())
                .status())
        .isEqualTo(204);
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
