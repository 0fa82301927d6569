package io.parley.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The few calls of Parley's HTTP API the benchmark needs, over one shared JDK HttpClient. */
final class ParleyClient {

  /** The outcome of one HTTP exchange: status -1 when no response arrived (timeout, I/O). */
  record Outcome(int status, String body, String error) {
    boolean is(int expected) {
      return status == expected;
    }
  }

  /** A failure of a set-up or read call the benchmark cannot continue without. */
  static final class ApiException extends RuntimeException {
    ApiException(String message) {
      super(message);
    }
  }

  static final ObjectMapper JSON = new ObjectMapper();

  private final URI base;
  private final HttpClient http;
  private final Duration timeout;

  ParleyClient(URI base, Duration timeout) {
    this.base = base;
    this.timeout = timeout;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  Outcome exchange(String method, String path, String token, String jsonBody) {
    return exchange(method, path, token, jsonBody, "application/json");
  }

  Outcome exchange(String method, String path, String token, String jsonBody, String accept) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path)).timeout(timeout).header("Accept", accept);
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (jsonBody != null) {
      b.header("Content-Type", "application/json");
      b.method(method, HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8));
    } else {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    }
    try {
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Outcome(r.statusCode(), r.body(), null);
    } catch (IOException e) {
      return new Outcome(-1, null, e.getClass().getSimpleName() + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(-1, null, "interrupted");
    }
  }

  boolean ready() {
    Outcome o = exchange("GET", "/actuator/health/readiness", null, null);
    return o.is(200);
  }

  String token(String sub) {
    return token(sub, "USER");
  }

  String token(String sub, String role) {
    ObjectNode body = JSON.createObjectNode();
    body.put("sub", sub);
    body.putArray("roles").add(role);
    Outcome o = exchange("POST", "/api/dev/tokens", null, body.toString());
    if (!o.is(200) && !o.is(201)) {
      throw new ApiException("POST /api/dev/tokens for " + sub + " -> " + describe(o));
    }
    return json(o).path("token").asText();
  }

  /** Grants {@code purpose} (CARD_GENERATION, ANALYTICS, AI_PROCESSING) for the token's user. */
  void grant(String token, String purpose) {
    ObjectNode body = JSON.createObjectNode();
    body.put("granted", true);
    body.put("policyVersion", "bench");
    Outcome o = exchange("PUT", "/api/v1/me/consents/" + purpose, token, body.toString());
    if (!o.is(204)) {
      throw new ApiException("PUT /api/v1/me/consents/" + purpose + " -> " + describe(o));
    }
  }

  UUID createConversation(String token, String title, List<String> participants) {
    ObjectNode body = JSON.createObjectNode();
    body.put("title", title);
    var array = body.putArray("participants");
    participants.forEach(array::add);
    Outcome o = exchange("POST", "/api/v1/conversations", token, body.toString());
    if (!o.is(201)) {
      throw new ApiException("POST /api/v1/conversations -> " + describe(o));
    }
    return UUID.fromString(json(o).path("conversationId").asText());
  }

  /** Only the body is built here: the caller times the exchange. */
  static String messageBody(String text) {
    ObjectNode body = JSON.createObjectNode();
    body.put("text", text);
    return body.toString();
  }

  Outcome send(String token, UUID conversationId, String body) {
    return exchange("POST", "/api/v1/conversations/" + conversationId + "/messages", token, body);
  }

  static String messageId(Outcome o) {
    return stringField(o.body(), "messageId", null);
  }

  /**
   * A top-level string field of a small JSON object, found by a plain search for {@code "name":"}
   * (Jackson writes Parley's answers compactly, and ids and verdicts need no escapes); anything
   * else falls back to parsing with Jackson. The hot path reads two fields of every answer: this
   * keeps that cheap.
   */
  static String stringField(String json, String name, String missing) {
    if (json == null) {
      return missing;
    }
    String key = "\"" + name + "\":\"";
    int at = json.indexOf(key);
    if (at >= 0) {
      int from = at + key.length();
      int to = json.indexOf('"', from);
      if (to > from && json.lastIndexOf('\\', to) < from) {
        return json.substring(from, to);
      }
    }
    try {
      JsonNode node = JSON.readTree(json).path(name);
      return node.isTextual() ? node.asText() : missing;
    } catch (IOException e) {
      return missing;
    }
  }

  /**
   * Writes {@code {"text":"…"}} as UTF-8 into {@code buffer} (grown when short) and returns the
   * buffer; {@code length[0]} receives the byte count. No intermediate String or JSON tree.
   */
  static byte[] writeMessageBody(String text, byte[] buffer, int[] length) {
    byte[] out = buffer;
    int n = 0;
    int worst = 12 + text.length() * 6;
    if (out.length < worst) {
      out = new byte[worst];
    }
    for (char c : "{\"text\":\"".toCharArray()) {
      out[n++] = (byte) c;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        out[n++] = '\\';
        out[n++] = (byte) c;
      } else if (c < 0x20) {
        // As Jackson writes them: the short escapes, else \\u00XX.
        int shortEscape = "\b\t\n\f\r".indexOf(c);
        out[n++] = '\\';
        if (shortEscape >= 0) {
          out[n++] = (byte) "btnfr".charAt(shortEscape);
        } else {
          out[n++] = 'u';
          out[n++] = '0';
          out[n++] = '0';
          out[n++] = (byte) "0123456789ABCDEF".charAt(c >> 4);
          out[n++] = (byte) "0123456789ABCDEF".charAt(c & 0xF);
        }
      } else if (c < 0x80) {
        out[n++] = (byte) c;
      } else if (c < 0x800) {
        out[n++] = (byte) (0xC0 | (c >> 6));
        out[n++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, text.charAt(++i));
        out[n++] = (byte) (0xF0 | (cp >> 18));
        out[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        out[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        out[n++] = (byte) (0x80 | (cp & 0x3F));
      } else {
        if (Character.isSurrogate(c)) {
          c = '\uFFFD'; // a lone surrogate, as String.getBytes would replace it
        }
        out[n++] = (byte) (0xE0 | (c >> 12));
        out[n++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        out[n++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    out[n++] = '"';
    out[n++] = '}';
    length[0] = n;
    return out;
  }

  /** messageCount of the conversation read model, or -1 when the read failed. */
  long messageCount(String token, UUID conversationId) {
    Outcome o = exchange("GET", "/api/v1/conversations/" + conversationId, token, null);
    if (!o.is(200)) {
      return -1;
    }
    return json(o).path("messageCount").asLong(-1);
  }

  /** One page of the timeline, newest first. */
  record Page(List<String> messageIds, String nextCursor) {}

  Page timeline(String token, UUID conversationId, int limit, String before) {
    String path = "/api/v1/conversations/" + conversationId + "/messages?limit=" + limit;
    if (before != null) {
      path += "&before=" + URLEncoder.encode(before, StandardCharsets.UTF_8);
    }
    Outcome o = exchange("GET", path, token, null);
    if (!o.is(200)) {
      throw new ApiException("GET " + path + " -> " + describe(o));
    }
    return page(o);
  }

  /** A timeline page from a 200 answer's body. */
  static Page page(Outcome o) {
    JsonNode root = json(o);
    List<String> ids = new ArrayList<>();
    for (JsonNode item : root.path("items")) {
      ids.add(item.path("messageId").asText());
    }
    JsonNode cursor = root.path("nextCursor");
    return new Page(ids, cursor.isNull() || cursor.isMissingNode() ? null : cursor.asText());
  }

  /** Every message id of the timeline, paging with the API's cursor (bounded by maxPages). */
  List<String> allMessageIds(String token, UUID conversationId, int maxPages) {
    List<String> all = new ArrayList<>();
    String cursor = null;
    for (int page = 0; page < maxPages; page++) {
      Page p = timeline(token, conversationId, 200, cursor);
      all.addAll(p.messageIds());
      cursor = p.nextCursor();
      if (cursor == null) {
        return all;
      }
    }
    throw new ApiException("timeline of " + conversationId + " longer than " + maxPages + " pages");
  }

  static JsonNode json(Outcome o) {
    try {
      return JSON.readTree(o.body());
    } catch (IOException e) {
      throw new ApiException("not JSON: " + abbreviate(o.body()));
    }
  }

  static String describe(Outcome o) {
    return o.status() < 0
        ? "no response (" + o.error() + ")"
        : o.status() + " " + abbreviate(o.body());
  }

  static String abbreviate(String s) {
    if (s == null) {
      return "";
    }
    String flat = s.replaceAll("\\s+", " ");
    return flat.length() <= 300 ? flat : flat.substring(0, 300) + "…";
  }
}
