package io.parley.infra.card.provider;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.parley.api.card.ProviderCallOutcome;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Pictures from an OpenAI-compatible images API (WireMock): kept, refused, recorded. */
class CardIllustratorTest {

  static final String PNG =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

  @RegisterExtension
  static WireMockExtension provider =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  final SimpleMeterRegistry meters = new SimpleMeterRegistry();

  CardIllustrator illustrator() {
    CardProviderProperties properties =
        new CardProviderProperties(
            "fakeai",
            provider.baseUrl() + "/v1",
            "chat-model",
            "sk-picture",
            60,
            20,
            Duration.ofMillis(10),
            Duration.ofSeconds(5),
            1,
            Duration.ofMillis(10),
            10,
            new CardProviderProperties.CircuitBreakerSettings(50, 10, 5, Duration.ofSeconds(30)));
    return new CardIllustrator(
        properties,
        new CardPictureProperties(true, "image-model", "256x256", Duration.ofSeconds(5)),
        meters);
  }

  static void answer(int status, String body) {
    provider.stubFor(
        post(urlPathEqualTo("/v1/images/generations"))
            .willReturn(
                aResponse()
                    .withStatus(status)
                    .withHeader("Content-Type", "application/json")
                    .withBody(body)));
  }

  @Test
  void aPicture_isKeptAsBytes_andItsCallRecordedWithoutThePrompt() {
    answer(200, "{\"created\":0,\"data\":[{\"b64_json\":\"" + PNG + "\"}]}");
    CardIllustrator.Drawing drawing = illustrator().draw("Lake day", "A swim at dawn.");

    assertThat(drawing.picture()).isPresent();
    assertThat(drawing.picture().get().mediaType()).isEqualTo("image/png");
    assertThat(drawing.picture().get().bytes()).isEqualTo(Base64.getDecoder().decode(PNG));
    assertThat(drawing.call().outcome()).isEqualTo(ProviderCallOutcome.SUCCESS);
    assertThat(drawing.call().model()).isEqualTo("image-model");
    assertThat(drawing.call().provider()).isEqualTo("fakeai");
    assertThat(drawing.call().promptSha256())
        .isEqualTo(CardPrompt.sha256(CardIllustrator.prompt("Lake day", "A swim at dawn.")))
        .doesNotContain("Lake");
    provider.verify(
        postRequestedFor(urlPathEqualTo("/v1/images/generations"))
            .withHeader("Authorization", equalTo("Bearer sk-picture")));
    assertThat(
            meters
                .get("parley.cards.provider.calls")
                .tags("provider", "fakeai", "outcome", "SUCCESS")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void anAnswerThatIsNoImage_isRefused_asMalformed() {
    String svg = Base64.getEncoder().encodeToString("<svg onload=\"alert(1)\"/>".getBytes());
    answer(200, "{\"created\":0,\"data\":[{\"b64_json\":\"" + svg + "\"}]}");
    CardIllustrator.Drawing drawing = illustrator().draw("t", "c");
    assertThat(drawing.picture()).isEmpty();
    assertThat(drawing.call().outcome()).isEqualTo(ProviderCallOutcome.MALFORMED_RESPONSE);
  }

  @Test
  void aFailingImagesApi_leavesTheCardWithoutAPicture_once() {
    answer(500, "{\"error\":{\"message\":\"down\"}}");
    CardIllustrator.Drawing drawing = illustrator().draw("t", "c");
    assertThat(drawing.picture()).isEmpty();
    assertThat(drawing.call().outcome()).isEqualTo(ProviderCallOutcome.SERVER_ERROR);
    provider.verify(1, postRequestedFor(urlPathEqualTo("/v1/images/generations")));
  }
}
