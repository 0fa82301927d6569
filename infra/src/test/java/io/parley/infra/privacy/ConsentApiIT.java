package io.parley.infra.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.parley.api.subject.ConsentPurpose;
import io.parley.api.subject.HasConsentQuery;
import io.parley.infra.support.ApiClient.Response;
import io.parley.infra.support.ParleyIntegrationTest;
import java.util.Map;
import java.util.UUID;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** API.md "Consent", end to end, and the consent projection other parts ask. */
class ConsentApiIT extends ParleyIntegrationTest {

  @Autowired QueryGateway queries;

  @Test
  void allPurposesStartWithdrawn_grantAndWithdrawAreRecordedWithHistory() {
    String user = "consent-" + UUID.randomUUID().toString().substring(0, 8);
    String token = api.token(user, "USER");
    JsonNode initial = api.get("/api/v1/me/consents", token).json();
    assertThat(initial.get("consents")).hasSize(3);
    initial.get("consents").forEach(c -> assertThat(c.get("granted").asBoolean()).isFalse());
    assertThat(initial.get("history")).isEmpty();

    assertThat(consent(token, "CARD_GENERATION", true, "v1").status()).isEqualTo(204);
    assertThat(consent(token, "ANALYTICS", true, "v1").status()).isEqualTo(204);
    assertThat(consent(token, "ANALYTICS", false, "v2").status()).isEqualTo(204);

    JsonNode view =
        eventually(
                () -> api.get("/api/v1/me/consents", token),
                r -> r.json().get("history").size() == 3)
            .json();
    Map<String, JsonNode> byPurpose = new java.util.HashMap<>();
    view.get("consents").forEach(c -> byPurpose.put(c.get("purpose").asText(), c));
    assertThat(byPurpose.get("CARD_GENERATION").get("granted").asBoolean()).isTrue();
    assertThat(byPurpose.get("CARD_GENERATION").get("policyVersion").asText()).isEqualTo("v1");
    assertThat(byPurpose.get("ANALYTICS").get("granted").asBoolean()).isFalse();
    assertThat(byPurpose.get("ANALYTICS").get("policyVersion").asText()).isEqualTo("v2");
    assertThat(byPurpose.get("ANALYTICS").get("changedAt").asText()).endsWith("Z");
    assertThat(byPurpose.get("AI_PROCESSING").get("granted").asBoolean()).isFalse();
    assertThat(view.get("history").get(2).get("purpose").asText()).isEqualTo("ANALYTICS");
    assertThat(view.get("history").get(2).get("granted").asBoolean()).isFalse();
  }

  @Test
  void withdrawalTakesEffectForProcessingAfterIt() {
    String user = "withdraw-" + UUID.randomUUID().toString().substring(0, 8);
    String token = api.token(user, "USER");
    consent(token, "AI_PROCESSING", true, "v1");
    eventually(() -> hasConsent(user, ConsentPurpose.AI_PROCESSING), granted -> granted);
    assertThat(consent(token, "AI_PROCESSING", false, "v1").status()).isEqualTo(204);
    eventually(() -> hasConsent(user, ConsentPurpose.AI_PROCESSING), granted -> !granted);
    assertThat(hasConsent(user, ConsentPurpose.CARD_GENERATION)).isFalse();
  }

  @Test
  void rejectsUnknownPurposeAndInvalidBodies() {
    String token = api.token("consent-bad", "USER");
    Response unknown =
        consentRaw(token, "MARKETING", "{\"granted\":true,\"policyVersion\":\"v1\"}");
    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.header("Content-Type")).startsWith("application/problem+json");
    assertThat(
            consentRaw(token, "ANALYTICS", "{\"granted\":\"yes\",\"policyVersion\":\"v1\"}")
                .status())
        .isEqualTo(400);
    assertThat(consentRaw(token, "ANALYTICS", "{\"policyVersion\":\"v1\"}").status())
        .isEqualTo(400);
    assertThat(
            consentRaw(token, "ANALYTICS", "{\"granted\":true,\"policyVersion\":\" \"}").status())
        .isEqualTo(400);
    assertThat(consentRaw(token, "ANALYTICS", "{\"granted\":true}").status()).isEqualTo(400);
    assertThat(api.get("/api/v1/me/consents", null).status()).isEqualTo(401);
  }

  boolean hasConsent(String user, ConsentPurpose purpose) {
    return queries
        .query(new HasConsentQuery(user, purpose), ResponseTypes.instanceOf(Boolean.class))
        .join();
  }

  Response consent(String token, String purpose, boolean granted, String version) {
    return api.putJson(
        "/api/v1/me/consents/" + purpose,
        token,
        Map.of("granted", granted, "policyVersion", version));
  }

  Response consentRaw(String token, String purpose, String body) {
    return api.send(
        "PUT", "/api/v1/me/consents/" + purpose, token, body, "application/json", Map.of());
  }
}
