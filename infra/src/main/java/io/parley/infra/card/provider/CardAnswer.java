package io.parley.infra.card.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Reads and validates a provider's answer to a {@link CardPrompt}, strictly: the whole content must
 * be one JSON object with a {@code cards} array (else the answer is malformed as a whole); an entry
 * is valid when its id is one asked for and appears exactly once, {@code polarity} is a number in
 * [-1, 1], {@code confidence} a number in [0, 1], and {@code title} (1 to {@value #TITLE_MAX}
 * characters) and {@code caption} (1 to {@value #CAPTION_MAX}) are strings that, once stripped,
 * hold no control character other than a line feed or a tab. Characters are code points, as
 * PostgreSQL counts them. Entries for ids not asked for are ignored.
 */
final class CardAnswer {

  static final int TITLE_MAX = 60;
  static final int CAPTION_MAX = 280;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** A valid entry's values. */
  record Values(double polarity, double confidence, String title, String caption) {
    @Override
    public String toString() {
      return "Values[polarity=" + polarity + ", confidence=" + confidence + "]";
    }
  }

  /** The answer is not the JSON object asked for: no card of the batch can be read from it. */
  static final class Malformed extends Exception {
    Malformed(String what) {
      super(what, null, false, false);
    }
  }

  private CardAnswer() {}

  /**
   * The valid entry of each card asked for; a card whose entry is missing, repeated or invalid has
   * none.
   */
  static Map<UUID, Values> read(String content, Collection<UUID> asked) throws Malformed {
    if (content == null || content.isBlank()) {
      throw new Malformed("empty answer");
    }
    JsonNode root;
    try {
      root = JSON.readTree(content);
    } catch (JsonProcessingException e) {
      throw new Malformed("not JSON");
    }
    if (root == null || !root.isObject() || !root.path("cards").isArray()) {
      throw new Malformed("no cards array");
    }
    Set<String> askedIds = new HashSet<>();
    asked.forEach(id -> askedIds.add(id.toString()));
    Map<String, Integer> seen = new HashMap<>();
    Map<String, Values> valid = new HashMap<>();
    for (JsonNode entry : root.get("cards")) {
      JsonNode id = entry.path("id");
      if (!id.isTextual() || !askedIds.contains(id.textValue())) {
        continue;
      }
      seen.merge(id.textValue(), 1, Integer::sum);
      values(entry).ifPresent(values -> valid.put(id.textValue(), values));
    }
    Map<UUID, Values> result = new HashMap<>();
    for (UUID id : asked) {
      String key = id.toString();
      if (seen.getOrDefault(key, 0) == 1 && valid.containsKey(key)) {
        result.put(id, valid.get(key));
      }
    }
    return result;
  }

  private static Optional<Values> values(JsonNode entry) {
    JsonNode polarity = entry.path("polarity");
    JsonNode confidence = entry.path("confidence");
    if (!inRange(polarity, -1, 1) || !inRange(confidence, 0, 1)) {
      return Optional.empty();
    }
    Optional<String> title = text(entry.path("title"), TITLE_MAX);
    Optional<String> caption = text(entry.path("caption"), CAPTION_MAX);
    if (title.isEmpty() || caption.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Values(polarity.doubleValue(), confidence.doubleValue(), title.get(), caption.get()));
  }

  private static boolean inRange(JsonNode number, double min, double max) {
    if (!number.isNumber()) {
      return false;
    }
    double value = number.doubleValue();
    return Double.isFinite(value) && value >= min && value <= max;
  }

  private static Optional<String> text(JsonNode node, int max) {
    if (!node.isTextual()) {
      return Optional.empty();
    }
    String text = node.textValue().strip();
    int length = text.codePointCount(0, text.length());
    if (length < 1 || length > max) {
      return Optional.empty();
    }
    boolean clean =
        text.codePoints()
            .allMatch(c -> c == '\n' || c == '\t' || Character.getType(c) != Character.CONTROL);
    return clean ? Optional.of(text) : Optional.empty();
  }
}
