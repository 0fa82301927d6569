package io.parley.infra.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Real HTTP against the running application, through its real security filter chain. */
public final class ApiClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String base;

  public ApiClient(int port) {
    this.base = "http://localhost:" + port;
  }

  public record Response(int status, HttpResponse<String> raw) {
    public JsonNode json() {
      try {
        return JSON.readTree(raw.body());
      } catch (IOException e) {
        throw new UncheckedIOException("Not JSON: " + raw.body(), e);
      }
    }

    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }

    public String body() {
      return raw.body();
    }
  }

  /** A dev token for {@code sub} with {@code roles}. */
  public String token(String sub, String... roles) {
    Response response =
        send(
            "POST",
            "/api/dev/tokens",
            null,
            json(Map.of("sub", sub, "roles", List.of(roles))),
            "application/json",
            Map.of());
    if (response.status() != 200) {
      throw new IllegalStateException("token endpoint answered " + response.status());
    }
    return response.json().get("token").asText();
  }

  public Response get(String path, String token) {
    return send("GET", path, token, null, null, Map.of());
  }

  public Response get(String path, String token, Map<String, String> headers) {
    return send("GET", path, token, null, null, headers);
  }

  public Response postJson(String path, String token, Object body) {
    return send("POST", path, token, json(body), "application/json", Map.of());
  }

  public Response putJson(String path, String token, Object body) {
    return send("PUT", path, token, json(body), "application/json", Map.of());
  }

  public Response send(
      String method,
      String path,
      String token,
      String body,
      String contentType,
      Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    headers.forEach(request::header);
    request.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(response.statusCode(), response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
