package io.parley.testsupport;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.time.Duration;
import java.util.Random;

/**
 * An OpenAI-compatible chat-completions endpoint on WireMock that writes cards: it reads the card
 * ids from the request's user message (the JSON document Parley's card prompt sends) and answers
 * one valid entry per id, after a fixed latency. It can be told to fail: every call with a status,
 * or a share of calls at random (half of them 500, half slower than the caller's timeout).
 *
 * <p>For integration tests and the card benchmark; the answers' words are fixed, never derived from
 * the messages.
 */
public final class FakeCardProvider implements AutoCloseable {

  static final String TRANSFORMER = "parley-fake-card-provider";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final WireMockServer server;
  private final Answers answers;

  private FakeCardProvider(Answers answers) {
    this.answers = answers;
    this.server = new WireMockServer(options().dynamicPort().extensions(answers));
    server.start();
    server.stubFor(
        post(urlPathMatching(".*/chat/completions"))
            .willReturn(aResponse().withTransformers(TRANSFORMER)));
    server.stubFor(
        post(urlPathMatching(".*/images/generations"))
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody("{\"created\":0,\"data\":[{\"b64_json\":\"" + PICTURE + "\"}]}")));
  }

  /** The picture every image generation answers: a 1×1 PNG, Base64. */
  public static final String PICTURE =
      "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

  /** Image generation requests received so far. */
  public int pictureCalls() {
    return server
        .countRequestsMatching(postRequestedFor(urlPathMatching(".*/images/generations")).build())
        .getCount();
  }

  /**
   * A provider that answers after {@code latency}; {@code faultRate} of the calls (0..1) fail at
   * random (seeded): half with 500, half after {@code slowFault} (longer than the caller waits).
   */
  public static FakeCardProvider start(
      Duration latency, double faultRate, Duration slowFault, long seed) {
    return new FakeCardProvider(new Answers(latency, faultRate, slowFault, new Random(seed)));
  }

  /** A provider that answers at once, without faults. */
  public static FakeCardProvider start() {
    return start(Duration.ZERO, 0, Duration.ZERO, 1);
  }

  /** The base URL to configure ({@code …/v1}). */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.port() + "/v1";
  }

  /** Chat-completion requests received so far. */
  public int calls() {
    return server
        .countRequestsMatching(postRequestedFor(urlPathMatching(".*/chat/completions")).build())
        .getCount();
  }

  /** From now on every call answers {@code status} (0: back to writing cards). */
  public void failWith(int status) {
    answers.status = status;
  }

  /** The user message (the prompt's card list) of the latest chat call, or "" before any. */
  public String lastPrompt() {
    // WireMock lists serve events newest first.
    return server.getAllServeEvents().stream()
        .filter(e -> e.getRequest().getUrl().endsWith("/chat/completions"))
        .findFirst()
        .map(e -> userMessage(e.getRequest().getBodyAsString()))
        .orElse("");
  }

  @Override
  public void close() {
    server.stop();
  }

  static String userMessage(String body) {
    try {
      for (JsonNode message : JSON.readTree(body).path("messages")) {
        if ("user".equals(message.path("role").asText())) {
          return message.path("content").asText();
        }
      }
    } catch (Exception malformed) {
      // not a chat request
    }
    return "";
  }

  static final class Answers implements ResponseDefinitionTransformerV2 {
    private final Duration latency;
    private final double faultRate;
    private final Duration slowFault;
    private final Random random;
    volatile int status;

    Answers(Duration latency, double faultRate, Duration slowFault, Random random) {
      this.latency = latency;
      this.faultRate = faultRate;
      this.slowFault = slowFault;
      this.random = random;
    }

    @Override
    public String getName() {
      return TRANSFORMER;
    }

    @Override
    public boolean applyGlobally() {
      return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent serveEvent) {
      if (status != 0) {
        return json(status, "{\"error\":{\"message\":\"failing as told\"}}", latency);
      }
      double draw;
      boolean slow;
      synchronized (random) {
        draw = random.nextDouble();
        slow = random.nextBoolean();
      }
      if (draw < faultRate) {
        return slow
            ? json(200, completion(serveEvent), slowFault)
            : json(500, "{\"error\":{\"message\":\"injected\"}}", latency);
      }
      return json(200, completion(serveEvent), latency);
    }

    private static String completion(ServeEvent serveEvent) {
      ObjectNode answer = JSON.createObjectNode();
      ArrayNode cards = answer.putArray("cards");
      try {
        JsonNode prompt = JSON.readTree(userMessage(serveEvent.getRequest().getBodyAsString()));
        int i = 0;
        for (JsonNode card : prompt.path("cards")) {
          ObjectNode entry = cards.addObject();
          entry.put("id", card.path("id").asText());
          entry.put("polarity", i % 2 == 0 ? 0.6 : -0.2);
          entry.put("confidence", 0.8);
          entry.put("title", "A fine exchange");
          entry.put("caption", "They talked it over and agreed on the plan.");
          i++;
        }
      } catch (Exception malformed) {
        // answer no card: the caller sees a malformed answer
      }
      ObjectNode completion = JSON.createObjectNode();
      completion.put("id", "chatcmpl-fake");
      completion.put("object", "chat.completion");
      completion.put("created", 0);
      completion.put("model", "fake-model");
      ObjectNode choice = completion.putArray("choices").addObject();
      choice.put("index", 0);
      choice.putObject("message").put("role", "assistant").put("content", answer.toString());
      choice.put("finish_reason", "stop");
      ObjectNode usage = completion.putObject("usage");
      usage.put("prompt_tokens", 100);
      usage.put("completion_tokens", 20);
      usage.put("total_tokens", 120);
      return completion.toString();
    }

    private static ResponseDefinition json(int status, String body, Duration delay) {
      return ResponseDefinitionBuilder.responseDefinition()
          .withStatus(status)
          .withHeader("Content-Type", "application/json")
          .withBody(body)
          .withFixedDelay((int) delay.toMillis())
          .build();
    }
  }
}
