package io.parley.infra.card;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.infra.support.ApiClient.Response;
import io.parley.infra.support.ParleyIntegrationTest;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** What the card ITs share: three people per test and the card API's calls. */
abstract class CardApiTestBase extends ParleyIntegrationTest {

  @Autowired JdbcTemplate jdbc;

  String run;
  String alice;
  String bob;
  String carol;
  String aliceToken;
  String bobToken;
  String carolToken;

  @BeforeEach
  void people() {
    awaitProcessorClaimed(jdbc, "CardGenerationSagaProcessor");
    run = UUID.randomUUID().toString().substring(0, 8);
    alice = "alice-" + run;
    bob = "bob-" + run;
    carol = "carol-" + run;
    aliceToken = api.token(alice, "USER");
    bobToken = api.token(bob, "USER");
    carolToken = api.token(carol, "USER");
  }

  /** The sum of a Prometheus series' samples whose labels contain {@code label}; 0 when absent. */
  double metric(String opsToken, String name, String label) {
    return api.get("/actuator/prometheus", opsToken)
        .body()
        .lines()
        .filter(line -> line.startsWith(name + "{") && line.contains(label))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  JsonNode awaitStatus(String cardId, String token, String status) {
    return eventually(
            () -> api.get("/api/v1/cards/" + cardId, token),
            r -> r.status() == 200 && r.json().get("status").asText().equals(status))
        .json();
  }

  void awaitTimeline(String conversation, int messages) {
    eventually(
        () -> api.get("/api/v1/conversations/" + conversation + "/messages", aliceToken),
        r -> r.status() == 200 && r.json().get("items").size() == messages);
  }

  Response requestCard(String token, String conversation, Map<String, String> headers) {
    return api.send(
        "POST", "/api/v1/conversations/" + conversation + "/cards", token, null, null, headers);
  }

  void grant(String token, String... purposes) {
    for (String purpose : purposes) {
      assertThat(
              api.putJson(
                      "/api/v1/me/consents/" + purpose,
                      token,
                      Map.of("granted", true, "policyVersion", "v1"))
                  .status())
          .isEqualTo(204);
    }
    eventually(
        () -> api.get("/api/v1/me/consents", token).json().get("consents"),
        consents -> {
          int granted = 0;
          for (JsonNode consent : consents) {
            if (consent.get("granted").asBoolean()
                && List.of(purposes).contains(consent.get("purpose").asText())) {
              granted++;
            }
          }
          return granted == purposes.length;
        });
  }

  String startConversation(String token, String... participants) {
    return api.postJson(
            "/api/v1/conversations",
            token,
            Map.of("title", "cards " + run, "participants", List.of(participants)))
        .json()
        .get("conversationId")
        .asText();
  }

  void send(String token, String conversation, String text) {
    Response sent =
        api.postJson(
            "/api/v1/conversations/" + conversation + "/messages", token, Map.of("text", text));
    assertThat(sent.status()).as(sent.body()).isEqualTo(201);
  }

  static void assertProblem(Response response, int status) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.header("Content-Type")).startsWith("application/problem+json");
  }

  /**
   * Well-formed XML, no script element, no on* attribute, no reference outside the document (a
   * picture is inside it, as a data: URI).
   */
  static void assertWellFormedAndInert(String svg) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      var document =
          factory
              .newDocumentBuilder()
              .parse(
                  new java.io.ByteArrayInputStream(
                      svg.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
      assertThat(document.getDocumentElement().getTagName()).isEqualTo("svg");
      assertThat(document.getElementsByTagName("script").getLength()).isZero();
      var all = document.getElementsByTagName("*");
      for (int i = 0; i < all.getLength(); i++) {
        var attributes = all.item(i).getAttributes();
        for (int a = 0; a < attributes.getLength(); a++) {
          var attribute = attributes.item(a);
          assertThat(attribute.getNodeName().toLowerCase()).doesNotStartWith("on");
          if (attribute.getNodeName().endsWith("href")) {
            // a fragment of this document, or a picture carried inside it (never a link)
            assertThat(attribute.getNodeValue())
                .matches("#.*|data:image/(png|jpeg|webp);base64,[A-Za-z0-9+/=]+");
          }
          assertThat(attribute.getNodeValue()).doesNotContain("url(http", "javascript:");
        }
      }
    } catch (Exception e) {
      throw new AssertionError("artwork is not well-formed SVG", e);
    }
  }
}
